"""Durations as Argo writes them: `"10s"`, `"2m"`, `"1h30m"`, `"1.5m"`, or a number of seconds.

Strings follow Go's `time.ParseDuration` (units ns, us, µs, ms, s, m, h; no days) and its error messages.
"""

from __future__ import annotations

import re

from canarykit.errors import DurationError, SpecError

_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_TERM = re.compile(r"([0-9]*(?:\.[0-9]*)?)([^0-9.]*)")

Duration = str | int | float


def parse_duration(value: Duration, path: str = "") -> float:
    """Seconds in `value`; a number is seconds, a string is a Go duration. Raises `DurationError`."""
    if isinstance(value, bool):
        raise DurationError(f"invalid duration {value!r}", path)
    if isinstance(value, int | float):
        if value != value or value < 0:  # NaN or negative
            raise DurationError(f"duration must be >= 0, got {value}", path)
        return float(value)
    if not isinstance(value, str):
        raise DurationError(f"invalid duration {value!r}: expected a string or a number of seconds", path)
    return _parse_go_duration(value, path)


def parse_optional_duration(value: Duration | None, path: str = "") -> float | None:
    """`parse_duration`, with None passed through."""
    return None if value is None else parse_duration(value, path)


def parse_positive_duration(value: Duration, name: str) -> float:
    """`parse_duration`, refusing zero with a `SpecError` naming `name`."""
    seconds = parse_duration(value, name)
    if not seconds > 0:
        raise SpecError(f"{name} must be > 0, got {value!r}")
    return seconds


def _parse_go_duration(text: str, path: str) -> float:
    original = text
    invalid = DurationError(f'time: invalid duration "{original}"', path)
    sign = 1.0
    if text and text[0] in "+-":
        sign, text = (-1.0 if text[0] == "-" else 1.0), text[1:]
    if text == "0":
        return 0.0
    if not text:
        raise invalid
    total = 0.0
    while text:
        match = _TERM.match(text)
        number, unit = (match.group(1), match.group(2)) if match else ("", "")
        if number in ("", "."):
            raise invalid
        if not unit:
            raise DurationError(f'time: missing unit in duration "{original}"', path)
        if unit not in _UNITS:
            raise DurationError(f'time: unknown unit "{unit}" in duration "{original}"', path)
        total += float(number) * _UNITS[unit]
        text = text[len(number) + len(unit) :]
    if sign < 0:
        raise DurationError(f"duration must be >= 0, got {original!r}", path)
    return total


def format_duration(seconds: float) -> str:
    """Go-style text for a duration: 90 -> `1m30s`, 7200 -> `2h0m0s`, 0.5 -> `500ms`."""
    if seconds == 0:
        return "0s"
    if seconds < 1:
        return f"{seconds * 1000:g}ms"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    secs_text = f"{secs:g}s"
    if hours:
        return f"{int(hours)}h{int(minutes)}m{secs_text}"
    if minutes:
        return f"{int(minutes)}m{secs_text}"
    return secs_text

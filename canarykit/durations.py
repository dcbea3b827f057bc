"""Durations as Argo writes them: `"10s"`, `"2m"`, `"1h30m"`, `"1.5m"`, or a number of seconds.

Strings follow Go's `time.ParseDuration` (units ns, us, µs, ms, s, m, h; no days), its int64-nanosecond range
(at most `2562047h47m16.854775807s`) and its error messages. Numbers of seconds have the same upper bound.
This is the one duration parser: every duration canarykit reads (steps, metrics, judges, CLI flags, Argo YAML)
goes through `parse_duration`, and every bad one raises `DurationError`: Go's message (which quotes the bad
value), then `DURATION_HINT`, at the field, flag or step named by `path`.
"""

from __future__ import annotations

import math
from fractions import Fraction

from canarykit.errors import DurationError

_NANOSECONDS = {
    "ns": 1, "us": 10**3, "µs": 10**3, "μs": 10**3, "ms": 10**6,
    "s": 10**9, "m": 60 * 10**9, "h": 3600 * 10**9,
}  # fmt: skip
_MAX_NANOSECONDS = 2**63 - 1
MAX_DURATION_SECONDS = _MAX_NANOSECONDS / 1e9
"""The longest duration, in seconds: Go's `time.Duration` counts int64 nanoseconds (about 292 years)."""
_DIGITS = frozenset("0123456789")
DURATION_HINT = 'valid units: ns, us (or µs), ms, s, m, h, combined as in "1h30m", e.g. "5m"'
"""What every `DurationError` ends with, after `"; "`. Where a number is accepted (Python, YAML numbers),
it is seconds; text needs a unit."""

Duration = str | int | float


def parse_duration(value: Duration, path: str = "") -> float:
    """Seconds in `value`; a number is seconds, a string is a Go duration. Raises `DurationError`."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise duration_error(f"invalid duration {value!r}: expected a string or a number of seconds", path)
    try:
        return _seconds(value) if isinstance(value, int | float) else _parse_go_duration(value)
    except _GoDurationError as error:
        raise duration_error(str(error), path, value) from None


def go_reason(error: DurationError) -> str:
    """The error's reason without `DURATION_HINT`: Go's own message, for texts that must match Argo's."""
    return error.detail or error.reason


def parse_optional_duration(value: Duration | None, path: str = "") -> float | None:
    """`parse_duration`, with None passed through."""
    return None if value is None else parse_duration(value, path)


def parse_positive_duration(value: Duration, name: str) -> float:
    """`parse_duration`, refusing zero with a `DurationError` naming `name`."""
    seconds = parse_duration(value, name)
    if not seconds > 0:
        raise duration_error(f"{name} must be > 0, got {value!r}", "")
    return seconds


class _GoDurationError(Exception):
    """Go's message for a bad duration, before the hint and the path are added."""


def duration_error(reason: str, path: str, value: object = None) -> DurationError:
    """A `DurationError` at `path`: `reason` (kept as its `detail`), a unit suggestion for a bare number in
    a string, then the hint."""
    suggestion = (
        f'; did you mean "{value.strip()}s"?' if isinstance(value, str) and value.strip().isdigit() else ""
    )
    error = DurationError(f"{reason}{suggestion}; {DURATION_HINT}", path)
    error.detail = reason
    return error


def _seconds(value: int | float) -> float:
    if value != value or value < 0:  # NaN or negative
        raise _GoDurationError(f"duration must be >= 0, got {value}")
    if value == math.inf or Fraction(value) * 10**9 > _MAX_NANOSECONDS:
        raise _GoDurationError(
            f"duration {value} s is too long (at most 9223372036.854775807 s, 2562047h47m16.854775807s)"
        )
    return float(value)


def _parse_go_duration(text: str) -> float:
    """Go's `time.ParseDuration`, in integer nanoseconds as Go computes it, returned as seconds."""
    negative = text[:1] == "-"
    body = text[1:] if text[:1] in ("-", "+") else text
    if body == "0":
        return 0.0
    if not body:
        raise _invalid(text)
    total = position = 0
    while position < len(body):
        term, position = _term(body, position, text)
        total += term
        if total > 2**63:
            raise _invalid(text)
    if negative and total:
        raise _GoDurationError(f"duration must be >= 0, got {text!r}")
    if total > _MAX_NANOSECONDS:
        raise _invalid(text)
    return total / 10**9


def _term(body: str, start: int, text: str) -> tuple[int, int]:
    """The nanoseconds of the `<number><unit>` term at `start`, and the offset after it."""
    whole_end = _digits_end(body, start)
    fraction_end = whole_end
    if body[whole_end : whole_end + 1] == ".":
        fraction_end = _digits_end(body, whole_end + 1)
    whole = _leading_int(body[start:whole_end])
    if whole is None or (whole_end == start and fraction_end <= whole_end + 1):
        raise _invalid(text)  # an overflow, or no digit before or after the point
    unit_end = fraction_end
    while unit_end < len(body) and body[unit_end] != "." and body[unit_end] not in _DIGITS:
        unit_end += 1
    unit = body[fraction_end:unit_end]
    if not unit:
        raise _GoDurationError(f"time: missing unit in duration {go_time_quote(text)}")
    if unit not in _NANOSECONDS:
        raise _GoDurationError(f"time: unknown unit {go_time_quote(unit)} in duration {go_time_quote(text)}")
    scale = _NANOSECONDS[unit]
    if whole > 2**63 // scale:
        raise _invalid(text)
    nanoseconds = whole * scale + _fraction(body[whole_end + 1 : fraction_end], scale)
    if nanoseconds > 2**63:
        raise _invalid(text)
    return nanoseconds, unit_end


def _invalid(text: str) -> _GoDurationError:
    return _GoDurationError(f"time: invalid duration {go_time_quote(text)}")


def _digits_end(text: str, position: int) -> int:
    while position < len(text) and text[position] in _DIGITS:
        position += 1
    return position


def _leading_int(digits: str) -> int | None:
    """The integer, or None past 2**63 (Go's `leadingInt` overflow); never converts a huge digit string."""
    significant = digits.lstrip("0")
    if len(significant) > 19:
        return None
    value = int(significant or "0")
    return None if value > 2**63 else value


def _fraction(digits: str, scale: int) -> int:
    """Go's `leadingFraction` and its float64 scaling: digits past int64 precision are ignored."""
    value, divisor = 0, 1.0
    for digit in digits:
        if value > (2**63 - 1) // 10 or value * 10 + int(digit) > 2**63:
            break
        value, divisor = value * 10 + int(digit), divisor * 10
    return int(float(value) * (float(scale) / divisor)) if value else 0


def go_time_quote(text: str) -> str:
    """Go's `time.quote`: in double quotes, with `"` and `\\` escaped and other non-ASCII bytes as `\\xNN`."""
    quoted = ['"']
    for char in text:
        if char < " " or char >= "\x80":
            quoted.extend(f"\\x{byte:02x}" for byte in char.encode("utf-8", "surrogatepass"))
        else:
            quoted.append("\\" + char if char in '"\\' else char)
    quoted.append('"')
    return "".join(quoted)


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


def short_duration(seconds: float) -> str:
    """A duration for people: 70 -> `1m10s`, 240 -> `4m`, 3610 -> `1h10s`, 0.5 -> `500ms`, 0 -> `0s`.

    From 1 s up, whole seconds (halves round up) without zero units; below, Go's text (`format_duration`).
    """
    if seconds < 1:
        return format_duration(seconds)
    hours, rest = divmod(math.floor(seconds + 0.5), 3600)
    minutes, secs = divmod(rest, 60)
    units = ((hours, "h"), (minutes, "m"), (secs, "s"))
    return "".join(f"{value}{unit}" for value, unit in units if value)

"""Parsing `--at` style times: RFC 3339 or unix seconds, and the clock an `--at` option asks for."""

from __future__ import annotations

from datetime import datetime

from canarykit.clock import Clock, ReplayClock, SystemClock
from canarykit.errors import SpecError

_EXAMPLE = "2026-11-20T10:00:00Z or 1700000000"


def parse_time(text: str, flag: str = "") -> float:
    """Unix seconds from `1700000000`, `1700000000.5` or `2023-11-14T22:13:20Z` (an offset is required).

    A bad time is a `SpecError` naming `flag` and echoing the text, with an example. Durations are not
    parsed here: they go through `canarykit.durations.parse_duration`, the one duration parser.
    """
    try:
        return float(text)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError as error:
        message = f"invalid time {text!r}: expected RFC 3339 or unix seconds, e.g. {_EXAMPLE}"
        raise SpecError(message, flag) from error
    if moment.tzinfo is None:
        raise SpecError(f"invalid time {text!r}: RFC 3339 needs a zone, e.g. Z or +00:00", flag)
    return moment.timestamp()


def clock_at(text: str | None, flag: str = "--at") -> Clock:
    """A `ReplayClock` starting at `text` (see `parse_time`), or the system clock when there is none."""
    return ReplayClock(parse_time(text, flag)) if text else SystemClock()

"""Go's `time` functions expr's `duration()` and `date()` call: `ParseDuration`, `Parse`, `LoadLocation`.

Times are integer nanoseconds since the Unix epoch, durations integer nanoseconds, as in Go. Errors are
`ValueError`s carrying Go's message (`time: invalid duration "??"`, `parsing time "x" as "2006-01-02":
cannot parse "x" as "2006"`). `Local` is UTC, as in Argo's controller container.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from canarykit.durations import go_time_quote
from canarykit.providers.go_layout import parse_fields
from canarykit.providers.go_layout_elements import Fields

SECOND = 10**9
_UNITS = {"ns": 1, "us": 10**3, "µs": 10**3, "μs": 10**3, "ms": 10**6, "s": SECOND, "m": 60 * SECOND}
_UNITS["h"] = 3600 * SECOND
_MAX = 2**63
UTC_NAMES = ("", "UTC")


def parse_duration(text: str) -> int:
    """Go's `time.ParseDuration`: signed nanoseconds; raises `ValueError` with Go's message."""
    invalid = ValueError(f"time: invalid duration {go_time_quote(text)}")
    negative, body = text[:1] == "-", text[1:] if text[:1] in "+-" and text else text
    if body == "0":
        return 0
    if not body:
        raise invalid
    total = 0
    while body:
        nanoseconds, body = _term(body, text, invalid)
        total += nanoseconds
        if total > _MAX:
            raise invalid
    if negative:
        return -total
    if total > _MAX - 1:
        raise invalid
    return total


def _term(body: str, text: str, invalid: ValueError) -> tuple[int, str]:
    """The nanoseconds of the leading `<number><unit>` of `body`, and the rest."""
    if not (body[0] == "." or (body[0].isascii() and body[0].isdigit())):
        raise invalid
    whole_digits = _leading_digits(body)
    body = body[len(whole_digits) :]
    whole = int(whole_digits or "0")
    fraction, scale = 0, 1.0
    fraction_digits = ""
    if body[:1] == ".":
        fraction_digits = _leading_digits(body[1:])
        body = body[1 + len(fraction_digits) :]
        fraction, scale = _fraction(fraction_digits)
    if whole > _MAX or (not whole_digits and not fraction_digits):
        raise invalid
    unit_length = next(
        (i for i, c in enumerate(body) if c == "." or (c.isascii() and c.isdigit())), len(body)
    )
    unit, body = body[:unit_length], body[unit_length:]
    if not unit:
        raise ValueError(f"time: missing unit in duration {go_time_quote(text)}")
    if unit not in _UNITS:
        raise ValueError(f"time: unknown unit {go_time_quote(unit)} in duration {go_time_quote(text)}")
    if whole > _MAX // _UNITS[unit]:
        raise invalid
    value = whole * _UNITS[unit] + (int(float(fraction) * (float(_UNITS[unit]) / scale)) if fraction else 0)
    if value > _MAX:
        raise invalid
    return value, body


def _leading_digits(text: str) -> str:
    end = next((i for i, c in enumerate(text) if not (c.isascii() and c.isdigit())), len(text))
    return text[:end]


def _fraction(digits: str) -> tuple[int, float]:
    """Go's `leadingFraction`: the digits as an integer and their scale, precision past int64 dropped."""
    value, scale = 0, 1.0
    for digit in digits:
        if value > (_MAX - 1) // 10 or value * 10 + int(digit) > _MAX:
            break
        value, scale = value * 10 + int(digit), scale * 10
    return value, scale


@dataclass(frozen=True)
class Location:
    """A Go `*time.Location`: its name and, unless UTC, its zone rules."""

    name: str
    zone: zoneinfo.ZoneInfo | None = None

    def offset_at(self, unix_seconds: int) -> int:
        """Seconds east of UTC in effect at `unix_seconds`."""
        if self.zone is None:
            return 0
        moment = dt.datetime.fromtimestamp(_clamp(unix_seconds), dt.timezone.utc)
        delta = moment.astimezone(self.zone).utcoffset()
        return int(delta.total_seconds()) if delta is not None else 0

    def wall_offset(self, fields: Fields) -> int:
        """Seconds east of UTC for a wall-clock time in this location."""
        if self.zone is None:
            return 0
        year = min(max(fields.year, 1), 9999)
        day = fields.day if year == fields.year else min(fields.day, 28)  # a clamped year may lack Feb 29
        wall = dt.datetime(year, fields.month, day, fields.hour, fields.minute, tzinfo=self.zone)
        delta = wall.utcoffset()
        return int(delta.total_seconds()) if delta is not None else 0

    def offset_named(self, name: str, unix_seconds: int) -> int | None:
        """The offset of the zone abbreviation `name` around `unix_seconds`, or None if it has none here."""
        if self.zone is None:
            return 0 if name == "UTC" else None
        for days in (0, 182, -182):
            moment = dt.datetime.fromtimestamp(_clamp(unix_seconds + days * 86400), dt.timezone.utc)
            local = moment.astimezone(self.zone)
            if local.tzname() == name and local.utcoffset() is not None:
                return int(local.utcoffset().total_seconds())  # type: ignore[union-attr]
        return None


UTC = Location("UTC")


def load_location(name: str) -> Location:
    """Go's `time.LoadLocation`: `""`/`UTC` (and `Local`) are UTC, else an IANA zone name."""
    if name in UTC_NAMES or name == "Local":
        return UTC
    try:
        return Location(name, zoneinfo.ZoneInfo(name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"unknown time zone {name}") from None


def parse_time(layout: str, value: str, location: Location = UTC) -> int:
    """Go's `time.ParseInLocation` (`time.Parse` with UTC): nanoseconds since the epoch."""
    fields = parse_fields(layout, value)
    seconds = _days_from_civil(fields.year, fields.month, fields.day) * 86400
    seconds += fields.hour * 3600 + fields.minute * 60 + fields.second
    if fields.utc:
        offset = 0
    elif fields.offset is not None:
        offset = fields.offset
    elif fields.zone_name:
        named = location.offset_named(fields.zone_name, seconds)
        offset = named if named is not None else fields.gmt_offset
    else:
        offset = location.wall_offset(fields)
    return (seconds - offset) * SECOND + fields.nanosecond


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days from 1970-01-01 to a proleptic Gregorian date (any year, year 0 included)."""
    year -= month <= 2
    era = (year if year >= 0 else year - 399) // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468


def _clamp(unix_seconds: int) -> int:
    """Within what `datetime` can hold (years 1 to 9999)."""
    return min(max(unix_seconds, -62135596800 + 86400), 253402300799 - 86400)

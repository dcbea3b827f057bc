"""Time, injected. `SystemClock` is the only code in canarykit that reads the real time."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Protocol, runtime_checkable


@runtime_checkable
class Clock(Protocol):
    """What everything that waits needs: the current time and a way to wait."""

    def now(self) -> float:
        """Current time in unix seconds."""
        ...

    def sleep(self, seconds: float) -> None:
        """Wait `seconds` (a fake clock just moves its time)."""
        ...


class SystemClock:
    """Real wall-clock time."""

    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


class ReplayClock:
    """A clock that starts at a past instant and runs instantly until it catches up with real time.

    Used to replay history: waits inside the past take no real time; once the replayed time reaches the
    present, it waits for real.
    """

    def __init__(self, start: float, real: Clock | None = None) -> None:
        self._real = real or SystemClock()
        self._now = float(start)

    def now(self) -> float:
        return self._now

    def sleep(self, seconds: float) -> None:
        target = self._now + max(seconds, 0.0)
        real_now = self._real.now()
        if target > real_now:
            self._real.sleep(target - max(real_now, self._now))
        self._now = target


def to_unix(value: float | int | datetime) -> float:
    """Unix seconds from a number or an aware datetime."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("datetime must be timezone-aware")
        return value.timestamp()
    return float(value)


def to_rfc3339(unix_seconds: float) -> str:
    """`2023-11-14T22:13:20Z` style text for a unix time (fractions kept when present)."""
    moment = datetime.fromtimestamp(unix_seconds, tz=timezone.utc)
    text = moment.isoformat().replace("+00:00", "Z")
    return text

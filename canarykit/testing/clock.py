"""A clock for tests: time moves only when someone sleeps, and sleeping takes no real time."""

from __future__ import annotations

import threading
from datetime import datetime

from canarykit.clock import to_rfc3339, to_unix
from canarykit.errors import CanaryError

DEFAULT_HORIZON = 30 * 24 * 3600.0
"""Fake seconds a `FakeClock` may run past its start by default: a month, far beyond any rollout plan."""


class ClockHorizonReached(CanaryError):
    """A `FakeClock` was asked to sleep past its horizon: a run that never ends (no duration, no count)."""


class FakeClock:
    """Starts at `start` (unix seconds or an aware datetime); `sleep` moves time forward instantly.

    Sleeping past `start + horizon` seconds raises `ClockHorizonReached` (a clear error, not a test that
    loops forever); `horizon=None` lifts the limit.
    """

    def __init__(
        self, start: float | int | datetime = 1_700_000_000.0, horizon: float | None = DEFAULT_HORIZON
    ) -> None:
        self._now = to_unix(start)
        self._lock = threading.Lock()
        self.sleeps: list[float] = []
        self.horizon = None if horizon is None else self._now + horizon

    def now(self) -> float:
        with self._lock:
            return self._now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            target = self._now + max(seconds, 0.0)
            if self.horizon is not None and target > self.horizon:
                raise ClockHorizonReached(
                    f"FakeClock would pass its horizon ({to_rfc3339(self.horizon)}): a run that never ends? "
                    "give it a duration or a count, or FakeClock(horizon=...) for longer runs"
                )
            self.sleeps.append(seconds)
            self._now = target

    def advance(self, seconds: float) -> None:
        """Move time forward without recording a sleep."""
        with self._lock:
            self._now += max(seconds, 0.0)

    def set(self, when: float | int | datetime) -> None:
        """Jump to `when` (forward or backward)."""
        with self._lock:
            self._now = to_unix(when)

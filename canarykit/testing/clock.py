"""A clock for tests: time moves only when someone sleeps, and sleeping takes no real time."""

from __future__ import annotations

import threading
from datetime import datetime

from canarykit.clock import to_unix


class FakeClock:
    """Starts at `start` (unix seconds or an aware datetime); `sleep` moves time forward instantly."""

    def __init__(self, start: float | int | datetime = 1_700_000_000.0) -> None:
        self._now = to_unix(start)
        self._lock = threading.Lock()
        self.sleeps: list[float] = []

    def now(self) -> float:
        with self._lock:
            return self._now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self._now += max(seconds, 0.0)

    def advance(self, seconds: float) -> None:
        """Move time forward without recording a sleep."""
        with self._lock:
            self._now += max(seconds, 0.0)

    def set(self, when: float | int | datetime) -> None:
        """Jump to `when` (forward or backward)."""
        with self._lock:
            self._now = to_unix(when)

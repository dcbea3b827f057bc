"""The demo's clock: the real one, showing the live view's traffic strip while a rollout waits."""

from __future__ import annotations

from collections.abc import Callable

from canarykit.clock import Clock

STRIP_EVERY = 2.0
"""Seconds between two traffic strips in the live view."""


class TrafficClock:
    """The real clock, showing the traffic strip every `STRIP_EVERY` seconds while the rollout waits."""

    def __init__(self, clock: Clock, show: Callable[[], None]) -> None:
        self.clock, self.show = clock, show
        self._next_strip = clock.now() + STRIP_EVERY

    def now(self) -> float:
        return self.clock.now()

    def sleep(self, seconds: float) -> None:
        end = self.clock.now() + seconds
        while (now := self.clock.now()) < end:
            if now >= self._next_strip:
                self.show()
                self._next_strip = now + STRIP_EVERY
            self.clock.sleep(min(end, self._next_strip) - now)

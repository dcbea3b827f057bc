"""A demo version that fails only under real load: it serves `capacity` requests per second, sheds the rest.

The blue-green demo's bad version answers the preview's light traffic well (so pre-promotion analysis
passes it) and fails once the active switch sends it production's rate, as a version with a connection
pool too small would. `LoadShedding` measures the request rate each app slot really receives and sets the
share it fails to the excess (`1 - capacity / rate`, in steps of 5 %), whichever slot runs that version.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Sequence
from types import TracebackType

from canarykit.clock import Clock, SystemClock
from canarykit.errors import SpecError
from canarykit.local.demo_app import DemoApp

TICK = 0.25
"""Seconds between two looks at the slots' request counts."""
WINDOW = 1.0
"""Seconds of requests the rate is measured over."""
STEP = 0.05
"""The failing share moves in steps of this size (each change restarts the app's exact error sequence)."""


def shed_share(rate: float, capacity: float, base: float) -> float:
    """The share of requests failed at `rate` per second: `base` up to `capacity`, then the excess."""
    if rate <= capacity:
        return base
    return max(base, round(round((1.0 - capacity / rate) / STEP) * STEP, 2))


class LoadShedding:
    """While entered, the apps running `color` fail the requests above `capacity` per second.

    `base` is that version's own error share, kept below capacity.
    """

    def __init__(
        self,
        apps: Sequence[DemoApp],
        color: str,
        capacity: float,
        base: float = 0.0,
        clock: Clock | None = None,
    ) -> None:
        if not capacity > 0:
            raise SpecError(f"capacity must be > 0 requests per second, got {capacity!r}", "capacity")
        self.apps, self.color, self.capacity, self.base = list(apps), color, float(capacity), float(base)
        self.clock: Clock = clock or SystemClock()
        self._samples: dict[int, deque[tuple[float, int]]] = {id(app): deque() for app in self.apps}
        self._colors: dict[int, str] = {id(app): app.color for app in self.apps}
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> LoadShedding:
        self._thread = threading.Thread(target=self._watch, name=f"load-shedding-{self.color}", daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=2)

    def rate(self, app: DemoApp) -> float:
        """Requests per second `app` received over the last `WINDOW` seconds (0 until two samples)."""
        samples = self._samples[id(app)]
        if len(samples) < 2:
            return 0.0
        (first, first_count), (last, last_count) = samples[0], samples[-1]
        return (last_count - first_count) / (last - first) if last > first else 0.0

    def tick(self) -> None:
        """Count each app's requests; set the failing share of those running the limited version."""
        for app in self.apps:
            self._sample(app)
            if app.color == self.color:
                wanted = shed_share(self.rate(app), self.capacity, self.base)
                if abs(app.error_rate - wanted) > 1e-9:
                    app.set_behavior(error_rate=wanted)

    def _watch(self) -> None:
        while not self._stopping.wait(TICK):
            self.tick()

    def _sample(self, app: DemoApp) -> None:
        """Count what `app` served; a slot that now runs another version starts its count afresh."""
        samples, now = self._samples[id(app)], self.clock.now()
        if self._colors[id(app)] != app.color:
            self._colors[id(app)] = app.color
            samples.clear()
        samples.append((now, sum(app.served.values())))
        while len(samples) > 2 and samples[1][0] <= now - WINDOW:
            samples.popleft()

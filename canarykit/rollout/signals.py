"""SIGINT/SIGTERM during `Rollout.run()`: the first asks for an abort, a second exits once the abort is saved.

The handler runs in the main thread, possibly in the middle of a reconcile, so it never acts there itself:
- a first signal is recorded, and the run loop carries the abort out between two reconciles; inside an
  `interruptible()` block (a metric query) it raises `Interrupted` so a hung query does not delay it;
- a second signal raises `ExitRequested`; the run loop catches it, saves the abort, and only then exits.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from canarykit.interrupts import Interrupted, in_interruptible

HANDLED = (signal.SIGINT, signal.SIGTERM)


class ExitRequested(BaseException):
    """A second signal: save the abort, then exit with `code` (128 + the signal's number)."""

    def __init__(self, reason: str, code: int) -> None:
        self.reason, self.code = reason, code
        super().__init__(reason)


class SignalRequests:
    """Signals received while a rollout runs; `take()` returns the pending abort reason, once."""

    def __init__(self) -> None:
        self.received: list[int] = []
        self._pending: str | None = None

    def take(self) -> str | None:
        reason, self._pending = self._pending, None
        return reason

    @property
    def reason(self) -> str | None:
        """Why the rollout is being stopped by a signal (the first one's name), if it is."""
        return f"received {signal.Signals(self.received[0]).name}" if self.received else None

    def record(self, signum: int) -> None:
        self.received.append(signum)
        self._pending = f"received {signal.Signals(signum).name}"


@contextmanager
def abort_on_signals(enabled: bool = True) -> Iterator[SignalRequests]:
    """While inside, a first signal is recorded for the caller; a second raises `ExitRequested`."""
    requests = SignalRequests()
    if not enabled or threading.current_thread() is not threading.main_thread():
        yield requests
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        first = not requests.received
        requests.record(signum)
        if not first:
            raise ExitRequested(requests.reason or "", 128 + signum)
        if in_interruptible():
            raise Interrupted(requests.reason or "")

    previous: dict[int, Any] = {sig: signal.signal(sig, handler) for sig in HANDLED}
    try:
        yield requests
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)

"""SIGINT/SIGTERM during `Rollout.run()`: the first asks for an abort, a second saves the state and exits.

The handler only records the request: it runs in the main thread, possibly in the middle of a reconcile, so
the run loop carries the abort out between two reconciles.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

HANDLED = (signal.SIGINT, signal.SIGTERM)


class SignalRequests:
    """Signals received while a rollout runs; `take()` returns the pending abort reason, once."""

    def __init__(self) -> None:
        self.received: list[int] = []
        self._pending: str | None = None

    def take(self) -> str | None:
        reason, self._pending = self._pending, None
        return reason

    def record(self, signum: int) -> None:
        self.received.append(signum)
        self._pending = f"received {signal.Signals(signum).name}"


@contextmanager
def abort_on_signals(save: Callable[[], None], enabled: bool = True) -> Iterator[SignalRequests]:
    """While inside, a first signal is recorded for the caller; a second saves the state and exits."""
    requests = SignalRequests()
    if not enabled or threading.current_thread() is not threading.main_thread():
        yield requests
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        if requests.received:
            save()
            raise SystemExit(128 + signum)
        requests.record(signum)

    previous: dict[int, Any] = {sig: signal.signal(sig, handler) for sig in HANDLED}
    try:
        yield requests
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)

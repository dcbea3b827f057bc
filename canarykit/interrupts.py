"""Where a signal may cut a wait short: a provider call can be interrupted, a router call or a save never.

`Rollout.run()`'s signal handler runs in the main thread between two bytecodes, wherever that thread is. It
must not break a weight change or a state save half-way, so a first signal is only recorded, except while
the thread waits inside an `interruptible()` block (a metric query that may hang for its whole timeout):
there the handler raises `Interrupted`, and the run loop carries out the abort at once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class Interrupted(BaseException):
    """A signal cut an interruptible wait short (a `BaseException`, so `except Exception` lets it pass)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


_local = threading.local()


@contextmanager
def interruptible() -> Iterator[None]:
    """Mark the block as safe to abandon when a signal arrives in this thread."""
    depth = getattr(_local, "depth", 0)
    _local.depth = depth + 1
    try:
        yield
    finally:
        _local.depth = depth


def in_interruptible() -> bool:
    """True inside an `interruptible()` block of the calling thread."""
    return getattr(_local, "depth", 0) > 0

"""A rollout's events: kept in order, logged, and handed to listeners only between two reconciles.

A listener runs where a call from another thread would: never in the middle of a transition. So a listener
may call `promote()` or `abort()` and gets the same result as another thread would, and a listener that
raises is reported as a `ListenerFailed` event; it never stops or misreports the rollout.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable

from canarykit.rollout import events as ev

log = logging.getLogger("canarykit.rollout")
EventListener = Callable[[ev.Event], None]


class EventLog:
    """Events of one run of a rollout, and the listeners they are delivered to."""

    def __init__(self, listeners: list[EventListener]) -> None:
        self.listeners = listeners
        self.events: list[ev.Event] = []
        self._undelivered: deque[ev.Event] = deque()
        self._delivering = False

    def record(self, event: ev.Event) -> None:
        """Keep and log `event`; listeners get it at the next `deliver()`."""
        self.events.append(event)
        log.info("%s: %s", event.rollout, event.message)
        self._undelivered.append(event)

    def clear(self) -> None:
        """Forget the events of an earlier run (a new `run()` starts a clean result)."""
        self.events.clear()
        self._undelivered.clear()

    def deliver(self) -> None:
        """Hand every undelivered event to every listener, in order; a listener's fault becomes an event."""
        if self._delivering:  # a listener's own call (abort, promote) lands here: the outer loop goes on
            return
        self._delivering = True
        try:
            while self._undelivered:
                event = self._undelivered.popleft()
                for listener in list(self.listeners):
                    self._call(listener, event)
        finally:
            self._delivering = False

    def _call(self, listener: EventListener, event: ev.Event) -> None:
        try:
            listener(event)
        except Exception as fault:
            name = getattr(listener, "__name__", type(listener).__name__)
            if isinstance(event, ev.ListenerFailed):  # never a loop of failure reports
                log.warning("%s: listener %s failed on a failure report: %r", event.rollout, name, fault)
                return
            text = f"event listener {name} failed on {type(event).__name__}: {type(fault).__name__}: {fault}"
            failed = ev.ListenerFailed(event.time, event.rollout, text, listener=name, error=repr(fault))
            self.record(failed)

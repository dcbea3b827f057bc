"""Watch streams: newline-delimited `{"type": ..., "object": ...}` events, filtered by the list options."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable

from canarykit.testing.kube.routes import ListOptions
from canarykit.testing.kube.selectors import object_matches
from canarykit.testing.kube.store import Subscription, WatchEvent

_IDLE_CHECK_SECONDS = 0.5


def event_line(event: WatchEvent) -> bytes:
    """One watch event as the API server writes it: a JSON object and a newline."""
    return json.dumps({"type": event.type, "object": event.object}).encode() + b"\n"


def selected(event: WatchEvent, options: ListOptions) -> bool:
    """True when the event's object matches the watch's label and field selectors."""
    return object_matches(options.labels, options.fields, event.object)


def run_watch(
    subscription: Subscription, options: ListOptions, stopping: threading.Event, send: Callable[[bytes], None]
) -> None:
    """Send matching events until `timeoutSeconds` pass, the subscription closes or the server stops."""
    deadline = None if options.timeout_seconds is None else time.monotonic() + options.timeout_seconds
    while not subscription.closed and not stopping.is_set():
        wait = (
            _IDLE_CHECK_SECONDS if deadline is None else min(_IDLE_CHECK_SECONDS, deadline - time.monotonic())
        )
        if wait <= 0:
            return
        event = subscription.next(wait)
        if event is not None and selected(event, options):
            send(event_line(event))

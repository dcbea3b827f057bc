"""Sending off the rollout's thread: one worker sends in order, a failure is a WARNING (schema only, never the
URL), and `close()` waits a bounded time for what is queued, so a dead service never holds a rollout up."""

from __future__ import annotations

import atexit
import logging
import queue
import threading
import time
from typing import Any

from canarykit.notify.messages import Notification
from canarykit.notify.subscription import Subscription, quiet_apprise, schema_of

log = logging.getLogger("canarykit.notify")
Job = tuple[Subscription, Any, Notification]


class Sender:
    """A daemon worker that sends queued notifications; started on the first one. At exit, an open sender
    waits `close_timeout` seconds for its queue."""

    def __init__(self, close_timeout: float) -> None:
        self.close_timeout = close_timeout
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.sent = 0
        self.failed = 0

    def submit(self, subscription: Subscription, service: Any, notification: Notification) -> None:
        """Queue one send; returns at once."""
        with self._lock:
            if self._thread is None:  # each worker has its own queue: one given up on never takes new work
                self._queue = queue.Queue()
                self._thread = threading.Thread(
                    target=self._work, args=(self._queue,), name="canarykit-notify", daemon=True
                )
                self._thread.start()
                atexit.register(self.close)
            self._queue.put((subscription, service, notification))

    def close(self, timeout: float | None = None) -> bool:
        """Wait up to `timeout` (else `close_timeout`) seconds for the queued sends; True when all went."""
        timeout = self.close_timeout if timeout is None else timeout
        with self._lock:
            thread, self._thread = self._thread, None
            if thread is None:
                return True
            self._queue.put(None)
        atexit.unregister(self.close)
        thread.join(timeout)
        if thread.is_alive():
            log.warning("notifications: gave up waiting after %gs; the rest are not sent", timeout)
            return False
        return True

    def _work(self, jobs: queue.Queue[Job | None]) -> None:
        while (job := jobs.get()) is not None:
            self._send(*job)

    def _send(self, subscription: Subscription, service: Any, notification: Notification) -> None:
        started = time.monotonic()
        try:
            with quiet_apprise():
                delivered = bool(
                    service.notify(
                        body=notification.body, title=notification.title, notify_type=notification.kind
                    )
                )
        except Exception as fault:  # a plugin's own bug: its text may quote the URL, so only its type
            self._failed(subscription, notification, f"{type(fault).__name__} raised")
            return
        if delivered:
            self.sent += 1
            log.debug(
                "%s sent to %s in %.2fs", notification.trigger, subscription.label, time.monotonic() - started
            )
        else:
            self._failed(subscription, notification, "the service refused it or did not answer")

    def _failed(self, subscription: Subscription, notification: Notification, why: str) -> None:
        self.failed += 1
        log.warning(
            "%s: notification %s to %s not sent: %s",
            notification.rollout,
            notification.trigger,
            where(subscription),
            why,
        )


def where(subscription: Subscription) -> str:
    """`slack://`, or `team-chat (slack://)` for a named subscription: never the rest of the URL."""
    schema = f"{schema_of(subscription.url)}://"
    return f"{subscription.name} ({schema})" if subscription.name else schema

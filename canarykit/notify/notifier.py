"""`Notifier`: an event listener sending a rollout's events, under Argo's trigger names, through apprise."""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import TYPE_CHECKING

from canarykit.durations import Duration, parse_positive_duration
from canarykit.notify.messages import EventTranslator, Notification
from canarykit.notify.sender import Sender
from canarykit.notify.subscription import Subscription
from canarykit.rollout import events as ev

if TYPE_CHECKING:
    from canarykit.rollout.orchestrator import Rollout


class Notifier:
    """Sends each event's notification to the subscriptions of its trigger, from a worker thread.

    `attach(rollout)` (or `on_event=notifier` and `attach`) lets messages name the step count and the
    abort's condition; a failed send is a WARNING in the `canarykit.notify` log and never stops the rollout.
    `timeout` bounds each request to a service; `close()` waits at most `close_timeout` for queued sends.
    Every URL is checked here (`SpecError` naming its schema, never its tokens).
    """

    def __init__(
        self,
        subscriptions: Sequence[Subscription],
        timeout: Duration = 10,
        close_timeout: Duration = 30,
    ) -> None:
        self.timeout = parse_positive_duration(timeout, "timeout")
        self.close_timeout = parse_positive_duration(close_timeout, "close_timeout")
        self.subscriptions = tuple(subscriptions)
        self._services = [subscription.service(self.timeout) for subscription in self.subscriptions]
        self._translator = EventTranslator()
        self._sender = Sender(self.close_timeout)
        self._last: ev.Event | None = None

    def __call__(self, event: ev.Event) -> None:
        """The listener: queue the notifications `event` fires; returns at once."""
        if event is self._last:  # listening twice (on_event=self and attach): one message
            return
        self._last = event
        for notification in self._translator.translate(event):
            self._queue(notification)

    def _queue(self, notification: Notification) -> None:
        for subscription, service in zip(self.subscriptions, self._services, strict=True):
            if notification.trigger in subscription.triggers:
                self._sender.submit(subscription, service, notification)

    def attach(self, rollout: Rollout) -> Notifier:
        """Listen to `rollout` (when it was not built with `on_event=self`), knowing its plan and reason."""
        self._translator.rollouts[rollout.name] = rollout
        rollout.add_listener(self)
        return self

    def close(self, timeout: Duration | None = None) -> bool:
        """Wait for the queued notifications (at most `timeout`, else `close_timeout`); True when all went."""
        return self._sender.close(None if timeout is None else parse_positive_duration(timeout, "timeout"))

    @property
    def sent(self) -> int:
        return self._sender.sent

    @property
    def failed(self) -> int:
        return self._sender.failed

    def __enter__(self) -> Notifier:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Notifier({list(self.subscriptions)!r})"

"""The rollout command's `--notify URL --on TRIGGER` and `--notify-service NAME=URL` options."""

from __future__ import annotations

import argparse
import contextlib
import logging
from collections.abc import Sequence
from typing import Any

from canarykit.errors import SpecError
from canarykit.notify.annotations import SUBSCRIBE, annotations_of, subscriptions_from_annotations
from canarykit.notify.notifier import Notifier
from canarykit.notify.subscription import Subscription, schema_of
from canarykit.notify.triggers import TRIGGERS

log = logging.getLogger("canarykit.notify")


class _NotifyURL(argparse.Action):
    """`--notify URL`: a new subscription; the `--on` options after it name its triggers."""

    def __call__(self, parser: Any, namespace: Any, values: Any, option_string: Any = None) -> None:
        entries = list(getattr(namespace, self.dest) or [])
        entries.append((str(values), []))
        setattr(namespace, self.dest, entries)


class _OnTrigger(argparse.Action):
    """`--on TRIGGER[,TRIGGER]`: triggers of the `--notify` before it."""

    def __call__(self, parser: Any, namespace: Any, values: Any, option_string: Any = None) -> None:
        entries = getattr(namespace, "notify", None)
        if not entries:
            parser.error("--on TRIGGER goes after the --notify URL it applies to")
            return
        entries[-1][1].extend(part.strip() for part in str(values).split(",") if part.strip())


def add_notify_options(parser: argparse.ArgumentParser) -> None:
    """Add --notify, --on and --notify-service to `parser`."""
    group = parser.add_argument_group(
        "notifications (pip install 'canarykit[notify]'; see docs/notifications.md)"
    )
    group.add_argument(
        "--notify",
        action=_NotifyURL,
        metavar="URL",
        help="send notifications to an apprise URL (slack://, workflows://, gchat://, discord://, "
        "json://...); repeat for each URL",
    )
    group.add_argument(
        "--on",
        action=_OnTrigger,
        metavar="TRIGGER",
        help="a trigger the --notify before it hears; repeat or separate with commas "
        f"({', '.join(TRIGGERS)})",
    )
    group.add_argument(
        "--notify-service",
        action="append",
        default=[],
        metavar="NAME=URL",
        help="the apprise URL of a service named in the Rollout's annotations "
        "notifications.argoproj.io/subscribe.<trigger>.<service> (repeat for each service)",
    )


def notifier_from_options(options: argparse.Namespace, spec: Any) -> Notifier | None:
    """The notifier the options and the Rollout's annotations ask for; None when there is nothing to send."""
    entries: Sequence[tuple[str, list[str]]] = getattr(options, "notify", None) or []
    services = dict(_service(text) for text in getattr(options, "notify_service", []))
    subscriptions = [_subscription(url, triggers) for url, triggers in entries]
    if services:
        subscriptions += subscriptions_from_annotations(spec, services)
    elif any(key.startswith(SUBSCRIBE) for key in annotations_of(spec)):
        log.warning(
            "the Rollout subscribes to notifications by annotation: "
            "give --notify-service NAME=URL to send them"
        )
    return Notifier(subscriptions) if subscriptions else None


def _subscription(url: str, triggers: list[str]) -> Subscription:
    if not triggers:
        raise SpecError(
            f"--notify {schema_of(url)}://... needs at least one --on TRIGGER after it; "
            f"valid: {', '.join(TRIGGERS)}",
            "--on",
        )
    return Subscription(url, triggers)


def _service(text: str) -> tuple[str, str]:
    name, equals, url = text.partition("=")
    if not equals or not name.strip() or not url.strip():
        raise SpecError("expected NAME=URL, such as slack=slack://...", "--notify-service")
    return name.strip(), url.strip()


def notifying(notifier: Notifier | None, rollout: Any) -> contextlib.AbstractContextManager[object]:
    """Attach `notifier` to `rollout` for the block, then wait (bounded) for its last notifications."""
    return contextlib.nullcontext() if notifier is None else notifier.attach(rollout)

"""Subscriptions from a Rollout's annotations, as Argo's notification engine reads them:
`notifications.argoproj.io/subscribe.<trigger>.<service>: <recipient>;<recipient>`.

The caller maps each service name to an apprise URL (Argo's ConfigMap `service.<name>` entries); a URL with
`{recipient}` is sent once per recipient with it filled in, a URL without it once whatever the recipients.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from canarykit.errors import SpecError, UnsupportedFeature
from canarykit.notify.subscription import Subscription
from canarykit.notify.triggers import check_triggers

PREFIX = "notifications.argoproj.io/"
SUBSCRIBE = PREFIX + "subscribe."
SUBSCRIBE_YAML = PREFIX + "subscribe_yaml"
RECIPIENT = "{recipient}"


def annotations_of(spec: Any) -> Mapping[str, str]:
    """A loaded Rollout's `metadata.annotations` (`canarykit.argo.load`), or a mapping as given."""
    if isinstance(spec, Mapping):
        return spec
    document = getattr(spec, "document", None)
    return document.metadata.annotations if document is not None else {}


def subscriptions_from_annotations(annotations: Any, services: Mapping[str, str]) -> list[Subscription]:
    """The subscriptions a Rollout (or its annotations) asks for, with URLs from `services` (name -> URL).

    An annotation naming a service not in `services`, or an unknown trigger, is a `SpecError`.
    """
    wanted: dict[tuple[str, str], list[str]] = {}
    for key, value in annotations_of(annotations).items():
        if key.startswith(SUBSCRIBE_YAML):
            raise UnsupportedFeature(
                "use subscribe.<trigger>.<service> annotations", f"metadata.annotations.{key}"
            )
        if not key.startswith(SUBSCRIBE):
            continue
        trigger, service = _trigger_and_service(key)
        url = _service_url(services, service, key)
        for target in _urls(url, value, service, key):
            wanted.setdefault((service, target), []).append(trigger)
    return [Subscription(url, triggers, name=service) for (service, url), triggers in wanted.items()]


def _trigger_and_service(key: str) -> tuple[str, str]:
    parts = key[len(SUBSCRIBE) :].split(".")
    if len(parts) < 2 or not all(parts[:2]):
        raise SpecError(
            "name a trigger and a service: subscribe.<trigger>.<service> (canarykit has no default triggers)",
            f"metadata.annotations.{key}",
        )
    check_triggers(parts[:1], f"metadata.annotations.{key}", warn=False)
    return parts[0], parts[1]


def _service_url(services: Mapping[str, str], service: str, key: str) -> str:
    if service not in services:
        configured = ", ".join(sorted(services)) or "none"
        raise SpecError(
            f"service {service!r} has no URL (configured: {configured}); "
            f"give one as --notify-service {service}=URL or services={{{service!r}: URL}}",
            f"metadata.annotations.{key}",
        )
    return services[service]


def _urls(url: str, value: str, service: str, key: str) -> list[str]:
    """One URL per recipient when `url` has `{recipient}`, else `url` once."""
    if RECIPIENT not in url:
        return [url]
    recipients = [part.strip() for part in value.split(";") if part.strip()]
    if not recipients:
        raise SpecError(
            f"service {service!r} sends to a {RECIPIENT}: name one (or several, separated by ';')",
            f"metadata.annotations.{key}",
        )
    return [url.replace(RECIPIENT, recipient) for recipient in recipients]

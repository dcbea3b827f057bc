"""Notifications of a rollout's events under Argo Rollouts' trigger names, sent through apprise
(`pip install 'canarykit[notify]'`): Slack, Microsoft Teams, Google Chat, Discord, webhooks and the rest.

    notifier = Notifier([Subscription("slack://T/B/C", triggers=["on-rollout-aborted"])])
    notifier.attach(rollout)
    result = rollout.run("v2")
    notifier.close()

apprise itself is imported only when a `Notifier` is made.
"""

from canarykit.notify.annotations import annotations_of, subscriptions_from_annotations
from canarykit.notify.messages import Notification
from canarykit.notify.notifier import Notifier
from canarykit.notify.subscription import Subscription
from canarykit.notify.triggers import TRIGGERS

__all__ = [
    "TRIGGERS",
    "Notification",
    "Notifier",
    "Subscription",
    "annotations_of",
    "subscriptions_from_annotations",
]

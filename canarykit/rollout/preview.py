"""Blue-green's preview: which version the preview serves, moved through the router and kept on record."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from canarykit.rollout import events as ev
from canarykit.rollout.rollback import retry
from canarykit.traffic.base import PreviewRouter

if TYPE_CHECKING:
    from canarykit.rollout.stepper import Stepper


def show_preview(stepper: Stepper, canary: bool) -> None:
    """Point the preview at the new version (`canary`) or back at stable; nothing without a preview service.

    The router is told first, then the record: a driver killed in between tells it again (idempotent).
    """
    rollout, status = stepper.rollout, stepper.status
    strategy = rollout.blue_green
    if strategy is None or strategy.preview_service is None:
        return
    target = status.version if canary else ""
    if status.preview_version == target:
        return
    router = cast(PreviewRouter, rollout.router)  # checked when the Rollout was built
    retry(lambda: router.set_preview(canary), rollout.clock, rollout.backoff, "preview")
    previous = status.preview_version or status.stable_version
    status.preview_version = target
    stepper.save()
    current = status.version if canary or status.promoted else status.stable_version
    if current != previous:  # after a promotion stable runs the new version: the preview serves the same
        switched(stepper, strategy.preview_service, previous, current)


def switched(stepper: Stepper, service: str, previous: str, current: str) -> None:
    """Argo's `SwitchService` event for `service`."""
    stepper.rollout.emit(
        ev.ServiceSwitched,
        f"Switched selector for service '{service}' from '{previous}' to '{current}'",
        service=service,
        previous=previous,
        current=current,
    )

"""Commands from other processes (`canarykit promote NAME`) and lease renewal, while `run()` drives."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from canarykit.rollout.store import CommandQueue, RenewableLock

if TYPE_CHECKING:
    from canarykit.rollout.orchestrator import Rollout

log = logging.getLogger("canarykit.rollout")
POLL_INTERVAL = 1.0
"""Seconds (on the rollout's clock) between two looks at the store."""


class RemoteControl:
    """Renews the store's lease and applies queued commands, at most every `POLL_INTERVAL` seconds."""

    def __init__(self, rollout: Rollout) -> None:
        self.rollout = rollout
        self.store = rollout.store
        self._next_poll: float | None = None

    def poll(self) -> None:
        """Renew the lease, then apply queued commands (before the rollout acts on a stale view)."""
        now = self.rollout.clock.now()
        if self.store is None or (self._next_poll is not None and now < self._next_poll):
            return
        self._next_poll = now + POLL_INTERVAL
        if isinstance(self.store, RenewableLock):
            self.store.renew(self.rollout.name)
        if isinstance(self.store, CommandQueue):
            for command in self.store.take_commands(self.rollout.name):
                apply_command(self.rollout, command)


def apply_command(rollout: Rollout, command: Mapping[str, Any]) -> None:
    """Carry out one queued command; unknown ones are reported and dropped."""
    kind = command.get("command")
    if kind == "promote":
        rollout.promote(full=bool(command.get("full", False)))
    elif kind == "abort":
        rollout.abort(str(command.get("reason") or "aborted from the command line"))
    elif kind == "retry":
        rollout.retry()
    elif kind == "pause":
        rollout.pause()
    elif kind == "undo":
        rollout.undo()
    else:
        log.warning("%s: ignoring unknown command %r", rollout.name, dict(command))
        return
    log.info("%s: applied %s", rollout.name, dict(command))


def discard_stale_commands(rollout: Rollout) -> None:
    """Commands queued while no rollout ran were meant for an earlier one: a new rollout drops them."""
    store = rollout.store
    if isinstance(store, CommandQueue):
        for command in store.take_commands(rollout.name):
            log.warning("%s: dropping %s queued before this rollout started", rollout.name, dict(command))

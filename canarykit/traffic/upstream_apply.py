"""How `NginxUpstreamRouter` changes its include file: marker, atomic write, check, reload, failures.

`IncludeWriter.apply` writes the marker (durably), then the file, runs the check and reload commands and
clears the marker. On a failure a weight move leaves min(previous, new) on disk; a preview move (or any
move with `undo_on_failure`) puts the previous file back. Callers hold their own lock around it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from canarykit.clock import Clock
from canarykit.errors import RoutingError
from canarykit.traffic.commands import run_command
from canarykit.traffic.upstream_file import read_or_none, remove, write_atomically
from canarykit.traffic.upstream_state import (
    PendingMarker,
    PendingWrite,
    UpstreamState,
    WeightMove,
    WeightUnconfirmed,
)


class IncludeWriter:
    """Writes the include file at `path` and confirms it with `check_command`, then `reload_command`.

    `weight_of(text)` is the canary weight of a file's text (None if none can be read); `state()` is what the
    router reads back, quoted in errors.
    """

    def __init__(
        self,
        path: Path,
        commands: tuple[tuple[str, ...], tuple[str, ...]],
        timeout: float,
        clock: Clock,
        weight_of: Callable[[str | None], int | None],
        state: Callable[[], UpstreamState],
    ) -> None:
        self.path = path
        self.check_command, self.reload_command = commands
        self.timeout = timeout
        self.marker = PendingMarker(path)
        self._clock, self._weight_of, self._state = clock, weight_of, state

    def write_confirmed(self, text: str) -> None:
        """Write `text` as confirmed, without check or reload (a config written before nginx starts)."""
        write_atomically(self.path, text)
        self.marker.clear()

    def apply(self, text: str, weight: int, label: str = "", undo_on_failure: bool = False) -> None:
        """Write `text` (canary `weight`), check and reload; on a failure raise `RoutingError`."""
        move = self._begin(weight, label, undo_on_failure)
        try:
            write_atomically(self.path, text)
        except RoutingError:  # the file did not change (a full disk, say): the marker goes back too
            with contextlib.suppress(RoutingError):
                self.marker.put_back(move.prior)
            raise
        stage, failure = self._check_and_reload(move)
        if failure is None:
            self.marker.clear()
            return
        raise self._after_failure(move, stage, failure)

    def _begin(self, weight: int, label: str, undo_on_failure: bool) -> WeightMove:
        """Read what is on disk and write the marker, durably, before the include file changes."""
        previous = read_or_none(self.path)
        previous_weight = self._weight_of(previous)
        prior = self.marker.read()
        last_confirmed = previous_weight if prior is None else prior.last_confirmed
        pending = PendingWrite(weight, last_confirmed, self._clock.now())
        self.marker.write(pending)
        return WeightMove(weight, previous, previous_weight, prior, pending, label, undo_on_failure)

    def _check_and_reload(self, move: WeightMove) -> tuple[str, str | None]:
        """The stage that failed and why, or ("", None); an interrupted move away from stable is undone."""
        try:
            for stage, command in (("check", self.check_command), ("reload", self.reload_command)):
                failure = run_command(command, self.timeout)
                if failure is not None:
                    return stage, failure
        except BaseException:  # SystemExit, KeyboardInterrupt: the marker stays, the file fails toward stable
            if not move.keeps_new_file:
                with contextlib.suppress(RoutingError):
                    self._put_back(move)
            raise
        return "", None

    def _after_failure(self, move: WeightMove, stage: str, failure: str) -> RoutingError:
        """Leave min(previous, new) on disk; the error says what is there and whether it is confirmed."""
        if move.keeps_new_file:
            return self._error(
                f"{move.name} written but not confirmed ({stage} failed); kept as nearer stable, "
                "any nginx start or reload serves it",
                failure,
            )
        self._put_back(move)
        if stage == "check":  # nginx did not reload: it serves what it served before
            self.marker.put_back(move.prior)
            return self._error(f"{move.name} not applied (check failed), previous file restored", failure)
        again = run_command(self.reload_command, self.timeout)
        if again is None:
            self.marker.clear()
            return self._error(
                f"{move.name} not applied (reload failed), previous file restored and reloaded", failure
            )
        note = f"{failure}; reloading the restored file failed too: {again}"
        return self._error(f"{move.name} not applied (reload failed), previous file restored", note)

    def _put_back(self, move: WeightMove) -> None:
        """The previous include file back (or none, as before), the marker naming its weight."""
        self.marker.write(replace(move.pending, weight=move.previous_weight))
        if move.previous is None:
            remove(self.path)
        else:
            write_atomically(self.path, move.previous)

    def _error(self, what: str, failure: str) -> RoutingError:
        """`what` happened, then what is on disk now; `WeightUnconfirmed` if nginx may not serve it."""
        try:
            state = self._state()
        except RoutingError as unreadable:
            return RoutingError(f"{what}: {unreadable}: {failure}")
        message = f"{what}: {self.path} holds {state.describe()}: {failure}"
        return RoutingError(message) if state.confirmed else WeightUnconfirmed(message, state)

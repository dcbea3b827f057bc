"""A traffic router for plain nginx (no Kubernetes): it owns one include file holding a weighted upstream.

    router = NginxUpstreamRouter("/etc/nginx/conf.d/app-upstream.conf", "127.0.0.1:8001", "127.0.0.1:8002")
    router.set_weight(25)  # writes `server 127.0.0.1:8001 weight=75; server 127.0.0.1:8002 weight=25;`

With `max_weight=1000` (Argo's `maxTrafficWeight`) weights run from 0 to 1000 and the two server weights add
up to 1000: `set_weight(5)` writes `weight=995` and `weight=5`, half a percent on the canary.

`set_weight` marks the file unconfirmed (`<include>.unconfirmed`), writes it atomically, runs the check
(`nginx -t`) and reload (`nginx -s reload`) commands, then clears the mark. A failure never leaves the file
nearer the canary: a failed move toward stable keeps the new file, one away from it restores the old one.
nginx rejects `weight=0`, so a zero share is `down`. The block's `zone` splits every `max_weight` requests
exactly (nginx's smooth weighted round robin).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from canarykit.clock import Clock, SystemClock
from canarykit.errors import RoutingError, SpecError
from canarykit.traffic.commands import run_command
from canarykit.traffic.upstream_file import (
    DEFAULT_MAX_WEIGHT,
    canary_weight_or_none,
    check_upstream,
    parse_canary_weight,
    read_or_none,
    remove,
    render_upstream,
    write_atomically,
)
from canarykit.traffic.upstream_state import (
    PendingMarker,
    PendingWrite,
    UpstreamState,
    WeightMove,
    WeightUnconfirmed,
    unconfirmed_message,
)

__all__ = ["NginxUpstreamRouter", "UpstreamState", "WeightUnconfirmed"]


class NginxUpstreamRouter:
    """Sends `weight` of `max_weight` (100) requests to `canary` by rewriting `upstream <name> {...}`.

    `stable` and `canary` are nginx server addresses (`host:port`). `check_command` and `reload_command` run
    without a shell, each within `timeout` seconds; pass e.g. `("nginx", "-p", prefix, "-c", conf, "-t")` or
    `("sudo", "nginx", "-s", "reload")`. A bare `nginx` not on PATH is also looked for in /usr/sbin.

    Failures fail toward stable: a failed or interrupted `set_weight(w)` leaves min(previous, w) on disk.
    `state()` returns an `UpstreamState`: the weight on disk (`desired_weight`), whether a reload confirmed
    it (`confirmed`), the weight last confirmed and when the unconfirmed write began. `get_weight()` returns
    the confirmed weight, or raises `WeightUnconfirmed` (a `RoutingError`) while nobody can tell what nginx
    serves. `clock` stamps unconfirmed writes.
    """

    def __init__(
        self,
        include_path: str | os.PathLike[str],
        stable: str,
        canary: str,
        upstream: str = "app",
        check_command: Sequence[str] = ("nginx", "-t"),
        reload_command: Sequence[str] = ("nginx", "-s", "reload"),
        timeout: float = 10.0,
        clock: Clock | None = None,
        max_weight: int = DEFAULT_MAX_WEIGHT,
    ) -> None:
        check_upstream(stable, canary, upstream, max_weight)
        if not check_command or not reload_command:
            raise SpecError("check_command and reload_command must not be empty")
        self.include_path = Path(include_path)
        self.stable, self.canary, self.upstream = stable, canary, upstream
        self.check_command = tuple(str(part) for part in check_command)
        self.reload_command = tuple(str(part) for part in reload_command)
        self.timeout = timeout
        self.max_weight = max_weight
        self._clock = clock or SystemClock()
        self._marker = PendingMarker(self.include_path)
        self._lock = threading.RLock()

    @property
    def _servers(self) -> tuple[str, str, str, int]:
        return self.upstream, self.stable, self.canary, self.max_weight

    @property
    def marker_path(self) -> Path:
        """The file whose presence means the include file is not confirmed by a reload."""
        return self._marker.path

    def render(self, weight: int) -> str:
        """The include file's text for `weight` (of `max_weight`) on the canary."""
        return render_upstream(self.upstream, self.stable, self.canary, weight, self.max_weight)

    def write(self, weight: int) -> None:
        """Write the file as confirmed, without check or reload: for a config written before nginx starts."""
        text = self.render(weight)
        with self._lock:
            write_atomically(self.include_path, text)
            self._marker.clear()

    def set_weight(self, weight: int) -> None:
        """Write, check and reload; on a failure leave the weight nearer stable and raise `RoutingError`."""
        text = self.render(weight)
        with self._lock:
            move = self._begin(weight)
            try:
                write_atomically(self.include_path, text)
            except RoutingError:  # the file did not change (a full disk, say): the marker goes back too
                with contextlib.suppress(RoutingError):
                    self._marker.put_back(move.prior)
                raise
            stage, failure = self._check_and_reload(move)
            if failure is None:
                self._marker.clear()
                return
            raise self._after_failure(move, stage, failure)

    def state(self) -> UpstreamState:
        """The include file's weight and whether nginx is confirmed to serve it; `RoutingError` if none."""
        with self._lock:
            text = read_or_none(self.include_path)
            if text is None:
                raise RoutingError(f"{self.include_path} does not exist: no weight was set yet")
            weight = parse_canary_weight(text, self.include_path, *self._servers)
            pending = self._marker.read()
        if pending is None:
            return UpstreamState(weight, True, weight, None)
        return UpstreamState(weight, False, pending.last_confirmed, pending.written_at)

    def get_weight(self) -> int:
        """The weight nginx serves; `WeightUnconfirmed` if unknown, `RoutingError` for a bad file."""
        state = self.state()
        if not state.confirmed:
            raise WeightUnconfirmed(unconfirmed_message(state, self.include_path), state)
        return state.desired_weight

    def _begin(self, weight: int) -> WeightMove:
        """Read what is on disk and write the marker, durably, before the include file changes."""
        previous = read_or_none(self.include_path)
        previous_weight = canary_weight_or_none(previous, *self._servers)
        prior = self._marker.read()
        last_confirmed = previous_weight if prior is None else prior.last_confirmed
        pending = PendingWrite(weight, last_confirmed, self._clock.now())
        self._marker.write(pending)
        return WeightMove(weight, previous, previous_weight, prior, pending)

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
        weight = move.weight
        if move.keeps_new_file:
            return self._error(
                f"weight {weight} written but not confirmed ({stage} failed); kept as nearer stable, "
                "any nginx start or reload serves it",
                failure,
            )
        self._put_back(move)
        if stage == "check":  # nginx did not reload: it serves what it served before
            self._marker.put_back(move.prior)
            return self._error(f"weight {weight} not applied (check failed), previous file restored", failure)
        again = run_command(self.reload_command, self.timeout)
        if again is None:
            self._marker.clear()
            return self._error(
                f"weight {weight} not applied (reload failed), previous file restored and reloaded", failure
            )
        note = f"{failure}; reloading the restored file failed too: {again}"
        return self._error(f"weight {weight} not applied (reload failed), previous file restored", note)

    def _put_back(self, move: WeightMove) -> None:
        """The previous include file back (or none, as before), the marker naming its weight."""
        self._marker.write(replace(move.pending, weight=move.previous_weight))
        if move.previous is None:
            remove(self.include_path)
        else:
            write_atomically(self.include_path, move.previous)

    def _error(self, what: str, failure: str) -> RoutingError:
        """`what` happened, then what is on disk now; `WeightUnconfirmed` if nginx may not serve it."""
        try:
            state = self.state()
        except RoutingError as unreadable:
            return RoutingError(f"{what}: {unreadable}: {failure}")
        message = f"{what}: {self.include_path} holds {state.describe()}: {failure}"
        return RoutingError(message) if state.confirmed else WeightUnconfirmed(message, state)

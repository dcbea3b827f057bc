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

With `preview_upstream="app-preview"` (blue-green) the file also holds `upstream app-preview { server <one
side>; }`: `set_preview(True)` points it at the canary, `set_preview(False)` at stable. Every write carries
both blocks, so `set_weight(0)` <-> `set_weight(max_weight)` switches the active side in one reload.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path

from canarykit.clock import Clock, SystemClock
from canarykit.errors import RoutingError, SpecError
from canarykit.traffic.preview_file import (
    check_preview_name,
    parse_preview,
    preview_or_stable,
    render_preview,
)
from canarykit.traffic.upstream_apply import IncludeWriter
from canarykit.traffic.upstream_file import (
    DEFAULT_MAX_WEIGHT,
    canary_weight_or_none,
    check_upstream,
    check_weight,
    parse_canary_weight,
    read_or_none,
    render_upstream,
)
from canarykit.traffic.upstream_state import UpstreamState, WeightUnconfirmed, unconfirmed_message

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
    serves. `clock` stamps unconfirmed writes. With `preview_upstream`, the router is also a `PreviewRouter`
    (`set_preview`, `get_preview`); a failed `set_preview` puts the previous file back.
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
        preview_upstream: str | None = None,
    ) -> None:
        check_upstream(stable, canary, upstream, max_weight)
        check_preview_name(preview_upstream, upstream)
        if not check_command or not reload_command:
            raise SpecError("check_command and reload_command must not be empty")
        self.include_path = Path(include_path)
        self.stable, self.canary, self.upstream = stable, canary, upstream
        self.preview_upstream = preview_upstream
        self.timeout = timeout
        self.max_weight = max_weight
        commands = (tuple(str(part) for part in check_command), tuple(str(part) for part in reload_command))
        self._writer = IncludeWriter(
            self.include_path, commands, timeout, clock or SystemClock(), self._weight_of, self.state
        )
        self._lock = threading.RLock()

    @property
    def check_command(self) -> tuple[str, ...]:
        return self._writer.check_command

    @property
    def reload_command(self) -> tuple[str, ...]:
        return self._writer.reload_command

    @property
    def _servers(self) -> tuple[str, str, str, int]:
        return self.upstream, self.stable, self.canary, self.max_weight

    @property
    def marker_path(self) -> Path:
        """The file whose presence means the include file is not confirmed by a reload."""
        return self._writer.marker.path

    def render(self, weight: int, preview: bool = False) -> str:
        """The include file's text for `weight` (of `max_weight`) on the canary, and the preview if any."""
        text = render_upstream(self.upstream, self.stable, self.canary, weight, self.max_weight)
        if self.preview_upstream is None:
            return text
        return text + render_preview(self.preview_upstream, self.stable, self.canary, preview)

    def write(self, weight: int, preview: bool = False) -> None:
        """Write the file as confirmed, without check or reload: for a config written before nginx starts."""
        text = self.render(weight, preview)
        with self._lock:
            self._writer.write_confirmed(text)

    def set_weight(self, weight: int) -> None:
        """Write, check and reload; on a failure leave the weight nearer stable and raise `RoutingError`."""
        check_weight(weight, self.max_weight)
        with self._lock:
            text = self.render(weight, self._preview_on_disk())
            self._writer.apply(text, weight)

    @property
    def serves_preview(self) -> bool:
        """Whether this router was given a `preview_upstream` (a blue-green preview needs one)."""
        return self.preview_upstream is not None

    def set_preview(self, canary: bool) -> None:
        """Point the preview at the canary (True) or stable (False): one check and reload, same weight."""
        name = self._preview_name()
        if not isinstance(canary, bool):
            raise SpecError(f"set_preview takes True (canary) or False (stable), got {canary!r}", "canary")
        with self._lock:
            text = read_or_none(self.include_path)
            weight = 0 if text is None else parse_canary_weight(text, self.include_path, *self._servers)
            label = f"{name} on {'canary' if canary else 'stable'}"
            self._writer.apply(self.render(weight, canary), weight, label, undo_on_failure=True)

    def state(self) -> UpstreamState:
        """The include file's weight and whether nginx is confirmed to serve it; `RoutingError` if none."""
        with self._lock:
            text = self._read()
            weight = parse_canary_weight(text, self.include_path, *self._servers)
            pending = self._writer.marker.read()
        preview = None if self.preview_upstream is None else self._preview_or_none(text)
        if pending is None:
            return UpstreamState(weight, True, weight, None, preview)
        return UpstreamState(weight, False, pending.last_confirmed, pending.written_at, preview)

    def get_weight(self) -> int:
        """The weight nginx serves; `WeightUnconfirmed` if unknown, `RoutingError` for a bad file."""
        return self._confirmed_state().desired_weight

    def get_preview(self) -> bool:
        """True when nginx serves the canary on the preview; `WeightUnconfirmed` if unknown."""
        name = self._preview_name()
        with self._lock:
            self._confirmed_state()
            return parse_preview(self._read(), self.include_path, name, self.stable, self.canary)

    def _confirmed_state(self) -> UpstreamState:
        state = self.state()
        if not state.confirmed:
            raise WeightUnconfirmed(unconfirmed_message(state, self.include_path), state)
        return state

    def _read(self) -> str:
        text = read_or_none(self.include_path)
        if text is None:
            raise RoutingError(f"{self.include_path} does not exist: no weight was set yet")
        return text

    def _preview_name(self) -> str:
        if self.preview_upstream is None:
            raise SpecError("this NginxUpstreamRouter has no preview: build it with preview_upstream=...")
        return self.preview_upstream

    def _preview_on_disk(self) -> bool:
        """The file's preview, stable when there is none (or no preview upstream): a weight move keeps it."""
        if self.preview_upstream is None:
            return False
        return preview_or_stable(
            read_or_none(self.include_path), self.preview_upstream, self.stable, self.canary
        )

    def _preview_or_none(self, text: str) -> bool | None:
        try:
            return parse_preview(text, self.include_path, self._preview_name(), self.stable, self.canary)
        except RoutingError:
            return None

    def _weight_of(self, text: str | None) -> int | None:
        return canary_weight_or_none(text, *self._servers)

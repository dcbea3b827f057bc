"""The blue-green demo's router: the stack's nginx router, watched; each move waits until nginx serves it.

After every move (`set_weight` for the active port, `set_preview` for the preview port) it waits until
the old nginx workers are gone (the new configuration is then the only one answering), asks both ports
which version answers, and notes how far the main access log had grown: every line after that offset was
written by a worker running the new configuration.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests

from canarykit.errors import CanaryError, RoutingError
from canarykit.local.access_log import parse_line
from canarykit.local.nginx import NginxServer
from canarykit.traffic.nginx_upstream import NginxUpstreamRouter

NO_ANSWER = "no answer"


@dataclass(frozen=True)
class Move:
    """One router move once in force: what moved, which version each port answers, the main log's size."""

    what: str
    port: str
    """Which port moved: `active` or `preview` (`now` for a look without a move)."""
    active: str
    preview: str
    log_offset: int

    def to_dict(self) -> dict[str, object]:
        return {"move": self.what, "port": self.port, "active": self.active, "preview": self.preview}


def answers(url: str) -> str:
    """The color `url` answers at `/color` (an error status still names its version), or `no answer`."""
    try:
        body = requests.get(f"{url}/color", timeout=2).json()
    except (requests.RequestException, ValueError):
        return NO_ANSWER
    return body if isinstance(body, str) else NO_ANSWER


def served_after(log_path: Path, offset: int, upstream: str) -> tuple[int, int]:
    """(requests logged after `offset`, how many of them `upstream` served)."""
    with open(log_path, "rb") as log:
        log.seek(offset)
        records = [parse_line(line.decode("utf-8", "replace")) for line in log.read().splitlines()]
    logged = [record for record in records if record is not None]
    return len(logged), sum(1 for record in logged if record.upstream == upstream)


class WatchedRouter:
    """Delegates to `nginx.router()`-like `router`; records a `Move` per call and hands it to `on_move`."""

    serves_preview = True

    def __init__(
        self, router: NginxUpstreamRouter, nginx: NginxServer, on_move: Callable[[Move], None] | None = None
    ) -> None:
        self.router, self.nginx, self.on_move = router, nginx, on_move
        self.moves: list[Move] = []

    @property
    def max_weight(self) -> int:
        return self.router.max_weight

    def get_weight(self) -> int:
        return self.router.get_weight()

    def get_preview(self) -> bool:
        return self.router.get_preview()

    def set_weight(self, weight: int) -> None:
        where = "the new version" if weight else "stable"
        self._move(f"active -> {where}", "active", lambda: self.router.set_weight(weight))

    def set_preview(self, canary: bool) -> None:
        where = "the new version" if canary else "stable"
        self._move(f"preview -> {where}", "preview", lambda: self.router.set_preview(canary))

    def current(self, what: str = "now", port: str = "now") -> Move:
        """Which version each port answers now, and the main access log's size."""
        log_size = os.path.getsize(self.nginx.access_log_path)
        return Move(what, port, answers(self.nginx.url), answers(self.nginx.preview_url), log_size)

    def last_active_move(self) -> Move | None:
        """The last move of the active port, if any."""
        return next((move for move in reversed(self.moves) if move.port == "active"), None)

    def _move(self, what: str, port: str, move: Callable[[], None]) -> None:
        before = self.nginx.worker_pids()
        move()  # a RoutingError goes to the runner, which retries
        try:
            self.nginx.wait_reloaded(before)
        except CanaryError as error:
            raise RoutingError(f"{what}: the reload was not in force in time: {error}") from error
        self.moves.append(self.current(what, port))
        if self.on_move is not None:
            self.on_move(self.moves[-1])

"""An argo-rollouts blue-green example on plain nginx: a real nginx with the app port and a preview port in
front of two `DemoApp` slots (stable and canary), driven by `DemoWorkload`.

`WatchedRouter` is the real `NginxUpstreamRouter`; after each of its moves it waits until the reload is in
force (the old workers gone) and notes which versions real requests to both ports get, and how many reloads
the move took (the reload command appends a line to a log before it reloads)."""

from __future__ import annotations

import http.client
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from canarykit.local.demo_app import DemoApp
from canarykit.local.demo_workload import DemoWorkload, Version
from canarykit.local.nginx import NginxServer
from canarykit.traffic import NginxUpstreamRouter

PREVIEW_UPSTREAM = "app-preview"
OLD, NEW = "blue", "green"
ONLY_OLD, ONLY_NEW = frozenset({OLD}), frozenset({NEW})
REQUESTS = 10
RELOAD_TIMEOUT = 30.0  # generous for a busy 2-core machine; the wait ends as soon as the reload is in force


@dataclass(frozen=True)
class Seen:
    """What real requests got right after a router move was in force."""

    move: str
    reloads: int
    app: frozenset[str]
    preview: frozenset[str]


def colors(port: int, count: int = REQUESTS) -> frozenset[str]:
    """The versions `count` requests to nginx on `port` got (a new connection each), or their HTTP errors."""
    answers: set[str] = set()
    for _ in range(count):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("GET", "/color")
            response = connection.getresponse()
            body = response.read().decode()
            answers.add(str(json.loads(body)) if response.status == 200 else f"HTTP {response.status}")
        finally:
            connection.close()
    return frozenset(answers)


class WatchedRouter(NginxUpstreamRouter):
    """The nginx router of `nginx`, noting in `seen` what each of its moves made both ports serve."""

    def __init__(self, nginx: NginxServer, reload_log: Path) -> None:
        self.nginx, self.reload_log = nginx, reload_log
        noting = ("sh", "-c", 'echo reload >> "$0" && exec "$@"', str(reload_log), *nginx.reload_command)
        super().__init__(
            nginx.upstream_path,
            nginx.stable,
            nginx.canary,
            check_command=nginx.check_command,
            reload_command=noting,
            preview_upstream=PREVIEW_UPSTREAM,
        )
        self.seen: list[Seen] = []

    @property
    def reloads(self) -> int:
        return len(self.reload_log.read_text().splitlines()) if self.reload_log.exists() else 0

    def set_weight(self, weight: int) -> None:
        move = super().set_weight
        self._watched(f"set_weight({weight})", lambda: move(weight))

    def set_preview(self, canary: bool) -> None:
        move = super().set_preview
        self._watched(f"set_preview({canary})", lambda: move(canary))

    def serving(self) -> tuple[frozenset[str], frozenset[str]]:
        """(what the app port serves, what the preview port serves)."""
        return colors(self.nginx.port), colors(self.nginx.preview_port)

    def _watched(self, name: str, move: Callable[[], None]) -> None:
        workers, reloads = self.nginx.worker_pids(), self.reloads
        move()
        done = self.reloads - reloads
        if done:
            self.nginx.wait_reloaded(workers, RELOAD_TIMEOUT)
        self.seen.append(Seen(name, done, *self.serving()))


@dataclass
class NginxStack:
    """nginx in front of the two app slots, the workload deploying versions to them, the watched router."""

    nginx: NginxServer
    apps: tuple[DemoApp, DemoApp]
    workload: DemoWorkload
    router: WatchedRouter


@contextmanager
def nginx_stack(workdir: Path) -> Iterator[NginxStack]:
    """The stack with stable on the old version and the canary slot idle."""
    with DemoApp("idle") as stable, DemoApp("idle") as canary:
        versions = {name: Version(name, name) for name in (OLD, NEW)}
        workload = DemoWorkload(stable, canary, versions)
        workload.deploy_stable(OLD)
        nginx = NginxServer(
            workdir / "nginx", stable.address, canary.address, preview_upstream=PREVIEW_UPSTREAM
        )
        with nginx:
            yield NginxStack(nginx, (stable, canary), workload, WatchedRouter(nginx, workdir / "reloads.log"))

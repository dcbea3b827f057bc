"""One fault-matrix case's world: a real nginx in front of two demo app versions, a state directory, a
journal, the driver processes of the case, and what they left behind."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import signal
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType
from typing import Any

from driver_config import AnalysisConfig, DriverConfig
from driver_processes import Driver
from fault_support import color_split, expected_split, read_journal
from nginx_commands import held_at_stable, held_when_armed, journaled
from nginx_support import nginx_on, wait_for

from canarykit import FileStateStore
from canarykit.local.demo_app import DemoApp
from canarykit.local.nginx import NginxServer
from canarykit.traffic.nginx_upstream import NginxUpstreamRouter, UpstreamState

PREVIEW_UPSTREAM = "app-preview"


class Lab:
    """Context manager: nginx in `root`/nginx in front of `stable` and `canary`; all stopped on exit. With
    `preview` (blue-green), nginx also serves the preview on `preview_port`, and journals each reload."""

    def __init__(
        self, root: Path, stable: DemoApp, canary: DemoApp, prometheus: str, preview: bool = False
    ) -> None:
        self.root, self.stable, self.canary, self.prometheus = root, stable, canary, prometheus
        self.preview_upstream = PREVIEW_UPSTREAM if preview else None
        self.nginx = NginxServer(
            root / "nginx", stable.address, canary.address, preview_upstream=self.preview_upstream
        )
        self.drivers: list[Driver] = []
        self.nginx_back_at: float | None = None
        self._stack = ExitStack()

    def __enter__(self) -> Lab:
        (self.root / "state").mkdir(parents=True, exist_ok=True)
        self.nginx.start()
        self.port = self.nginx.port
        self.preview_port = self.nginx.preview_port if self.preview_upstream else None
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        for running in self.drivers:
            if running.process.is_alive():
                running.kill()
            running.release()
        self.release_check()  # a held nginx -t whose driver was killed goes on and ends
        self._stack.close()
        self.nginx.stop()

    # -- drivers -------------------------------------------------------------------------------------

    def config(self, **changes: Any) -> DriverConfig:
        """A driver config for this lab (its nginx, its state), with `changes`."""
        base = DriverConfig(
            root=str(self.root),
            life=len(self.drivers) + 1,
            include=str(self.nginx.upstream_path),
            stable=self.stable.address,
            canary=self.canary.address,
            check=self.nginx.check_command,
            reload=self.reload_command,
        )
        return dataclasses.replace(base, **changes)

    def start(self, **changes: Any) -> Driver:
        started = Driver(self.root, self.config(**changes))
        self.drivers.append(started)
        return started

    def run(self, **changes: Any) -> int:
        """Start a driver and wait for it to exit; its exit code."""
        return self.start(**changes).wait_exit()

    @property
    def reload_command(self) -> tuple[str, ...]:
        """nginx's reload; with a preview, one that journals each reload that succeeded."""
        command = self.nginx.reload_command
        return journaled(self.root / "journal.jsonl", command) if self.preview_upstream else command

    def analysis(self, passing: bool = True, **changes: Any) -> AnalysisConfig:
        """Analysis against the real Prometheus: a canary that passes every measurement, or fails it."""
        query = "vector(1)" if passing else "vector(0)"
        return AnalysisConfig(self.prometheus, query=query, **changes)

    # -- what happened -------------------------------------------------------------------------------

    def entries(self, event: str | None = None) -> list[dict[str, Any]]:
        """Every driver's journal entries, in order (of kind `event`, when given)."""
        journal = read_journal(self.root / "journal.jsonl")
        return [entry for entry in journal if event is None or entry["event"] == event]

    def record(self, name: str = "web") -> dict[str, Any] | None:
        """The saved record of rollout `name` (None if there is none); `StateError` if unreadable."""
        return FileStateStore(self.root / "state").load(name)

    def state_path(self, name: str = "web") -> Path:
        return FileStateStore(self.root / "state").path(name)

    def upstream(self) -> UpstreamState:
        """What the include file holds, and whether nginx was confirmed to serve it."""
        return NginxUpstreamRouter(
            self.nginx.upstream_path,
            self.stable.address,
            self.canary.address,
            preview_upstream=self.preview_upstream,
        ).state()

    def assert_serves(self, weight: int) -> None:
        """nginx sends `weight` percent of 100 requests to the canary (once a reload in flight settled)."""
        wanted = expected_split(weight, self.stable.color, self.canary.color)
        served = self.served(weight)
        assert served == wanted, f"nginx served {served}; want {wanted}"

    def served(self, weight: int, port: int | None = None) -> dict[str, int]:
        """Which version answered 100 requests, once nginx serves `weight` (a reload in flight settles),
        on the active port (or `port`)."""
        wanted = expected_split(weight, self.stable.color, self.canary.color)
        last: list[dict[str, int]] = [{}]

        def serves() -> bool:
            last[0] = color_split(port or self.port)
            return last[0] == wanted

        with contextlib.suppress(AssertionError):
            wait_for(serves, f"nginx to serve weight {weight}", 10.0)
        return last[0]

    def served_preview(self, canary: bool) -> dict[str, int]:
        """Which version answered 100 requests on the preview port, once it serves the canary (or stable)."""
        assert self.preview_port is not None, "this lab serves no preview"
        return self.served(100 if canary else 0, self.preview_port)

    # -- nginx faults --------------------------------------------------------------------------------

    def kill_nginx(self) -> float:
        """SIGKILL nginx's master and workers and wait until they are gone; the time it was done.

        The master is stopped first, so it cannot start a worker in place of one killed before it.
        """
        master = self.nginx.pid
        assert master is not None
        os.kill(master, signal.SIGSTOP)
        doomed = [master, *self.nginx.worker_pids()]
        killed = time.monotonic()
        for pid in doomed:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.nginx.stop()  # reaps the master
        wait_for(lambda: not any(_alive(pid) for pid in doomed), "nginx's processes to die")
        return killed

    def start_nginx_again(self) -> None:
        """nginx started again on the config and include file as they are now (as an operator would)."""
        self._stack.enter_context(nginx_on(self.nginx.workdir, self.port))
        self.nginx_back_at = time.monotonic()

    def held_check(self, armed: bool = False) -> tuple[str, ...]:
        """nginx's check, held while a rollback's weight 0 is checked, until `release_check()`; with
        `armed`, only once `arm_check()` was called (blue-green's preview is checked at weight 0 too)."""
        held, release = self.root / "check-held", self.root / "check-release"
        if armed:
            arm = self.root / "check-armed"
            return held_when_armed(self.nginx.upstream_path, arm, held, release, self.nginx.check_command)
        return held_at_stable(self.nginx.upstream_path, held, release, self.nginx.check_command)

    def arm_check(self) -> None:
        (self.root / "check-armed").touch()

    def wait_check_held(self, watched: Driver) -> None:
        watched.wait_until((self.root / "check-held").exists, "the rollback's nginx -t")

    def release_check(self) -> None:
        (self.root / "check-release").touch()

    def cleanup(self, callback: Callable[[], object]) -> None:
        """Run `callback` when the lab closes (before nginx stops)."""
        self._stack.callback(callback)


def _alive(pid: int) -> bool:
    """True while `pid` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"

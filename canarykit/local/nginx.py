"""A real nginx started by canarykit: a weighted upstream (stable + canary) on 127.0.0.1, no Kubernetes.

    with NginxServer(Path("run/nginx"), "127.0.0.1:8001", "127.0.0.1:8002") as nginx:
        router = nginx.router()
        router.set_weight(25)  # then 25 % of requests to nginx.url go to the canary

Everything lives under `workdir` (given by the caller, never removed): `conf/nginx.conf`, `conf/upstream.conf`
(the router's file, written at weight 0 before start), `logs/` and `tmp/`. With `preview_upstream`
(blue-green) a second listener on `preview_port` proxies to the preview upstream (on stable at start). The
access log uses the `canarykit` format `LOG_FORMAT`. The config text is `canarykit.local.nginx_config`'s (see
there for the `user` line nginx gets as root); the /proc helpers are `canarykit.local.processes`'.
"""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path
from types import TracebackType

from canarykit.errors import CanaryError
from canarykit.local.nginx_config import (
    LOG_FORMAT,
    PREVIEW_ACCESS_LOG,
    NginxNotFound,
    find_nginx,
    nginx_command,
    render_nginx_conf,
    serving,
    spawn_nginx,
    tail_of,
    worker_user_line,
)
from canarykit.local.processes import child_pids, stop_gracefully
from canarykit.system import free_port, wait_until_ready
from canarykit.traffic.nginx_upstream import NginxUpstreamRouter

__all__ = ["LOG_FORMAT", "NginxNotFound", "NginxServer", "NginxStartError", "find_nginx"]

_POLL_SECONDS = 0.01
_READY_TIMEOUT = 10.0
_STOP_TIMEOUT = 10.0


class NginxStartError(CanaryError):
    """nginx exited or never answered while starting."""


class NginxServer:
    """Context manager running nginx with `upstream <upstream> { stable; canary; }` behind 127.0.0.1:`port`.

    `port=None` picks a free port (and retries if another process takes it first), as `preview_port=None`
    does with a `preview_upstream`. `router()` returns the `NginxUpstreamRouter` that moves the weight (and
    the preview); `worker_pids()` and `wait_reloaded()` tell when a reload is in force (they read /proc).
    """

    def __init__(
        self,
        workdir: Path,
        stable: str,
        canary: str,
        port: int | None = None,
        binary: str = "nginx",
        upstream: str = "app",
        preview_upstream: str | None = None,
        preview_port: int | None = None,
    ) -> None:
        self.workdir = Path(workdir).absolute()
        self.stable, self.canary, self.binary = stable, canary, binary
        self.upstream, self.preview_upstream = upstream, preview_upstream
        self._requested_port, self._requested_preview_port = port, preview_port
        self._port: int | None = None
        self._preview_port: int | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._nginx: str | None = None  # the binary's path, found once by start()
        self.config_path = self.workdir / "conf" / "nginx.conf"
        self.upstream_path = self.workdir / "conf" / "upstream.conf"  # the router's include file
        self.access_log_path = self.workdir / "logs" / "access.log"
        self.preview_access_log_path = self.workdir / PREVIEW_ACCESS_LOG  # the preview listener's requests
        self.error_log_path = self.workdir / "logs" / "error.log"
        self.output_path = self.workdir / "logs" / "nginx.out"  # nginx's own stdout and stderr

    def __enter__(self) -> NginxServer:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("nginx is not started")
        return self._port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def preview_port(self) -> int:
        """The preview listener's port, while nginx runs with a `preview_upstream`."""
        if self._preview_port is None:
            raise RuntimeError("nginx is not started with a preview_upstream")
        return self._preview_port

    @property
    def preview_url(self) -> str:
        return f"http://127.0.0.1:{self.preview_port}"

    @property
    def pid(self) -> int | None:
        """The master process id while nginx runs."""
        return None if self._process is None else self._process.pid

    @property
    def check_command(self) -> tuple[str, ...]:
        return nginx_command(self._nginx or find_nginx(self.binary), self.workdir, "-t")

    @property
    def reload_command(self) -> tuple[str, ...]:
        return nginx_command(self._nginx or find_nginx(self.binary), self.workdir, "-s", "reload")

    def router(self) -> NginxUpstreamRouter:
        """The router that owns `upstream_path` and checks and reloads this server."""
        servers, commands = (
            (self.stable, self.canary, self.upstream),
            (self.check_command, self.reload_command),
        )
        return NginxUpstreamRouter(
            self.upstream_path, *servers, *commands, preview_upstream=self.preview_upstream
        )

    def start(self) -> None:
        """Write the config (weight 0), start nginx, wait until stub_status answers; stop on any failure."""
        if self._process is not None:
            raise RuntimeError("nginx is already started")
        self._nginx = find_nginx(self.binary)
        try:
            for sub in ("conf", "logs", "tmp"):
                (self.workdir / sub).mkdir(parents=True, exist_ok=True)
            self.router().write(0)
            self._launch(self._nginx)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """SIGQUIT (graceful), wait, then SIGKILL master and workers after a timeout. Keeps `workdir`."""
        process, self._process, self._port, self._nginx = self._process, None, None, None
        self._preview_port = None
        if process is None or process.poll() is not None:
            return
        stop_gracefully(process, signal.SIGQUIT, _STOP_TIMEOUT)

    def worker_pids(self) -> set[int]:
        """The worker processes' ids (children of the master), read from /proc."""
        return set() if self._process is None else child_pids(self._process.pid)

    def wait_reloaded(self, previous_workers: set[int], timeout: float = 5.0) -> None:
        """Wait until all `previous_workers` (taken before a reload) are gone: the new config is in force."""
        give_up = time.monotonic() + timeout
        while time.monotonic() < give_up:
            workers = self.worker_pids()
            if workers and not workers & previous_workers:
                return
            time.sleep(_POLL_SECONDS)
        raise NginxStartError(f"old nginx workers still running after {timeout:g} s: {self.worker_pids()}")

    def log_tail(self, lines: int = 20) -> str:
        """The last `lines` lines of nginx's output and error log."""
        return tail_of((self.output_path, self.error_log_path), lines)

    def render_config(self, port: int, preview_port: int = 0) -> str:
        """The text of `conf/nginx.conf` for `port` (and `preview_port`, with a `preview_upstream`)."""
        preview = None if self.preview_upstream is None else (preview_port, self.preview_upstream)
        return render_nginx_conf(port, self.upstream, worker_user_line(self.workdir), preview)

    def _launch(self, binary: str, attempts: int = 3) -> None:
        for attempt in range(attempts):
            port, preview_port = self._pick_ports()
            self.config_path.write_text(self.render_config(port, preview_port))
            self._process = spawn_nginx(binary, self.workdir, self.output_path)
            if self._wait_ready(self._process, port):
                self._port = port
                self._preview_port = None if self.preview_upstream is None else preview_port
                return
            self._process.wait()
            retry = self._ports_chosen and "Address already in use" in self.log_tail()
            if not retry or attempt + 1 == attempts:
                break
        raise NginxStartError(f"nginx exited before it was ready; log tail:\n{self.log_tail()}")

    @property
    def _ports_chosen(self) -> bool:
        """Whether a port was picked here (another try may find a free one), not given by the caller."""
        preview_given = self.preview_upstream is not None and self._requested_preview_port
        return not self._requested_port and not preview_given

    def _pick_ports(self) -> tuple[int, int]:
        """The main and preview ports, as requested or free; never one (a second `server` gets nothing)."""
        port = self._requested_port or free_port()
        preview_port = self._requested_preview_port or free_port()
        while preview_port == port and not self._requested_preview_port:
            preview_port = free_port()
        if preview_port == port and self.preview_upstream is not None:
            raise NginxStartError(f"port and preview_port are both {port}")
        return port, preview_port

    def _wait_ready(self, process: subprocess.Popen[bytes], port: int) -> bool:
        """True once all workers run and stub_status answers 200; False if nginx exits; raises after 10 s."""
        ready = wait_until_ready(process, serving(process, port), _READY_TIMEOUT, _POLL_SECONDS)
        if ready is not None:
            return ready
        raise NginxStartError(
            f"nginx did not answer after {_READY_TIMEOUT:g} s; log tail:\n{self.log_tail()}"
        )

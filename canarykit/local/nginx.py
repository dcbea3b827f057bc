"""A real nginx started by canarykit: a weighted upstream (stable + canary) on 127.0.0.1, no Kubernetes.

    with NginxServer(Path("run/nginx"), "127.0.0.1:8001", "127.0.0.1:8002") as nginx:
        router = nginx.router()
        router.set_weight(25)  # then 25 % of requests to nginx.url go to the canary

Everything lives under `workdir` (given by the caller, never removed): `conf/nginx.conf`, `conf/upstream.conf`
(the router's file, written at weight 0 before start), `logs/` and `tmp/`. The access log uses the
`canarykit` format `$msec|$status|$request_time|$upstream_addr|$request_method|$uri`.

Worker user: nginx started as root runs its workers as `nobody`, which cannot reach temp dirs inside a private
(0700) workdir, so request bodies over 16 KB fail with 500. As root the config therefore says
`user <owner of workdir> <its group>;` (root for a root-owned workdir); otherwise workers run as the caller.
"""

from __future__ import annotations

import contextlib
import grp
import http.client
import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType

from canarykit.errors import CanaryError
from canarykit.traffic.nginx_upstream import NginxUpstreamRouter

LOG_FORMAT = "$msec|$status|$request_time|$upstream_addr|$request_method|$uri"
_TEMP_PATHS = {"client_body": "body", "proxy": "proxy", "fastcgi": "fcgi", "uwsgi": "uwsgi", "scgi": "scgi"}
_POLL_SECONDS = 0.01
_READY_TIMEOUT = 10.0
_STOP_TIMEOUT = 10.0


class NginxNotFound(CanaryError):
    """The nginx binary is neither on PATH nor in /usr/sbin."""


class NginxStartError(CanaryError):
    """nginx exited or never answered while starting."""


class NginxServer:
    """Context manager running nginx with `upstream <upstream> { stable; canary; }` behind 127.0.0.1:`port`.

    `port=None` picks a free port (and retries if another process takes it first). `router()` returns the
    `NginxUpstreamRouter` that moves the weight; `worker_pids()` and `wait_reloaded()` tell when a reload is
    in force (Linux: they read /proc).
    """

    def __init__(
        self,
        workdir: Path,
        stable: str,
        canary: str,
        port: int | None = None,
        binary: str = "nginx",
        upstream: str = "app",
    ) -> None:
        self.workdir = Path(workdir).absolute()
        self.stable = stable
        self.canary = canary
        self.binary = binary
        self.upstream = upstream
        self._requested_port = port
        self._port: int | None = None
        self._process: subprocess.Popen[bytes] | None = None

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
    def pid(self) -> int | None:
        """The master process id while nginx runs."""
        return None if self._process is None else self._process.pid

    @property
    def config_path(self) -> Path:
        return self.workdir / "conf" / "nginx.conf"

    @property
    def upstream_path(self) -> Path:
        return self.workdir / "conf" / "upstream.conf"

    @property
    def access_log_path(self) -> Path:
        return self.workdir / "logs" / "access.log"

    @property
    def error_log_path(self) -> Path:
        return self.workdir / "logs" / "error.log"

    @property
    def output_path(self) -> Path:
        """Where nginx's own stdout and stderr go."""
        return self.workdir / "logs" / "nginx.out"

    @property
    def check_command(self) -> tuple[str, ...]:
        return (find_nginx(self.binary), "-p", str(self.workdir), "-c", "conf/nginx.conf", "-t")

    @property
    def reload_command(self) -> tuple[str, ...]:
        return (find_nginx(self.binary), "-p", str(self.workdir), "-c", "conf/nginx.conf", "-s", "reload")

    def router(self) -> NginxUpstreamRouter:
        """The router that owns `upstream_path` and checks and reloads this server."""
        return NginxUpstreamRouter(
            self.upstream_path,
            self.stable,
            self.canary,
            self.upstream,
            self.check_command,
            self.reload_command,
        )

    def start(self) -> None:
        """Write the config (weight 0), start nginx, wait until stub_status answers; stop on any failure."""
        binary = find_nginx(self.binary)
        try:
            for sub in ("conf", "logs", "tmp"):
                (self.workdir / sub).mkdir(parents=True, exist_ok=True)
            self.router().write(0)
            self._launch(binary)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """SIGQUIT (graceful), wait, then SIGKILL master and workers after a timeout. Keeps `workdir`."""
        process, self._process, self._port = self._process, None, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGQUIT)
        try:
            process.wait(timeout=_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            workers = _children(process.pid)
            process.kill()
            process.wait()
            for pid in workers:
                _kill(pid)

    def worker_pids(self) -> set[int]:
        """The worker processes' ids (children of the master), read from /proc."""
        return set() if self._process is None else _children(self._process.pid)

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
        texts = []
        for path in (self.output_path, self.error_log_path):
            with contextlib.suppress(OSError):
                texts.extend(path.read_text(errors="replace").splitlines()[-lines:])
        return "\n".join(texts)

    def render_config(self, port: int) -> str:
        """The text of `conf/nginx.conf` for `port`."""
        temp = "\n".join(f"    {key}_temp_path tmp/{sub};" for key, sub in _TEMP_PATHS.items())
        return (
            f"{self._user_line()}worker_processes 2;\npid logs/nginx.pid;\nerror_log logs/error.log notice;\n"
            "events { worker_connections 256; }\n"
            "http {\n"
            f"{temp}\n"
            f"    log_format canarykit '{LOG_FORMAT}';\n"
            "    access_log logs/access.log canarykit;\n"
            "    include upstream.conf;\n"
            "    server {\n"
            f"        listen 127.0.0.1:{port};\n"
            "        location / {\n"
            f"            proxy_pass http://{self.upstream};\n"
            '            proxy_http_version 1.1;\n            proxy_set_header Connection "";\n'
            "            proxy_next_upstream off;\n"
            "        }\n"
            "        location = /stub_status { stub_status; access_log off; }\n"
            "    }\n"
            "}\n"
        )

    def _user_line(self) -> str:
        if os.geteuid() != 0:
            return ""  # the `user` directive only matters (and is only allowed quietly) for a root master
        owner = self.workdir.stat()
        try:
            return f"user {pwd.getpwuid(owner.st_uid).pw_name} {grp.getgrgid(owner.st_gid).gr_name};\n"
        except KeyError:
            return "user root root;\n"

    def _launch(self, binary: str, attempts: int = 3) -> None:
        for attempt in range(attempts):
            port = self._requested_port or _free_port()
            self.config_path.write_text(self.render_config(port))
            self._process = self._spawn(binary)
            if self._wait_ready(port):
                self._port = port
                return
            self._process.wait()
            retry = not self._requested_port and "Address already in use" in self.log_tail()
            if not retry or attempt + 1 == attempts:
                break
        raise NginxStartError(f"nginx exited before it was ready; log tail:\n{self.log_tail()}")

    def _spawn(self, binary: str) -> subprocess.Popen[bytes]:
        command = [binary, "-p", str(self.workdir), "-c", "conf/nginx.conf", "-g", "daemon off;"]
        with self.output_path.open("ab") as output:
            return subprocess.Popen(
                command, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )

    def _wait_ready(self, port: int) -> bool:
        """True once stub_status answers 200; False if nginx exits; raises after 10 s."""
        give_up = time.monotonic() + _READY_TIMEOUT
        while time.monotonic() < give_up:
            if self._process is None or self._process.poll() is not None:
                return False
            if _answers(port, "/stub_status"):
                return True
            time.sleep(_POLL_SECONDS)
        raise NginxStartError(
            f"nginx did not answer after {_READY_TIMEOUT:g} s; log tail:\n{self.log_tail()}"
        )


def find_nginx(binary: str = "nginx") -> str:
    """The path of `binary`, searched on PATH and then in /usr/sbin; `NginxNotFound` otherwise."""
    found = shutil.which(binary) or shutil.which(binary, path="/usr/sbin")
    if found is None:
        raise NginxNotFound(
            f'{binary} not found on PATH (or /usr/sbin): install it with "sudo apt-get install '
            '--no-install-recommends nginx"'
        )
    return found


def _children(parent: int) -> set[int]:
    """Ids of the live processes whose parent is `parent` (Linux /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == parent and fields[0] != "Z":
            found.add(int(entry.name))
    return found


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _answers(port: int, path: str) -> bool:
    """True if 127.0.0.1:`port` answers `path` with 200 (http.client: no proxy from the environment)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1.0)
    try:
        connection.request("GET", path)
        return connection.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])

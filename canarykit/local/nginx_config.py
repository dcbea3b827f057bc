"""How `NginxServer` invokes nginx: its binary (`find_nginx`), its command line, its `nginx.conf` text.

The config proxies 127.0.0.1:`port` to `upstream` (defined in `upstream.conf`, the router's file), logs in
the `canarykit` format `LOG_FORMAT` and answers `/stub_status`; for blue-green, a second listener proxies to
the preview upstream. Paths are relative to nginx's prefix (`-p`).

Worker user: nginx started as root runs its workers as `nobody`, which cannot reach temp dirs inside a private
(0700) workdir, so request bodies over 16 KB fail with 500. As root the config therefore says
`user <owner of workdir> <its group>;` (root for a root-owned workdir); otherwise workers run as the caller.
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import subprocess
from collections.abc import Callable
from pathlib import Path

from canarykit.errors import CanaryError
from canarykit.local.processes import answers_ok, child_pids
from canarykit.system import find_program

LOG_FORMAT = "$msec|$status|$request_time|$upstream_addr|$request_method|$uri"
WORKER_PROCESSES = 2
TEMP_PATHS = {"client_body": "body", "proxy": "proxy", "fastcgi": "fcgi", "uwsgi": "uwsgi", "scgi": "scgi"}
"""nginx's temp path directives and their directories under `tmp/`."""
PREVIEW_ACCESS_LOG = "logs/preview-access.log"
"""Where the preview listener (blue-green) logs, relative to nginx's prefix."""


class NginxNotFound(CanaryError):
    """The nginx binary is neither on PATH nor in /usr/sbin."""


def find_nginx(binary: str = "nginx") -> str:
    """The path of `binary`, searched on PATH and then in /usr/sbin; `NginxNotFound` otherwise."""
    found = find_program(binary)
    if found is None:
        raise NginxNotFound(
            f'{binary} not found on PATH (or /usr/sbin): install it with "sudo apt-get install '
            '--no-install-recommends nginx"'
        )
    return found


def nginx_command(binary: str, prefix: Path, *arguments: str) -> tuple[str, ...]:
    """`binary` run on `conf/nginx.conf` under `prefix`, with `arguments` (`-t`, `-s reload`, ...)."""
    return (binary, "-p", str(prefix), "-c", "conf/nginx.conf", *arguments)


def render_nginx_conf(
    port: int, upstream: str, user_line: str = "", preview: tuple[int, str] | None = None
) -> str:
    """`nginx.conf` proxying 127.0.0.1:`port` to `upstream`, after `user_line` (or none).

    `preview` (port, upstream name) adds a second listener proxying to the preview upstream, which logs to
    `logs/preview-access.log` (same format) so that preview requests stay out of the main access log.
    """
    temp = "\n".join(f"    {key}_temp_path tmp/{sub};" for key, sub in TEMP_PATHS.items())
    status = "        location = /stub_status { stub_status; access_log off; }\n"
    servers = _server_block(port, upstream, "", status)
    if preview is not None:
        servers += _server_block(
            preview[0], preview[1], f"        access_log {PREVIEW_ACCESS_LOG} canarykit;\n"
        )
    return (
        f"{user_line}worker_processes {WORKER_PROCESSES};\n"
        "pid logs/nginx.pid;\nerror_log logs/error.log notice;\n"
        "events { worker_connections 256; }\n"
        "http {\n"
        f"{temp}\n"
        f"    log_format canarykit '{LOG_FORMAT}';\n"
        "    access_log logs/access.log canarykit;\n"
        "    include upstream.conf;\n"
        f"{servers}"
        "}\n"
    )


def _server_block(port: int, upstream: str, before: str = "", after: str = "") -> str:
    """A `server` on 127.0.0.1:`port` whose `location /` proxies to `upstream`."""
    return (
        "    server {\n"
        f"        listen 127.0.0.1:{port};\n"
        f"{before}"
        "        location / {\n"
        f"            proxy_pass http://{upstream};\n"
        '            proxy_http_version 1.1;\n            proxy_set_header Connection "";\n'
        "            proxy_next_upstream off;\n"
        "        }\n"
        f"{after}"
        "    }\n"
    )


def worker_user_line(workdir: Path, euid: int | None = None) -> str:
    """`user <owner> <group>;` of `workdir` when nginx runs as root (`euid` 0), else an empty string."""
    if (os.geteuid() if euid is None else euid) != 0:
        return ""  # the `user` directive only matters (and is only allowed quietly) for a root master
    owner = workdir.stat()
    try:
        return f"user {pwd.getpwuid(owner.st_uid).pw_name} {grp.getgrgid(owner.st_gid).gr_name};\n"
    except KeyError:
        return "user root root;\n"


def spawn_nginx(binary: str, prefix: Path, output_path: Path) -> subprocess.Popen[bytes]:
    """nginx in the foreground on `prefix`'s config, its stdout and stderr appended to `output_path`."""
    command = nginx_command(binary, prefix, "-g", "daemon off;")
    with output_path.open("ab") as output:
        return subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def serving(process: subprocess.Popen[bytes], port: int) -> Callable[[], bool]:
    """A check: all workers of `process` run and its /stub_status on `port` answers 200.

    All workers, not just the first to answer: a reload before the next fork would look done too early.
    """
    return lambda: len(child_pids(process.pid)) >= WORKER_PROCESSES and answers_ok(port, "/stub_status")


def tail_of(paths: tuple[Path, ...], lines: int) -> str:
    """The last `lines` lines of each of `paths` that can be read, one after the other."""
    texts: list[str] = []
    for path in paths:
        with contextlib.suppress(OSError):
            texts.extend(path.read_text(errors="replace").splitlines()[-lines:])
    return "\n".join(texts)

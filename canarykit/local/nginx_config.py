"""How `NginxServer` invokes nginx: its binary (`find_nginx`), its command line, its `nginx.conf` text.

The config proxies 127.0.0.1:`port` to `upstream` (defined in `upstream.conf`, the router's file), logs in
the `canarykit` format `LOG_FORMAT` and answers `/stub_status`. Paths are relative to nginx's prefix (`-p`).

Worker user: nginx started as root runs its workers as `nobody`, which cannot reach temp dirs inside a private
(0700) workdir, so request bodies over 16 KB fail with 500. As root the config therefore says
`user <owner of workdir> <its group>;` (root for a root-owned workdir); otherwise workers run as the caller.
"""

from __future__ import annotations

import grp
import os
import pwd
from pathlib import Path

from canarykit.errors import CanaryError
from canarykit.system import find_program

LOG_FORMAT = "$msec|$status|$request_time|$upstream_addr|$request_method|$uri"
WORKER_PROCESSES = 2
TEMP_PATHS = {"client_body": "body", "proxy": "proxy", "fastcgi": "fcgi", "uwsgi": "uwsgi", "scgi": "scgi"}
"""nginx's temp path directives and their directories under `tmp/`."""


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


def render_nginx_conf(port: int, upstream: str, user_line: str = "") -> str:
    """`nginx.conf` listening on 127.0.0.1:`port` and proxying to `upstream`, after `user_line` (or none)."""
    temp = "\n".join(f"    {key}_temp_path tmp/{sub};" for key, sub in TEMP_PATHS.items())
    return (
        f"{user_line}worker_processes {WORKER_PROCESSES};\n"
        "pid logs/nginx.pid;\nerror_log logs/error.log notice;\n"
        "events { worker_connections 256; }\n"
        "http {\n"
        f"{temp}\n"
        f"    log_format canarykit '{LOG_FORMAT}';\n"
        "    access_log logs/access.log canarykit;\n"
        "    include upstream.conf;\n"
        "    server {\n"
        f"        listen 127.0.0.1:{port};\n"
        "        location / {\n"
        f"            proxy_pass http://{upstream};\n"
        '            proxy_http_version 1.1;\n            proxy_set_header Connection "";\n'
        "            proxy_next_upstream off;\n"
        "        }\n"
        "        location = /stub_status { stub_status; access_log off; }\n"
        "    }\n"
        "}\n"
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

"""A traffic router for plain nginx (no Kubernetes): it owns one include file holding a weighted upstream.

    router = NginxUpstreamRouter("/etc/nginx/conf.d/app-upstream.conf", "127.0.0.1:8001", "127.0.0.1:8002")
    router.set_weight(25)  # writes `server 127.0.0.1:8001 weight=75; server 127.0.0.1:8002 weight=25;`

`set_weight` writes the file atomically, runs the check command (`nginx -t`), then the reload command
(`nginx -s reload`); if either fails, the previous file is put back and `RoutingError` is raised.
nginx rejects `weight=0`, so a zero share marks that server `down`. `get_weight` reads the file back.
The block has a `zone`: all workers share one smooth weighted round-robin; every 100 requests split exactly.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
from collections.abc import Sequence
from pathlib import Path

from canarykit.errors import RoutingError, SpecError
from canarykit.files import replace_atomically
from canarykit.system import find_program

_INSTALL_HINT = 'install nginx ("sudo apt-get install --no-install-recommends nginx") or give its full path'
_UPSTREAM_NAME = re.compile(r"[A-Za-z0-9_.-]+")
_SERVER_FORBIDDEN = re.compile(r"[\s;{}#'\"\\]")


class NginxUpstreamRouter:
    """Sends `weight` percent of requests to `canary` by rewriting `upstream <name> {...}` in `include_path`.

    `stable` and `canary` are nginx server addresses (`host:port`). `check_command` and `reload_command` run
    without a shell, each within `timeout` seconds; pass e.g. `("nginx", "-p", prefix, "-c", conf, "-t")` or
    `("sudo", "nginx", "-s", "reload")`. A bare `nginx` not on PATH is also looked for in /usr/sbin.
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
    ) -> None:
        _check_server(stable, "stable")
        _check_server(canary, "canary")
        if stable == canary:
            raise SpecError(f"stable and canary are the same server {stable!r}", "canary")
        if not _UPSTREAM_NAME.fullmatch(upstream):
            raise SpecError(
                f"upstream name must match {_UPSTREAM_NAME.pattern}, got {upstream!r}", "upstream"
            )
        if not check_command or not reload_command:
            raise SpecError("check_command and reload_command must not be empty")
        self.include_path = Path(include_path)
        self.stable = stable
        self.canary = canary
        self.upstream = upstream
        self.check_command = tuple(str(part) for part in check_command)
        self.reload_command = tuple(str(part) for part in reload_command)
        self.timeout = timeout
        self._lock = threading.Lock()

    def render(self, weight: int) -> str:
        """The include file's text for `weight` percent on the canary."""
        _check_weight(weight)
        return (
            "# Written by canarykit (NginxUpstreamRouter); it is rewritten on every weight change.\n"
            f"upstream {self.upstream} {{\n"
            f"    zone canarykit_{self.upstream} 64k;  # one shared round-robin state for all workers\n"
            f"    server {self.stable} {_share(100 - weight)};  # stable\n"
            f"    server {self.canary} {_share(weight)};  # canary\n"
            "    keepalive 8;\n"
            "}\n"
        )

    def write(self, weight: int) -> None:
        """Write the include file only (no check, no reload): for a config written before nginx starts."""
        _write_atomically(self.include_path, self.render(weight))

    def set_weight(self, weight: int) -> None:
        """Write, check and reload; on a failure put the previous file back and raise `RoutingError`."""
        text = self.render(weight)
        with self._lock:
            previous = _read_or_none(self.include_path)
            _write_atomically(self.include_path, text)
            failure = self._run(self.check_command)
            if failure is not None:
                self._restore(previous)
                raise RoutingError(
                    f"weight {weight} not applied (check failed), previous file restored: {failure}"
                )
            failure = self._run(self.reload_command)
            if failure is not None:
                self._restore(previous)
                again = self._run(self.reload_command)
                note = "" if again is None else f"; reloading the restored file failed too: {again}"
                raise RoutingError(
                    f"weight {weight} not applied (reload failed), previous file restored: {failure}{note}"
                )

    def get_weight(self) -> int:
        """The canary weight written in the include file; `RoutingError` if it is missing or unparsable."""
        text = _read_or_none(self.include_path)
        if text is None:
            raise RoutingError(f"{self.include_path} does not exist: no weight was set yet")
        if not re.search(rf"^\s*upstream\s+{re.escape(self.upstream)}\s*\{{", text, re.MULTILINE):
            raise RoutingError(f"{self.include_path} holds no `upstream {self.upstream}` block")
        canary, stable = self._share_of(text, self.canary), self._share_of(text, self.stable)
        if canary + stable != 100:
            raise RoutingError(f"{self.include_path}: stable {stable} + canary {canary} is not 100")
        return canary

    def _share_of(self, text: str, server: str) -> int:
        pattern = rf"^\s*server\s+{re.escape(server)}\s+(?:weight=(\d+)|(down))\s*;"
        found = re.search(pattern, text, re.MULTILINE)
        if found is None:
            raise RoutingError(f"{self.include_path}: no parsable `server {server}` line")
        return 0 if found.group(2) else int(found.group(1))

    def _restore(self, previous: str | None) -> None:
        if previous is None:
            self.include_path.unlink(missing_ok=True)
        else:
            _write_atomically(self.include_path, previous)

    def _run(self, command: tuple[str, ...]) -> str | None:
        """None when `command` exits 0, otherwise what went wrong (with nginx's stderr)."""
        argv = [_resolve(command[0]), *command[1:]]
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=self.timeout, check=False)
        except FileNotFoundError:
            return f"{command[0]!r} not found: {_INSTALL_HINT}"
        except subprocess.TimeoutExpired:
            return f"`{' '.join(command)}` timed out after {self.timeout:g} s"
        except OSError as error:
            return f"`{' '.join(command)}` could not run: {error}"
        if done.returncode == 0:
            return None
        output = (done.stderr.strip() or done.stdout.strip() or "(no output)").replace("\n", " | ")
        return f"`{' '.join(command)}` exited {done.returncode}: {output}"


def _share(weight: int) -> str:
    return f"weight={weight}" if weight else "down"  # nginx rejects weight=0


def _check_weight(weight: int) -> None:
    if isinstance(weight, bool) or not isinstance(weight, int) or not 0 <= weight <= 100:
        raise SpecError(f"weight must be an integer from 0 to 100, got {weight!r}", "weight")


def _check_server(server: str, field: str) -> None:
    if not isinstance(server, str) or not server or _SERVER_FORBIDDEN.search(server):
        raise SpecError(f"{field} must be an nginx server address like 127.0.0.1:8080, got {server!r}", field)


def _resolve(binary: str) -> str:
    """`binary` itself when it is a path or on PATH, else where `find_program` finds it (e.g. /usr/sbin)."""
    if os.sep in binary or shutil.which(binary):
        return binary
    return find_program(binary) or binary


def _read_or_none(path: Path) -> str | None:
    try:
        return path.read_text()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise RoutingError(f"cannot read {path}: {error}") from error


def _write_atomically(path: Path, text: str) -> None:
    """Readers (nginx -t, a reload) see the old file or the new, never half of one; its mode is kept."""
    try:
        replace_atomically(path, text.encode("utf-8"))
    except OSError as error:
        raise RoutingError(f"cannot write {path}: {error}") from error

"""Running a router's check and reload commands (`nginx -t`, `nginx -s reload`) without a shell."""

from __future__ import annotations

import os
import shutil
import subprocess

from canarykit.system import find_program

_INSTALL_HINT = 'install nginx ("sudo apt-get install --no-install-recommends nginx") or give its full path'


def run_command(command: tuple[str, ...], timeout: float) -> str | None:
    """None when `command` exits 0 within `timeout` seconds, otherwise what went wrong (with its stderr)."""
    shown = " ".join(command)
    argv = [_resolve(command[0]), *command[1:]]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
    except FileNotFoundError:
        return f"{command[0]!r} not found: {_INSTALL_HINT}"
    except subprocess.TimeoutExpired:
        return f"`{shown}` timed out after {timeout:g} s"
    except OSError as error:
        return f"`{shown}` could not run: {error}"
    if done.returncode == 0:
        return None
    output = (done.stderr.strip() or done.stdout.strip() or "(no output)").replace("\n", " | ")
    return f"`{shown}` exited {done.returncode}: {output}"


def _resolve(binary: str) -> str:
    """`binary` itself when it is a path or on PATH, else where `find_program` finds it (e.g. /usr/sbin)."""
    if os.sep in binary or shutil.which(binary):
        return binary
    return find_program(binary) or binary

"""This machine: where installed programs are, a free TCP port on 127.0.0.1, waiting for a started server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable

SYSTEM_DIRECTORIES = "/usr/sbin:/usr/bin:/usr/local/bin"
"""Searched after `$PATH`: Debian puts nginx in /usr/sbin, which a normal user's PATH often lacks."""


def find_program(name: str, path: str | None = None) -> str | None:
    """The path of program `name` on `path` (default: `$PATH`, then `SYSTEM_DIRECTORIES`), or None."""
    search = path if path is not None else f"{os.environ.get('PATH', '')}{os.pathsep}{SYSTEM_DIRECTORIES}"
    return shutil.which(name, path=search)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_ready(
    process: subprocess.Popen[bytes], probe: Callable[[], bool], timeout: float, poll: float
) -> bool | None:
    """True once `probe()` is; False if `process` exits first; None if neither within `timeout` seconds.

    Polls every `poll` seconds, checking that the process still runs before each probe.
    """
    give_up = time.monotonic() + timeout
    while time.monotonic() < give_up:
        if process.poll() is not None:
            return False
        if probe():
            return True
        time.sleep(poll)
    return None

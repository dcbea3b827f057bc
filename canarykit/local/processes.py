"""Small process and port helpers for the servers canarykit starts locally (Linux: /proc)."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import subprocess
from pathlib import Path


def child_pids(parent: int) -> set[int]:
    """Ids of the live (not zombie) processes whose parent is `parent`, read from /proc."""
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


def stop_gracefully(process: subprocess.Popen[bytes], stop_signal: int, timeout: float) -> None:
    """Send `stop_signal` and wait; after `timeout` seconds SIGKILL the process and its children."""
    process.send_signal(stop_signal)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        children = child_pids(process.pid)
        process.kill()
        process.wait()
        for pid in children:
            kill_if_alive(pid)


def kill_if_alive(pid: int) -> None:
    """SIGKILL `pid`; nothing if it is already gone."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def answers_ok(port: int, path: str) -> bool:
    """True if 127.0.0.1:`port` answers `path` with 200 (http.client: no proxy from the environment)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1.0)
    try:
        connection.request("GET", path)
        return connection.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()

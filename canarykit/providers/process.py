"""Running a command in its own process group with a deadline, keeping only the tail of its output."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import IO

from canarykit.providers.cleanup import run_to_completion

CHUNK = 64 * 1024
SPAWN_WAIT = 10.0
"""Seconds an interrupted start waits for the worker starting the command, to kill what it started."""
READER_JOIN_SECONDS = 1.0
"""How long to wait for the output reader once the process group is gone (a daemonized child may hold the
pipe open; its reader thread is then left behind, as a daemon)."""


@dataclass(frozen=True)
class Finished:
    """How a command ended: its return code (negative: the signal that ended it), or a timeout."""

    returncode: int | None
    timed_out: bool
    output: str


class OutputTail:
    """Reads a pipe to its end on a daemon thread, keeping its last `limit` bytes."""

    def __init__(self, pipe: IO[bytes], limit: int) -> None:
        self._pipe = pipe
        self._limit = limit
        self._kept = bytearray()
        self._thread = threading.Thread(target=self._read, name="command-output", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        with self._pipe:
            while chunk := os.read(self._pipe.fileno(), CHUNK):  # returns what is there, b"" at the end
                self._kept += chunk
                del self._kept[: max(len(self._kept) - self._limit, 0)]

    def text(self) -> str:
        """The output kept so far, decoded (bytes cut mid-character are replaced)."""
        self._thread.join(READER_JOIN_SECONDS)
        return bytes(self._kept).decode("utf-8", "replace")


def run_with_deadline(
    argv: Sequence[str],
    timeout: float,
    env: Mapping[str, str],
    cwd: str | None,
    kill_grace: float,
    output_bytes: int,
) -> Finished:
    """Run `argv` until it exits or `timeout` seconds pass; its process group never outlives this call.

    Past the deadline, and on any exception (a signal's `Interrupted` included), the group gets SIGTERM,
    then SIGKILL after `kill_grace` seconds; once the command exited, what is left of its group gets
    SIGKILL (a pod's containers end with their main process).
    """
    process: subprocess.Popen[bytes] | None = None
    returncode: int | None = None
    try:
        process = _spawn(argv, env, cwd)
        assert process.stdout is not None
        tail = OutputTail(process.stdout, output_bytes)
        with contextlib.suppress(subprocess.TimeoutExpired):
            returncode = process.wait(timeout=timeout)
    finally:
        if process is not None:
            run_to_completion(partial(stop_group, process, kill_grace if returncode is None else 0.0))
    return Finished(returncode, returncode is None, tail.text())


def _spawn(argv: Sequence[str], env: Mapping[str, str], cwd: str | None) -> subprocess.Popen[bytes]:
    """`Popen` on a worker thread: a signal (handled in the main thread) cannot leave a child unknown.

    Raises what `Popen` raised (`OSError` for a command that cannot start); when a signal cuts the wait
    for the worker short, the child it started is killed before the exception goes on. (An `Event`, not
    `Thread.join()`, which Python 3.11 can leave believing a running thread ended.)
    """
    started: list[subprocess.Popen[bytes] | OSError] = []
    done = threading.Event()

    def spawn() -> None:
        try:
            started.append(_popen(argv, env, cwd))
        except OSError as error:
            started.append(error)
        finally:
            done.set()

    try:
        threading.Thread(target=spawn, name="command-spawn", daemon=True).start()
        done.wait()
    except BaseException:
        done.wait(SPAWN_WAIT)  # a signal inside `start()` may come before the worker exists
        if started and isinstance(started[0], subprocess.Popen):
            stop_group(started[0], 0.0)
        raise
    if isinstance(started[0], OSError):
        raise started[0]
    return started[0]


def _popen(argv: Sequence[str], env: Mapping[str, str], cwd: str | None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        list(argv),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=dict(env),
        cwd=cwd,
        start_new_session=True,
    )


def stop_group(process: subprocess.Popen[bytes], grace: float) -> None:
    """SIGTERM the process group when `grace` > 0 and wait for its leader that long; then SIGKILL it."""
    try:
        if grace > 0 and process.poll() is None:
            _signal_group(process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=grace)
    finally:
        _signal_group(process.pid, signal.SIGKILL)
        process.wait()


def _signal_group(group: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # the group is gone already
        os.killpg(group, signum)

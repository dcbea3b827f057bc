"""The flock a `FileStateStore` driver holds on `<name>.lock`, with its pid written inside for `holder()`."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from canarykit.errors import StateError, StateLocked


def live_holder(path: Path) -> int | None:
    """The pid recorded in lock file `path` if that process is alive, else None."""
    try:
        pid = _pid_in(path.read_text(encoding="ascii"))
    except (OSError, ValueError):
        return None
    return pid if pid is not None and _alive(pid) else None


def open_lock_file(path: Path, make_directory: Callable[[], None]) -> int:
    """A descriptor of lock file `path` (created, with its directory, when missing); StateError if not."""
    try:
        make_directory()
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise StateError(f"cannot open lock file {path}: {exc}") from exc


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


@contextlib.contextmanager
def hold_flock(name: str, path: Path, make_directory: Callable[[], None]) -> Iterator[None]:
    """Hold an exclusive, non-blocking flock on `path`, with our pid written in it, for the block."""
    fd = open_lock_file(path, make_directory)
    try:
        _acquire(fd, name, path)
        try:
            yield
        finally:
            _write_pid(fd, "")
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _acquire(fd: int, name: str, path: Path) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise StateLocked(_refusal(name, path, _read_pid(fd))) from None
    except OSError as exc:
        raise StateError(f"cannot lock {path}: {exc}") from exc
    _write_pid(fd, f"{os.getpid()}\n")


def _refusal(name: str, path: Path, holder: int | None) -> str:
    if holder == os.getpid():
        who = f"this process (pid {holder}) already holds it; the lock is not re-entrant"
    elif holder is not None:
        who = f"held by pid {holder}"
    else:
        who = "held by another driver"
    return f"rollout {name!r} is locked ({who}; lock file {path})"


def _write_pid(fd: int, text: str) -> None:
    """Replace the lock file's content; best effort, since the flock is what matters."""
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
        os.pwrite(fd, text.encode("ascii"), 0)


def _read_pid(fd: int) -> int | None:
    try:
        return _pid_in(os.pread(fd, 32, 0).decode("ascii"))
    except (OSError, ValueError):
        return None


def _pid_in(text: str) -> int | None:
    """The pid a lock file holds (None when empty); ValueError when it is not a number."""
    text = text.strip()
    return int(text) if text else None

"""A `StateStore` on the local disk: one JSON file per rollout, saved atomically, locked with `flock`;
commands from other processes queued beside it (`canarykit promote NAME --state DIR`)."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from canarykit.errors import StateError
from canarykit.files import replace_atomically
from canarykit.rollout.file_lock import hold_flock, live_holder, open_lock_file

_NAME = re.compile(r"[A-Za-z0-9._-]{1,253}")


def check_state_name(name: str) -> str:
    """Return `name` if it is a valid rollout name (`[A-Za-z0-9._-]`, 1..253 chars), else raise StateError."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise StateError(f"invalid rollout name {name!r}: use 1 to 253 of A-Z a-z 0-9 . _ -")
    return name


def encode_record(name: str, record: Mapping[str, Any]) -> str:
    """The record as strict JSON text with sorted keys; StateError if it is not JSON-able."""
    try:
        return json.dumps(record, sort_keys=True, indent=2, allow_nan=False) + "\n"
    except (TypeError, ValueError, RecursionError) as exc:
        raise StateError(f"state of rollout {name!r} is not JSON-able: {exc}") from exc


def decode_record(text: str, source: str) -> dict[str, Any]:
    """Parse a saved record; StateError naming `source` if it is not a JSON object."""
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise StateError(f"corrupt rollout state in {source}: {exc}") from exc
    if not isinstance(value, dict):
        raise StateError(f"corrupt rollout state in {source}: expected an object, got {type(value).__name__}")
    return value


class FileStateStore:
    """Keeps `<directory>/<name>.json` per rollout; `lock(name)` holds `flock` on `<directory>/<name>.lock`.

    The lock is not re-entrant: taking it again while held, even through the same store object in the
    same thread, raises `StateLocked`. The OS drops it when the holding process dies, so a killed driver
    never leaves a stale lock. The directory is created on the first `save` or `lock`.
    Commands (`request`) wait in `<name>.commands` (a JSON list, guarded by `<name>.commands-lock`) until
    the driver takes them, as with `KubernetesStateStore`.
    """

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)

    def path(self, name: str) -> Path:
        """Where the record of rollout `name` is kept."""
        return self.directory / f"{check_state_name(name)}.json"

    def load(self, name: str) -> dict[str, Any] | None:
        path = self.path(name)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            raise StateError(f"cannot read rollout state {path}: {exc}") from exc
        return decode_record(text, str(path))

    def save(self, name: str, record: Mapping[str, Any]) -> None:
        path = self.path(name)
        data = encode_record(name, record).encode("utf-8")
        try:
            self._make_directory()
            replace_atomically(path, data)
        except OSError as exc:
            raise StateError(f"cannot write rollout state {path}: {exc}") from exc

    def lock(self, name: str) -> AbstractContextManager[None]:
        path = self.directory / f"{check_state_name(name)}.lock"
        return hold_flock(name, path, self._make_directory)

    def names(self) -> list[str]:
        """The rollouts recorded in the directory, sorted (none when it does not exist)."""
        found = self.directory.glob("[!.]*.json") if self.directory.is_dir() else []
        return sorted(path.stem for path in found if _NAME.fullmatch(path.stem))

    def holder(self, name: str) -> str | None:
        """`pid N` of the live process driving rollout `name` now, else None (pid recorded by `lock`)."""
        pid = live_holder(self.directory / f"{check_state_name(name)}.lock")
        return None if pid is None else f"pid {pid}"

    def request(self, name: str, command: Mapping[str, Any]) -> None:
        """Queue `command` (e.g. `{"command": "promote", "full": True}`) for the process driving `name`."""
        if not self.path(name).exists():
            raise StateError(f"no rollout {name!r} in {self.directory}")
        queue = self._queue(name)
        with self._queue_lock(name):
            _write(queue, json.dumps([*_read_commands(queue), dict(command)], sort_keys=True))

    def take_commands(self, name: str) -> list[dict[str, Any]]:
        """Queued commands, oldest first, removed from the queue."""
        queue = self._queue(name)
        if not queue.exists():
            return []
        with self._queue_lock(name):
            taken = _read_commands(queue)
            with contextlib.suppress(FileNotFoundError):
                queue.unlink()
        return taken

    def _queue(self, name: str) -> Path:
        return self.directory / f"{check_state_name(name)}.commands"

    @contextlib.contextmanager
    def _queue_lock(self, name: str) -> Iterator[None]:
        """A short, blocking flock on `<name>.commands-lock` around one read-modify-write of the queue."""
        fd = open_lock_file(self.directory / f"{name}.commands-lock", self._make_directory)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing the last descriptor releases the flock

    def _make_directory(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)


def _read_commands(queue: Path) -> list[dict[str, Any]]:
    try:
        value = json.loads(queue.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        raise StateError(f"cannot read the command queue {queue}: {exc}") from exc
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise StateError(f"corrupt command queue {queue}: expected a list of objects")
    return [dict(item) for item in value]


def _write(path: Path, text: str) -> None:
    try:
        replace_atomically(path, text.encode("utf-8"))
    except OSError as exc:
        raise StateError(f"cannot write {path}: {exc}") from exc

"""The nginx access log the local setup writes: parse its lines and follow the file like `tail -F`.

The format is fixed: `canarykit.local.nginx_config.LOG_FORMAT` (the `canarykit` log_format),
`$msec|$status|$request_time|$upstream_addr|$request_method|$uri`,
e.g. `1732600000.123|200|0.002|127.0.0.1:34567|GET|/color`.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

__all__ = ["LogFollower", "LogRecord", "parse_line", "served_by"]

_FIELDS = 6
_TOKEN = re.compile(r"[-!#$%&'*+.^_`~0-9A-Za-z]+")


@dataclass(frozen=True)
class LogRecord:
    """One request: unix time, status, seconds, the address that served it (None: none), method, URI."""

    time: float
    status: int
    request_time: float
    upstream: str | None
    method: str
    path: str


def served_by(upstream_addr: str) -> str | None:
    """The address that served the request: the last of nginx's list, None for `-` (no upstream was asked).

    nginx separates the servers it tried with ", " and upstream groups (internal redirects) with " : ".
    """
    last = upstream_addr.split(",")[-1].split(" : ")[-1].strip()
    return None if last in ("", "-") else last


def parse_line(text: str) -> LogRecord | None:
    """The record on one log line (its newline optional); None for a malformed line. Never raises.

    A line without a method (nginx's own 400 for a request line it could not parse) counts as malformed:
    such requests never reach an ingress location, so ingress-nginx does not count them either.
    """
    fields = text.rstrip("\r\n").split("|", _FIELDS - 1)
    if len(fields) != _FIELDS:
        return None
    msec, status, request_time, upstream_addr, method, path = fields
    when, took = _number(msec), _number(request_time)
    if when is None or took is None or not (status.isascii() and status.isdigit() and len(status) == 3):
        return None
    if not _TOKEN.fullmatch(method):
        return None
    return LogRecord(when, int(status), took, served_by(upstream_addr), method, path)


def _number(text: str) -> float | None:
    """A finite, non-negative decimal; None otherwise."""
    if not text or not all(char.isdigit() or char == "." for char in text):
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


class LogFollower:
    """Reads the complete lines appended to `path` since the last read.

    A trailing partial line waits for the next read. The file may not exist yet. Truncation (copytruncate)
    restarts at offset 0; a replaced file (rotation: new inode) is read to its end, then the new one from its
    start. `from_end=True` skips what the file holds when it is first opened.
    """

    def __init__(self, path: str | os.PathLike[str], from_end: bool = False) -> None:
        self.path = Path(path)
        self.from_end = from_end
        self._file: BinaryIO | None = None
        self._inode: tuple[int, int] = (0, 0)
        self._offset = 0
        self._partial = b""
        self._opened = False

    @property
    def offset(self) -> int:
        """Bytes of the current file consumed so far, partial line included."""
        return self._offset

    def read_lines(self) -> list[str]:
        """The complete new lines, without their newlines, decoded as UTF-8 (bad bytes replaced)."""
        lines: list[str] = []
        current = _identity(self.path)
        if self._file is not None and current is not None and current != self._inode:
            lines += self._read_open_file()  # rotated: finish the old file first
            self.close()
        if self._file is None:
            self._open()
        if self._file is not None:
            lines += self._read_open_file()
        return lines

    def close(self) -> None:
        """Close the file; the next read starts at the beginning of whatever file is at `path` then."""
        if self._file is not None:
            self._file.close()
        self._file, self._offset, self._partial = None, 0, b""

    def __enter__(self) -> LogFollower:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _open(self) -> None:
        try:
            handle = self.path.open("rb")
        except FileNotFoundError:
            return
        info = os.fstat(handle.fileno())
        self._file, self._inode = handle, (info.st_dev, info.st_ino)
        self._offset = info.st_size if self.from_end and not self._opened else 0
        self._partial, self._opened = b"", True

    def _read_open_file(self) -> list[str]:
        assert self._file is not None
        if os.fstat(self._file.fileno()).st_size < self._offset:  # truncated in place
            self._offset, self._partial = 0, b""
        self._file.seek(self._offset)
        data = self._file.read()
        self._offset += len(data)
        complete, newline, self._partial = (self._partial + data).rpartition(b"\n")
        if not newline:
            return []
        return complete.decode("utf-8", errors="replace").split("\n")


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    return (info.st_dev, info.st_ino)

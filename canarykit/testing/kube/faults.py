"""Failure injection: make the next matching requests fail with a status, a hang or a dropped connection."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from canarykit.testing.kube.errors import ApiError, reason_for

TIMEOUT = "timeout"
DISCONNECT = "disconnect"

_MESSAGES = {
    409: "Operation cannot be fulfilled: the object has been modified; "
    "please apply your changes to the latest version and try again",
    429: "Too many requests, please try again later.",
    500: "Internal error occurred: injected failure",
    503: "The server is currently unable to handle the request",
    504: "The server was unable to return a response in the time allotted",
}


@dataclass
class Fault:
    """`remaining` more requests matching `method` and `path` (a substring) fail with `status`."""

    remaining: int
    status: int | str
    method: str | None = None
    path: str | None = None

    def matches(self, method: str, path: str) -> bool:
        """True when this fault applies to a request with this method and path."""
        return (self.method is None or self.method == method) and (self.path is None or self.path in path)


def injected_error(code: int) -> ApiError:
    """The Status error a real API server would send with this HTTP code."""
    return ApiError(code, reason_for(code), _MESSAGES.get(code, f"injected failure ({code})"))


class FaultQueue:
    """Pending faults in the order they were added; each matching request uses up one from the first match."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, count: int, status: int | str, method: str | None, path: str | None) -> None:
        """Queue a fault; ValueError for a count below 1 or an unknown status."""
        if count < 1:
            raise ValueError(f"count must be at least 1, got {count}")
        if status not in (TIMEOUT, DISCONNECT) and not (isinstance(status, int) and 400 <= status <= 599):
            raise ValueError(
                f"status must be an HTTP error code (400-599), {TIMEOUT!r} or {DISCONNECT!r}; got {status!r}"
            )
        with self._lock:
            self._faults.append(Fault(count, status, method.upper() if method else None, path))

    def take(self, method: str, path: str) -> int | str | None:
        """The status to inject for this request, or None to answer it normally."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self._faults.remove(fault)
                    return fault.status
        return None

    def clear(self) -> None:
        """Drop every pending fault."""
        with self._lock:
            self._faults.clear()

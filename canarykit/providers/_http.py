"""HTTP under one total deadline (connect, headers and body), with faults turned into `ProviderError`s."""

from __future__ import annotations

import math
import re
import socket
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
import urllib3
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import ReadTimeoutError

from canarykit.errors import ProviderError, SpecError
from canarykit.providers.watchdog import headers_deadline

_CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class Reply:
    """A complete HTTP response."""

    status: int
    reason: str
    body: bytes

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class Deadline:
    """A point in monotonic time `seconds` from now."""

    def __init__(self, seconds: float, now: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._now = now
        self._end = now() + seconds

    def remaining(self) -> float:
        return self._end - self._now()


def check_timeout(timeout: float) -> float:
    """`timeout` as float seconds; raises `SpecError` unless it is a finite number > 0."""
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 < timeout < math.inf:
        raise SpecError(f"timeout must be a positive number of seconds, got {timeout!r}")
    return float(timeout)


def safe_url(url: str) -> str:
    """`url` without user info, query or fragment, fit for messages."""
    try:
        parts = urlsplit(url)
    except ValueError:  # not even a URL: cut what could be user info, a query or a fragment
        return re.sub(r"^([^/]*//)?[^/]*@", r"\1", re.split(r"[?#]", url, maxsplit=1)[0])
    netloc = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def send(
    session: requests.Session,
    method: str,
    url: str,
    deadline: Deadline,
    headers: Mapping[str, str],
    verify: bool,
    max_bytes: int,
    **payload: Any,
) -> Reply:
    """Send one request and read the whole body, at most `max_bytes`, before `deadline`.

    `payload` is `params`, `data`, ... Faults are `ProviderError`s that chain no requests exception (those
    carry the URL, query included).
    """
    where = safe_url(url)
    # requests hands a urllib3 Timeout to urllib3 as is; `total` bounds connect plus waiting for the headers.
    timeout: Any = urllib3.Timeout(total=_left(deadline, where))
    try:
        with headers_deadline(deadline.remaining()):
            response = session.request(
                method, url, headers=dict(headers), verify=verify, stream=True, timeout=timeout, **payload
            )
    except requests.RequestException as exc:
        raise _request_fault(exc, deadline, where) from None
    with response:
        _check_length(response, max_bytes, where)
        body = _read_body(response, deadline, where, max_bytes)
    return Reply(response.status_code, response.reason or "", body)


def _request_fault(exc: requests.RequestException, deadline: Deadline, where: str) -> ProviderError:
    """What went wrong before the headers came: a timeout (the watchdog's too), TLS, the connection."""
    if isinstance(exc, requests.Timeout) or deadline.remaining() <= 0:
        return _timeout(deadline, where)
    if isinstance(exc, requests.exceptions.SSLError):
        return ProviderError(f"TLS error talking to {where}: {_cause(exc)}")
    if isinstance(exc, requests.ConnectionError):
        return ProviderError(f"cannot connect to {where}: {_cause(exc)}")
    return ProviderError(f"HTTP request to {where} failed: {_cause(exc)}")


def _check_length(response: requests.Response, max_bytes: int, where: str) -> None:
    """Refuse, before reading a byte of it, a body whose announced (undecoded) length is over the cap."""
    announced = response.headers.get("Content-Length", "")
    if announced.isdigit() and int(announced) > max_bytes:
        raise _too_large(where, max_bytes, f" (Content-Length: {int(announced)})")


def _read_body(response: requests.Response, deadline: Deadline, where: str, max_bytes: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in _chunks(response.raw, deadline, where):
            size += len(chunk)
            if size > max_bytes:
                raise _too_large(where, max_bytes, "")
            chunks.append(chunk)
    except (TimeoutError, ReadTimeoutError):
        raise _timeout(deadline, where) from None
    except (Urllib3Error, OSError) as exc:
        cause = _cause(exc)
        raise ProviderError(f"connection to {where} broke while reading the response: {cause}") from None
    return b"".join(chunks)


def _too_large(where: str, max_bytes: int, detail: str) -> ProviderError:
    return ProviderError(
        f"the response from {where} is larger than {max_bytes} bytes (max_response_bytes){detail}"
    )


def _chunks(raw: Any, deadline: Deadline, where: str) -> Iterator[bytes]:
    """Body pieces as they arrive; every socket wait is bounded by what is left of the deadline."""
    read = getattr(raw, "read1", None) or raw.read
    while True:
        sock = getattr(getattr(raw, "connection", None), "sock", None)
        left = _left(deadline, where)
        if isinstance(sock, socket.socket):
            sock.settimeout(left)
        chunk = read(_CHUNK_BYTES, decode_content=True)
        if not chunk:
            return
        yield chunk


def _left(deadline: Deadline, where: str) -> float:
    left = deadline.remaining()
    if left <= 0:
        raise _timeout(deadline, where)
    return left


def _timeout(deadline: Deadline, where: str) -> ProviderError:
    return ProviderError(f"timeout: no complete response from {where} within {deadline.seconds:g} s")


def _cause(exc: BaseException) -> str:
    """The most specific readable reason inside a wrapped requests/urllib3 exception."""
    for inner in _chain(exc):
        if isinstance(inner, OSError) and inner.strerror:
            return inner.strerror
    return type(exc).__name__


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        current = todo.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        nested = [*current.args, getattr(current, "reason", None), current.__cause__, current.__context__]
        todo.extend(item for item in nested if isinstance(item, BaseException))

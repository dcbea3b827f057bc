"""HTTP under one total deadline (connect, headers and body), with faults turned into `ProviderError`s.

Transport faults are `TransportFault`s carrying Go's wording (`go_net`), so each provider can frame them as
Argo's Go client does; a body over the size cap keeps canarykit's own message.
"""

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
from canarykit.providers import go_net
from canarykit.providers.watchdog import headers_deadline

_CHUNK_BYTES = 64 * 1024
_CREDENTIAL_NAME = re.compile(r"token|key|secret|pass|pwd|auth|sig|credential|session", re.IGNORECASE)


class TransportFault(ProviderError):
    """No complete answer: `stage` is `request` (no response) or `body` (reading it broke off).

    `cause` is Go's text for it (`dial tcp 127.0.0.1:9: connect: connection refused`, `EOF`,
    `context deadline exceeded`); `timed_out` tells a deadline from other faults.
    """

    def __init__(self, stage: str, cause: str, timed_out: bool = False) -> None:
        super().__init__(cause)
        self.stage = stage
        self.cause = cause
        self.timed_out = timed_out


@dataclass(frozen=True)
class Reply:
    """A complete HTTP response."""

    status: int
    reason: str
    body: bytes
    content_type: str = ""

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


def is_http_url(url: str) -> bool:
    """An http(s) URL with a host and a port other than 0 (a URL `urlsplit` refuses is not one)."""
    try:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:
        return False


def safe_url(url: str) -> str:
    """`url` without user info, query or fragment, fit for messages."""
    try:
        parts = urlsplit(url)
    except ValueError:  # not even a URL: cut what could be user info, a query or a fragment
        return re.sub(r"^([^/]*//)?[^/]*@", r"\1", re.split(r"[?#]", url, maxsplit=1)[0])
    netloc = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def go_url(url: str) -> str:
    """`url` as Go's `url.Error` shows it, minus what could be a credential: no user info, and the value of
    a query parameter named like one (`token`, `apikey`, `secret`, `password`, `auth`, `sig`) is `***`."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return safe_url(url)
    query = "&".join(_masked(pair) for pair in parts.query.split("&")) if parts.query else ""
    return urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path, query, parts.fragment))


def _masked(pair: str) -> str:
    name, equals, value = pair.partition("=")
    return f"{name}=***" if equals and value and _CREDENTIAL_NAME.search(name) else pair


def send(
    session: requests.Session,
    method: str,
    url: str,
    deadline: Deadline,
    headers: Mapping[str, str],
    verify: bool,
    max_bytes: int,
    wants_body: Callable[[int], bool] = lambda status: True,
    **payload: Any,
) -> Reply:
    """Send one request and read the whole body, at most `max_bytes`, before `deadline`.

    `payload` is `params`, `data`, ... The body of an answer whose status `wants_body` refuses is not read.
    Faults are `ProviderError`s that chain no requests exception (those carry the URL, query included).
    """
    where = safe_url(url)
    # requests hands a urllib3 Timeout to urllib3 as is; `total` bounds connect plus waiting for the headers.
    timeout: Any = urllib3.Timeout(total=_left(deadline, "request"))
    try:
        with headers_deadline(deadline.remaining()):
            response = session.request(
                method, url, headers=dict(headers), verify=verify, stream=True, timeout=timeout, **payload
            )
    except requests.RequestException as exc:
        raise _request_fault(exc, deadline, url) from None
    with response:
        body = b""
        if wants_body(response.status_code):
            _check_length(response, max_bytes, where)
            body = _read_body(response, deadline, url, max_bytes)
    content_type = response.headers.get("Content-Type", "")
    return Reply(response.status_code, response.reason or "", body, content_type)


def _request_fault(exc: requests.RequestException, deadline: Deadline, url: str) -> TransportFault:
    """What went wrong before the headers came: a timeout (the watchdog's too), TLS, the connection."""
    if isinstance(exc, requests.Timeout) or deadline.remaining() <= 0:
        return _timeout("request")
    return TransportFault("request", go_net.request_cause(exc, url))


def _check_length(response: requests.Response, max_bytes: int, where: str) -> None:
    """Refuse, before reading a byte of it, a body whose announced (undecoded) length is over the cap."""
    announced = response.headers.get("Content-Length", "")
    if announced.isdigit() and int(announced) > max_bytes:
        raise _too_large(where, max_bytes, f" (Content-Length: {int(announced)})")


def _read_body(response: requests.Response, deadline: Deadline, url: str, max_bytes: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in _chunks(response.raw, deadline):
            size += len(chunk)
            if size > max_bytes:
                raise _too_large(safe_url(url), max_bytes, "")
            chunks.append(chunk)
    except (TimeoutError, ReadTimeoutError):
        raise _timeout("body") from None
    except (Urllib3Error, OSError) as exc:
        if deadline.remaining() <= 0:
            raise _timeout("body") from None
        raise TransportFault("body", go_net.read_cause(exc, url)) from None
    return b"".join(chunks)


def _too_large(where: str, max_bytes: int, detail: str) -> ProviderError:
    return ProviderError(
        f"the response from {where} is larger than {max_bytes} bytes (max_response_bytes){detail}"
    )


def _chunks(raw: Any, deadline: Deadline) -> Iterator[bytes]:
    """Body pieces as they arrive; every socket wait is bounded by what is left of the deadline."""
    read = getattr(raw, "read1", None) or raw.read
    while True:
        sock = getattr(getattr(raw, "connection", None), "sock", None)
        left = _left(deadline, "body")
        if isinstance(sock, socket.socket):
            sock.settimeout(left)
        chunk = read(_CHUNK_BYTES, decode_content=True)
        if not chunk:
            return
        yield chunk


def _left(deadline: Deadline, stage: str) -> float:
    left = deadline.remaining()
    if left <= 0:
        raise _timeout(stage)
    return left


def _timeout(stage: str) -> TransportFault:
    return TransportFault(stage, go_net.DEADLINE, timed_out=True)

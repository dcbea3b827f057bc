"""What Go's `net/http` says about a failed request, from the exceptions `requests` and urllib3 raise.

Argo records Go's error text: `dial tcp 127.0.0.1:9090: connect: connection refused`, `EOF`,
`tls: failed to verify certificate: x509: certificate signed by unknown authority`. Go names the resolved
address (`dial tcp 10.0.0.5:9090`); the address of the URL is named here, as it was written.
"""

from __future__ import annotations

import http.client
import os
import socket
import ssl
from collections.abc import Iterator
from urllib.parse import urlsplit

import requests

from canarykit.providers.go_text import go_quote

DEADLINE = "context deadline exceeded"
_UNKNOWN_AUTHORITY = {18, 19, 20, 21}  # OpenSSL: self-signed, self-signed in chain, unknown issuer, leaf
_NO_SUCH_HOST = {socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)}


def host_port(url: str) -> str:
    """`host:port` of `url` (`[v6]:port`), the port defaulting to the scheme's."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def request_cause(exc: BaseException, url: str) -> str:
    """Go's error for a request that got no response (the part after `Post "<url>": `)."""
    address = host_port(url)
    for inner in _chain(exc):
        if isinstance(inner, ssl.SSLError):
            return _tls(inner, url)
        if isinstance(inner, socket.gaierror):
            return _lookup(inner, urlsplit(url).hostname or "")
        if isinstance(inner, http.client.RemoteDisconnected):
            return "EOF"
        if isinstance(inner, http.client.BadStatusLine):
            line = str(inner.args[0]).rstrip("\r\n") if inner.args else ""
            return f"net/http: HTTP/1.x transport connection broken: malformed HTTP response {go_quote(line)}"
        if isinstance(inner, ConnectionResetError):
            return f"read tcp {address}: read: {errno_text(inner)}"
        if isinstance(inner, OSError) and inner.errno:
            return f"dial tcp {address}: connect: {errno_text(inner)}"
    return _fallback(exc)


def read_cause(exc: BaseException, url: str) -> str:
    """Go's error for a response body that broke off (connection reset, shorter than announced)."""
    for inner in _chain(exc):
        if isinstance(inner, ConnectionResetError):
            return f"read tcp {host_port(url)}: read: {errno_text(inner)}"
    return "unexpected EOF"


def errno_text(error: OSError) -> str:
    """Go's `syscall.Errno` text: the C library's message with a lower-case first letter."""
    text = os.strerror(error.errno) if error.errno else (error.strerror or type(error).__name__)
    return text[:1].lower() + text[1:]


def _tls(error: ssl.SSLError, url: str) -> str:
    if isinstance(error, ssl.SSLCertVerificationError):
        code = error.verify_code
        if code in _UNKNOWN_AUTHORITY:
            reason = "x509: certificate signed by unknown authority"
        elif code == 10:
            reason = "x509: certificate has expired or is not yet valid"
        elif code == 62:
            reason = f"x509: certificate is not valid for {urlsplit(url).hostname}"
        else:
            reason = f"x509: {error.verify_message}"
        return f"tls: failed to verify certificate: {reason}"
    if "WRONG_VERSION_NUMBER" in str(error) or "wrong version number" in str(error):
        return "http: server gave HTTP response to HTTPS client"
    return f"tls: {error.reason or error.strerror or 'handshake failure'}".lower()


def _lookup(error: socket.gaierror, host: str) -> str:
    if error.errno in _NO_SUCH_HOST:
        return f"dial tcp: lookup {host}: no such host"
    text = error.strerror or "server misbehaving"
    return f"dial tcp: lookup {host}: {text[:1].lower() + text[1:]}"


def _fallback(exc: BaseException) -> str:
    """Text for a fault without a Go equivalent known here: its most specific reason, never a URL."""
    if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.InvalidSchema):
        return "invalid URL"
    for inner in _chain(exc):
        if isinstance(inner, OSError) and inner.strerror:
            return inner.strerror
    return type(exc).__name__


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and every exception inside it (arguments, reasons, causes), breadth first."""
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

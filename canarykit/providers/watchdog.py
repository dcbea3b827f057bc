"""A hard deadline on waiting for response headers, which a per-read socket timeout cannot give.

A server that sends its status line and headers one byte a second never lets a single read time out, so
`requests`' timeout never fires. Sessions made by `deadline_session()` use connections that, while waiting for
the headers, arm a timer to shut their socket down when the caller's deadline passes: the blocked read then
returns at once, and `send` reports the timeout.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_local = threading.local()


@contextmanager
def headers_deadline(seconds_left: float) -> Iterator[None]:
    """Within the block, a `deadline_session()` request gives up on its headers after `seconds_left`."""
    _local.seconds_left = seconds_left
    try:
        yield
    finally:
        _local.seconds_left = None


def deadline_session() -> requests.Session:
    """A `requests.Session` whose connections honour `headers_deadline`."""
    session = requests.Session()
    adapter = _DeadlineAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _guarded_getresponse(connection: Any, getresponse: Any) -> Any:
    """`getresponse()` with a timer that shuts the socket down once the headers' time is up."""
    seconds_left = getattr(_local, "seconds_left", None)
    sock = connection.sock
    if seconds_left is None or not isinstance(sock, socket.socket):
        return getresponse()
    timer = threading.Timer(max(seconds_left, 0.0), _shut, (sock,))
    timer.daemon = True
    timer.start()
    try:
        return getresponse()
    finally:
        timer.cancel()


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # closed already
        sock.shutdown(socket.SHUT_RDWR)


class _Connection(HTTPConnection):
    def getresponse(self) -> Any:
        return _guarded_getresponse(self, super().getresponse)


class _SecureConnection(HTTPSConnection):
    def getresponse(self) -> Any:
        return _guarded_getresponse(self, super().getresponse)


class _Pool(HTTPConnectionPool):
    ConnectionCls = _Connection


class _SecurePool(HTTPSConnectionPool):
    ConnectionCls = _SecureConnection


class _DeadlineAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _Pool, "https": _SecurePool}

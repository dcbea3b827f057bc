"""Transport faults worded as Argo's Go client words them, against real misbehaving servers on 127.0.0.1.

Prometheus: client_golang wraps Go's `url.Error` (`Post "<url>": EOF`) and reads the body under its
context (`unexpected EOF`). Web: `http.Client` with a timeout (`Get "<url>": ...`), `Received no bytes in
response: ...` for the body. A self-signed certificate is `x509: certificate signed by unknown authority`.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from canarykit.errors import ProviderError
from canarykit.providers import PrometheusProvider, WebProvider
from canarykit.providers._http import go_url
from canarykit.providers.go_net import request_cause

Serve = Callable[[socket.socket], None]


@pytest.fixture
def raw_server() -> Iterator[Callable[[Serve], str]]:
    """Starts servers that answer each connection with `serve(connection)`; gives their URL."""
    servers: list[tuple[socket.socket, threading.Thread]] = []

    def start(serve: Serve) -> str:
        listener = socket.create_server(("127.0.0.1", 0))

        def accept() -> None:
            while True:
                try:
                    connection, _ = listener.accept()
                except OSError:
                    return
                with connection:
                    connection.recv(65536)
                    serve(connection)
                    _close_gracefully(connection)

        thread = threading.Thread(target=accept, daemon=True)
        thread.start()
        servers.append((listener, thread))
        return f"http://127.0.0.1:{listener.getsockname()[1]}"

    yield start
    for listener, thread in servers:
        _stop(listener, thread)


def _close_gracefully(connection: socket.socket) -> None:
    """FIN, not RST: read what the client still sends (a request body that came after the first `recv`)
    until it closes, so closing never finds unread data, which would reset the connection."""
    try:
        connection.shutdown(socket.SHUT_WR)
        connection.settimeout(10)
        while connection.recv(65536):
            pass
    except OSError:
        pass


def failure(provider: Any) -> str:
    with pytest.raises(ProviderError) as caught:
        provider.measure("up", 0)
    return str(caught.value)


def test_a_connection_closed_before_any_answer_is_eof(raw_server: Callable[[Serve], str]) -> None:
    url = raw_server(lambda connection: None)
    assert failure(PrometheusProvider(url, timeout=5)) == f'Post "{url}/api/v1/query": EOF'
    assert failure(WebProvider(url + "/x", timeout=5)) == f'Get "{url}/x": EOF'


def test_a_malformed_status_line_is_named(raw_server: Callable[[Serve], str]) -> None:
    url = raw_server(lambda connection: connection.sendall(b"garbage\r\n\r\n"))
    assert failure(PrometheusProvider(url, timeout=5)) == (
        f'Post "{url}/api/v1/query": net/http: HTTP/1.x transport connection broken: '
        'malformed HTTP response "garbage"'
    )


def test_a_body_shorter_than_announced_is_unexpected_eof(raw_server: Callable[[Serve], str]) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
    url = raw_server(lambda connection: connection.sendall(head + b'{"status": "succ'))
    assert failure(PrometheusProvider(url, timeout=5)) == "unexpected EOF"
    assert failure(WebProvider(url, timeout=5)) == "Received no bytes in response: unexpected EOF"


def test_a_non_2xx_web_answer_is_not_read(raw_server: Callable[[Serve], str]) -> None:
    head = b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 1000\r\n\r\n"
    url = raw_server(lambda connection: connection.sendall(head + b"short"))
    assert (
        failure(WebProvider(url, timeout=5)) == "received non 2xx response code: 503"
    )  # as Argo: status first


@pytest.fixture
def self_signed(tmp_path: Path) -> Iterator[str]:
    """An HTTPS server on 127.0.0.1 whose certificate no authority signed."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed (needed to make a certificate)")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    command = [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=x"]
    subprocess.run(
        [*command, "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    listener = socket.create_server(("127.0.0.1", 0))

    def accept() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            try:
                with context.wrap_socket(connection, server_side=True):
                    pass
            except (ssl.SSLError, OSError):
                continue  # the client refused the certificate

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{listener.getsockname()[1]}"
    _stop(listener, thread)


def _stop(listener: socket.socket, thread: threading.Thread) -> None:
    """Unblocks the thread waiting in `accept()` (closing alone does not), then waits for it."""
    with contextlib.suppress(OSError):
        listener.shutdown(socket.SHUT_RDWR)
    listener.close()
    thread.join(timeout=5)


def test_a_certificate_no_authority_signed_is_refused_as_go_refuses_it(self_signed: str) -> None:
    expected = "tls: failed to verify certificate: x509: certificate signed by unknown authority"
    assert (
        failure(PrometheusProvider(self_signed, timeout=5))
        == f'Post "{self_signed}/api/v1/query": {expected}'
    )
    assert failure(WebProvider(self_signed, timeout=5)) == f'Get "{self_signed}": {expected}'


def test_an_unknown_host_is_a_failed_lookup() -> None:
    failed = OSError("wrapper")
    failed.__context__ = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    assert request_cause(failed, "http://prometheus.invalid:9090/api/v1/query") == (
        "dial tcp: lookup prometheus.invalid: no such host"
    )


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "http://user:pw@host:9/x?q=up&token=abc&api_key=k&x=1",
            "http://host:9/x?q=up&token=***&api_key=***&x=1",
        ),
        ("https://host/path?sig=s&Password=p#frag", "https://host/path?sig=***&Password=***#frag"),
        ("http://host/x?secret", "http://host/x?secret"),
    ],
)
def test_urls_in_messages_are_gos_minus_credentials(url: str, shown: str) -> None:
    assert go_url(url) == shown

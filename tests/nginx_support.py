"""Helpers for the nginx tests: tiny named backends, a client that opens a new connection per request,
nginx started again on a config left in place, and waiting for a file to hold what a process will write."""

from __future__ import annotations

import http.client
import signal
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from canarykit.local.nginx_config import WORKER_PROCESSES, find_nginx, nginx_command
from canarykit.local.processes import answers_ok, child_pids, stop_gracefully
from canarykit.system import wait_until_ready

_POLL_SECONDS = 0.01


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # otherwise Nagle + delayed ACKs cost 40 ms per request behind keepalive

    def do_GET(self) -> None:
        self._answer(str(getattr(self.server, "name", "")))

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        self._answer(f"{getattr(self.server, 'name', '')} got {len(body)} bytes")

    def _answer(self, text: str) -> None:
        body = text.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


class _Backend(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(("127.0.0.1", 0), _Handler)


@contextmanager
def backends(*names: str) -> Iterator[list[str]]:
    """Start one backend per name (answering its name); yields their `host:port` addresses."""
    servers = [_Backend(name) for name in names]
    threads = [threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True) for server in servers]
    for thread in threads:
        thread.start()
    try:
        yield [f"127.0.0.1:{server.server_address[1]}" for server in servers]
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def fetch(port: int, method: str = "GET", body: bytes | None = None) -> tuple[int, str]:
    """One request on a new connection to nginx on 127.0.0.1:`port`: (status, body text)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request(method, "/", body=body)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def split(port: int, requests: int = 100) -> Counter[str]:
    """Which backend answered each of `requests` sequential requests (each on a new connection)."""
    answers: Counter[str] = Counter()
    for _ in range(requests):
        status, text = fetch(port)
        answers[text if status == 200 else f"HTTP {status}"] += 1
    return answers


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    """Poll `condition` until it holds; `AssertionError` naming `what` after `timeout` seconds."""
    give_up = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > give_up:
            raise AssertionError(f"still waiting after {timeout:g} s for {what}")
        time.sleep(_POLL_SECONDS)


def wait_for_lines(path: Path, count: int, timeout: float = 10.0) -> list[str]:
    """The lines of `path` once it holds at least `count` complete lines (nginx logs after it answers)."""
    lines: list[str] = []

    def written() -> bool:
        nonlocal lines
        try:
            text = path.read_text()
        except FileNotFoundError:
            return False
        lines = text[: text.rfind("\n") + 1].splitlines()
        return len(lines) >= count

    wait_for(written, f"{count} lines in {path}", timeout)
    return lines


@contextmanager
def nginx_on(workdir: Path, port: int) -> Iterator[subprocess.Popen[bytes]]:
    """nginx run again on the config `NginxServer` left in `workdir`, not rewriting its include file."""
    command = nginx_command(find_nginx(), workdir, "-g", "daemon off;")
    with (workdir / "logs" / "nginx.out").open("ab") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def serving() -> bool:
        return len(child_pids(process.pid)) >= WORKER_PROCESSES and answers_ok(port, "/stub_status")

    try:
        started = wait_until_ready(process, serving, 10.0, _POLL_SECONDS)
        assert started, f"nginx did not start on port {port}: {(workdir / 'logs' / 'error.log').read_text()}"
        yield process
    finally:
        if process.poll() is None:
            stop_gracefully(process, signal.SIGQUIT, 10.0)

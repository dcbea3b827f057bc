"""NginxServer: a real nginx started by canarykit in a caller's directory, and stopped without leftovers."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from nginx_support import backends, fetch, split, wait_for_lines

from canarykit.errors import CanaryError
from canarykit.local.nginx import LOG_FORMAT, NginxNotFound, NginxServer, NginxStartError, find_nginx
from canarykit.traffic import NginxUpstreamRouter


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[str, str]]:
    with backends("stable", "canary") as (stable, canary):
        yield stable, canary


def alive(pid: int) -> bool:
    """True while `pid` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def nginx_masters(prefix: Path) -> list[int]:
    """Live processes whose command line names `prefix` (an nginx master started there)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if entry.name.isdigit() and str(prefix) in command and alive(int(entry.name)):
            found.append(int(entry.name))
    return found


def test_start_serves_and_stop_leaves_no_process_and_keeps_the_workdir(
    tmp_path: Path, servers: tuple[str, str]
) -> None:
    (tmp_path / "mine.txt").write_text("the user's file\n")
    server = NginxServer(tmp_path, *servers)
    with server:
        assert fetch(server.port) == (200, "stable")  # weight 0 before start
        master, workers = server.pid, server.worker_pids()
        assert master is not None and alive(master)
        assert len(workers) == 2 and all(alive(pid) for pid in workers)
    assert not alive(master) and nginx_masters(tmp_path) == []
    assert not any(alive(pid) for pid in workers)
    assert (tmp_path / "mine.txt").read_text() == "the user's file\n"
    assert all(path.is_file() for path in (server.config_path, server.upstream_path, server.access_log_path))
    assert server.pid is None
    with pytest.raises(RuntimeError, match="not started"):
        server.url  # noqa: B018
    server.stop()  # a second stop is harmless


def test_config_files_and_commands(tmp_path: Path, servers: tuple[str, str]) -> None:
    port = _free_port()
    with NginxServer(tmp_path / "nginx", *servers, port=port, upstream="web") as server:
        assert server.port == port and server.url == f"http://127.0.0.1:{port}"
        prefix = str(tmp_path / "nginx")
        assert server.config_path == tmp_path / "nginx" / "conf" / "nginx.conf"
        assert server.upstream_path == tmp_path / "nginx" / "conf" / "upstream.conf"
        assert server.access_log_path == tmp_path / "nginx" / "logs" / "access.log"
        assert server.error_log_path == tmp_path / "nginx" / "logs" / "error.log"
        nginx = find_nginx()
        assert server.check_command == (nginx, "-p", prefix, "-c", "conf/nginx.conf", "-t")
        assert server.reload_command == (nginx, "-p", prefix, "-c", "conf/nginx.conf", "-s", "reload")
        config = server.config_path.read_text()
        for line in [
            "worker_processes 2;",
            "pid logs/nginx.pid;",
            "error_log logs/error.log notice;",
            "events { worker_connections 256; }",
            "client_body_temp_path tmp/body;",
            "proxy_temp_path tmp/proxy;",
            "fastcgi_temp_path tmp/fcgi;",
            "uwsgi_temp_path tmp/uwsgi;",
            "scgi_temp_path tmp/scgi;",
            "log_format canarykit '$msec|$status|$request_time|$upstream_addr|$request_method|$uri';",
            "access_log logs/access.log canarykit;",
            "include upstream.conf;",
            f"listen 127.0.0.1:{port};",
            "proxy_pass http://web;",
            "proxy_http_version 1.1;",
            'proxy_set_header Connection "";',
            "proxy_next_upstream off;",
            "location = /stub_status { stub_status; access_log off; }",
        ]:
            assert line in config, line
        assert re.search(r"^user \S+ \S+;$", config, re.MULTILINE)  # we run as root here
        assert LOG_FORMAT == "$msec|$status|$request_time|$upstream_addr|$request_method|$uri"
        router = server.router()
        assert isinstance(router, NginxUpstreamRouter)
        assert router.include_path == server.upstream_path and router.get_weight() == 0
        assert router.check_command == server.check_command
        assert router.reload_command == server.reload_command


def test_router_moves_traffic_and_access_log_has_the_canarykit_format(
    tmp_path: Path, servers: tuple[str, str]
) -> None:
    with NginxServer(tmp_path, *servers) as server:
        before = server.worker_pids()
        server.router().set_weight(100)
        server.wait_reloaded(before)
        assert split(server.port, 10) == {"canary": 10}
        assert fetch(server.port, "POST", b"x" * 300_000) == (200, "canary got 300000 bytes")
        fetch(server.port)
        lines = wait_for_lines(server.access_log_path, 12)  # nginx logs a request after answering it
    canary = re.escape(servers[1])
    assert len(lines) == 12
    pattern = rf"\d+\.\d{{3}}\|200\|\d+\.\d{{3}}\|{canary}\|(GET|POST)\|/"
    assert all(re.fullmatch(pattern, line) for line in lines)
    assert sum("|POST|" in line for line in lines) == 1


def test_a_large_request_body_goes_through_the_temp_dir(tmp_path: Path, servers: tuple[str, str]) -> None:
    private = tmp_path / "private"
    private.mkdir(mode=0o700)  # workers running as `nobody` could not reach tmp/body in here
    with NginxServer(private, *servers) as server:
        assert fetch(server.port, "POST", b"x" * 300_000) == (200, "stable got 300000 bytes")
    assert "a client request body is buffered to a temporary file" in server.error_log_path.read_text()


def test_missing_nginx_binary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server = NginxServer(tmp_path / "nginx", "127.0.0.1:1", "127.0.0.1:2", binary="canarykit-no-such-nginx")
    with pytest.raises(NginxNotFound) as caught:
        server.start()
    assert str(caught.value) == (
        'canarykit-no-such-nginx not found on PATH (or /usr/sbin): install it with "sudo apt-get install '
        '--no-install-recommends nginx"'
    )
    assert isinstance(caught.value, CanaryError)
    assert not (tmp_path / "nginx").exists()
    with pytest.raises(NginxNotFound):
        server.check_command  # noqa: B018
    monkeypatch.setenv("PATH", str(tmp_path))
    assert Path(find_nginx()).parent == Path("/usr/sbin")  # the Debian place, off a normal user's PATH


def test_a_failed_start_leaves_no_process(tmp_path: Path, servers: tuple[str, str]) -> None:
    server = NginxServer(tmp_path, servers[0], "127.0.0.1:notaport")
    with pytest.raises(NginxStartError, match=re.escape('invalid port in upstream "127.0.0.1:notaport"')):
        server.start()
    assert server.pid is None and nginx_masters(tmp_path) == []
    assert not (tmp_path / "logs" / "nginx.pid").exists()


def test_a_taken_port_is_an_error(tmp_path: Path, servers: tuple[str, str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        with pytest.raises(NginxStartError, match="Address already in use"):
            NginxServer(tmp_path, *servers, port=port).start()
    assert nginx_masters(tmp_path) == []


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])

"""NginxUpstreamRouter against a real nginx (started by the tests) and two tiny backends."""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from nginx_support import backends, fetch, split

from canarykit.errors import RoutingError, SpecError
from canarykit.local.nginx import NginxServer, find_nginx
from canarykit.traffic import NginxUpstreamRouter, TrafficRouter
from canarykit.traffic.nginx_upstream import UpstreamState, WeightUnconfirmed


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[str, str]]:
    with backends("stable", "canary") as (stable, canary):
        yield stable, canary


@pytest.fixture
def nginx(tmp_path: Path, servers: tuple[str, str]) -> Iterator[NginxServer]:
    with NginxServer(tmp_path, servers[0], servers[1]) as server:
        yield server


def move(nginx: NginxServer, router: NginxUpstreamRouter, weight: int) -> None:
    """Set the weight and wait until the old workers are gone (the new config is the only one serving)."""
    before = nginx.worker_pids()
    router.set_weight(weight)
    nginx.wait_reloaded(before)


def expected_file(stable: str, canary: str, stable_share: str, canary_share: str) -> str:
    return (
        "# Written by canarykit (NginxUpstreamRouter); it is rewritten on every weight change.\n"
        "upstream app {\n"
        "    zone canarykit_app 64k;  # one shared round-robin state for all workers\n"
        f"    server {stable} {stable_share};  # stable\n"
        f"    server {canary} {canary_share};  # canary\n"
        "    keepalive 8;\n"
        "}\n"
    )


def test_is_a_traffic_router(tmp_path: Path) -> None:
    assert isinstance(NginxUpstreamRouter(tmp_path / "u.conf", "127.0.0.1:1", "127.0.0.1:2"), TrafficRouter)


def test_rendered_file_and_traffic_at_0_25_100(nginx: NginxServer, servers: tuple[str, str]) -> None:
    stable, canary = servers
    router = nginx.router()
    assert nginx.upstream_path.read_text() == expected_file(stable, canary, "weight=100", "down")
    assert router.get_weight() == 0
    assert split(nginx.port, 10) == {"stable": 10}
    for weight, shares, answers in [
        (25, ("weight=75", "weight=25"), {"stable": 75, "canary": 25}),
        (100, ("down", "weight=100"), {"canary": 100}),
        (0, ("weight=100", "down"), {"stable": 100}),
    ]:
        move(nginx, router, weight)
        assert nginx.upstream_path.read_text() == expected_file(stable, canary, *shares)
        assert router.get_weight() == weight
        assert split(nginx.port, 100) == answers


def test_exact_75_25_split_on_new_connections(nginx: NginxServer) -> None:
    move(nginx, nginx.router(), 25)
    assert split(nginx.port, 100) == {"stable": 75, "canary": 25}
    assert split(nginx.port, 100) == {"stable": 75, "canary": 25}  # smooth WRR: every 100 are exact


def test_get_weight_reads_the_file(tmp_path: Path) -> None:
    path = tmp_path / "upstream.conf"
    router = NginxUpstreamRouter(path, "10.0.0.1:80", "10.0.0.2:80", upstream="web")
    with pytest.raises(RoutingError, match="does not exist"):
        router.get_weight()
    router.write(40)
    assert NginxUpstreamRouter(path, "10.0.0.1:80", "10.0.0.2:80", upstream="web").get_weight() == 40
    path.write_text(path.read_text().replace("weight=60", "weight=70"))
    with pytest.raises(RoutingError, match="stable 70 \\+ canary 40 is not 100"):
        router.get_weight()
    path.write_text("upstream web {\n    server 10.0.0.1:80 weight=100;\n}\n")
    with pytest.raises(RoutingError, match=re.escape("no parsable `server 10.0.0.2:80` line")):
        router.get_weight()
    path.write_text("garbage")
    with pytest.raises(RoutingError, match="no `upstream web` block"):
        router.get_weight()


@pytest.mark.parametrize("weight", [-1, 101, 2.5, True, "10", None])
def test_bad_weight_is_a_spec_error(tmp_path: Path, weight: object) -> None:
    router = NginxUpstreamRouter(tmp_path / "u.conf", "127.0.0.1:1", "127.0.0.1:2")
    with pytest.raises(SpecError, match="weight must be an integer from 0 to 100"):
        router.set_weight(weight)  # type: ignore[arg-type]
    assert not (tmp_path / "u.conf").exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("127.0.0.1:1; include /x", "127.0.0.1:2", "app"), "stable must be an nginx server address"),
        (("127.0.0.1:1", "", "app"), "canary must be an nginx server address"),
        (("127.0.0.1:1", "127.0.0.1:1", "app"), "same server"),
        (("127.0.0.1:1", "127.0.0.1:2", "my app"), "upstream name must match"),
    ],
)
def test_bad_arguments_are_spec_errors(tmp_path: Path, arguments: tuple[str, str, str], message: str) -> None:
    with pytest.raises(SpecError, match=message):
        NginxUpstreamRouter(tmp_path / "u.conf", *arguments)


def test_failing_check_keeps_the_old_file_and_config(nginx: NginxServer, servers: tuple[str, str]) -> None:
    move(nginx, nginx.router(), 25)
    before = nginx.upstream_path.read_bytes()
    broken = nginx.config_path.with_name("broken.conf")
    broken.write_text("events {}\nhttp { this_is_not_nginx on; }\n")
    check = (find_nginx(), "-p", str(nginx.workdir), "-c", "conf/broken.conf", "-t")
    router = NginxUpstreamRouter(nginx.upstream_path, *servers, check_command=check)
    with pytest.raises(RoutingError, match='unknown directive "this_is_not_nginx"') as caught:
        router.set_weight(50)
    assert type(caught.value) is RoutingError  # a failed check changed nothing nginx serves
    assert f"previous file restored: {nginx.upstream_path} holds weight 25, confirmed: " in str(caught.value)
    assert nginx.upstream_path.read_bytes() == before
    assert router.get_weight() == 25
    assert router.state() == UpstreamState(25, True, 25, None) and not router.marker_path.exists()
    assert split(nginx.port, 100) == {"stable": 75, "canary": 25}


def test_canary_address_rejected_by_nginx(nginx: NginxServer, servers: tuple[str, str]) -> None:
    move(nginx, nginx.router(), 25)
    before = nginx.upstream_path.read_bytes()
    router = NginxUpstreamRouter(
        nginx.upstream_path,
        servers[0],
        "127.0.0.1:notaport",
        check_command=nginx.check_command,
        reload_command=nginx.reload_command,
    )
    with pytest.raises(RoutingError, match=re.escape('invalid port in upstream "127.0.0.1:notaport"')):
        router.set_weight(50)
    assert nginx.upstream_path.read_bytes() == before
    assert nginx.router().get_weight() == 25
    assert split(nginx.port, 100) == {"stable": 75, "canary": 25}
    assert not list(nginx.upstream_path.parent.glob(".upstream.conf.*"))  # no temp file left behind


def test_failing_first_write_removes_the_file(tmp_path: Path) -> None:
    path = tmp_path / "upstream.conf"
    router = NginxUpstreamRouter(path, "127.0.0.1:1", "127.0.0.1:2", check_command=("false",))
    with pytest.raises(RoutingError, match="`false` exited 1"):
        router.set_weight(10)
    assert list(tmp_path.iterdir()) == []


def test_failing_reload_restores_the_file(nginx: NginxServer, servers: tuple[str, str]) -> None:
    move(nginx, nginx.router(), 25)
    before = nginx.upstream_path.read_bytes()
    reload = (find_nginx(), "-p", str(nginx.workdir), "-c", "conf/nginx.conf", "-s", "bogus")
    router = NginxUpstreamRouter(
        nginx.upstream_path, *servers, check_command=nginx.check_command, reload_command=reload
    )
    with pytest.raises(WeightUnconfirmed, match=r"weight 60 not applied \(reload failed\)") as caught:
        router.set_weight(60)
    assert 'invalid option: "-s bogus"' in str(caught.value)
    assert "reloading the restored file failed too" in str(caught.value)
    assert "holds weight 25, unconfirmed (last confirmed 25)" in str(caught.value)
    assert nginx.upstream_path.read_bytes() == before
    assert split(nginx.port, 100) == {"stable": 75, "canary": 25}
    with pytest.raises(WeightUnconfirmed, match="cannot tell what nginx serves"):
        router.get_weight()
    move(nginx, nginx.router(), 25)  # a reload that works confirms the file again
    assert router.get_weight() == 25


def test_reload_of_a_stopped_nginx_fails_restores_and_cannot_tell_what_is_served(nginx: NginxServer) -> None:
    router = nginx.router()
    move(nginx, router, 25)
    nginx.stop()
    with pytest.raises(WeightUnconfirmed, match=r"logs/nginx\.pid") as caught:
        router.set_weight(50)
    assert caught.value.state.desired_weight == 25 and not caught.value.state.confirmed
    assert router.state().desired_weight == 25
    with pytest.raises(WeightUnconfirmed, match="not confirmed by a reload"):
        router.get_weight()


def test_missing_binary_and_timeout(tmp_path: Path) -> None:
    path = tmp_path / "upstream.conf"
    missing = ("canarykit-no-nginx", "-t")
    router = NginxUpstreamRouter(path, "127.0.0.1:1", "127.0.0.1:2", check_command=missing)
    with pytest.raises(RoutingError, match="'canarykit-no-nginx' not found: install nginx") as caught:
        router.set_weight(10)
    assert "sudo apt-get install --no-install-recommends nginx" in str(caught.value)
    assert not path.exists()
    path.write_text("kept\n")
    path.chmod(0o640)
    slow = NginxUpstreamRouter(path, "127.0.0.1:1", "127.0.0.1:2", check_command=("sleep", "5"), timeout=0.2)
    with pytest.raises(RoutingError, match=r"timed out after 0\.2 s"):
        slow.set_weight(10)
    assert path.read_text() == "kept\n"
    assert path.stat().st_mode & 0o777 == 0o640


def test_no_request_fails_during_weight_changes(nginx: NginxServer) -> None:
    router = nginx.router()
    answers: Counter[str] = Counter()
    errors: list[str] = []
    done = threading.Event()
    lock = threading.Lock()

    def load() -> None:
        while not done.is_set():
            try:
                status, text = fetch(nginx.port)
                outcome = text if status == 200 else f"HTTP {status}"
            except Exception as error:  # any failure counts
                outcome = f"{type(error).__name__}: {error}"
            with lock:
                if outcome in ("stable", "canary"):
                    answers[outcome] += 1
                else:
                    errors.append(outcome)

    threads = [threading.Thread(target=load) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        for weight in range(0, 101, 5):
            move(nginx, router, weight)
    finally:
        done.set()
        for thread in threads:
            thread.join()
    assert errors == []
    assert answers["stable"] > 0 and answers["canary"] > 0
    assert sum(answers.values()) > 100
    assert router.get_weight() == 100
    assert split(nginx.port, 20) == {"canary": 20}

"""Traffic fails toward stable with a real nginx: down during a rollback, a failing check, a driver killed
between writing the include file and reloading nginx. Weights are read from the file and from requests."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from nginx_support import backends, nginx_on, split, wait_for

from canarykit.errors import RollbackFailed, RoutingError
from canarykit.local.nginx import NginxServer
from canarykit.rollout.rollback import Backoff, return_traffic_to_stable
from canarykit.testing import FakeClock
from canarykit.traffic.nginx_upstream import NginxUpstreamRouter, UpstreamState, WeightUnconfirmed

# Run by the tests in a child process: set_weight with a SIGTERM handler that exits, as a driver's does.
DRIVER = """
import json, signal, sys
from canarykit.traffic.nginx_upstream import NginxUpstreamRouter
signal.signal(signal.SIGTERM, lambda *_: sys.exit(3))
path, stable, canary, weight, check, reload = json.loads(sys.argv[1])
NginxUpstreamRouter(path, stable, canary, check_command=check, reload_command=reload).set_weight(weight)
"""


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[str, str]]:
    with backends("stable", "canary") as (stable, canary):
        yield stable, canary


@pytest.fixture
def nginx(tmp_path: Path, servers: tuple[str, str]) -> Iterator[NginxServer]:
    with NginxServer(tmp_path, servers[0], servers[1]) as server:
        yield server


def move(nginx: NginxServer, weight: int) -> None:
    """Set the weight with a working router and wait until the new config is the only one serving."""
    before = nginx.worker_pids()
    nginx.router().set_weight(weight)
    nginx.wait_reloaded(before)


def served(port: int, weight: int) -> dict[str, int]:
    """What 100 requests get when nginx serves `weight`."""
    return {name: share for name, share in (("stable", 100 - weight), ("canary", weight)) if share}


def test_a_rollback_with_nginx_down_leaves_0_on_disk_and_a_restarted_nginx_serves_stable(
    nginx: NginxServer,
) -> None:
    router, port = nginx.router(), nginx.port
    move(nginx, 30)
    assert split(port, 100) == served(port, 30)
    nginx.stop()
    with pytest.raises(WeightUnconfirmed, match=r"logs/nginx\.pid") as caught:
        router.set_weight(0)
    assert "holds weight 0, unconfirmed (last confirmed 30)" in str(caught.value)
    assert nginx.upstream_path.read_text() == router.render(0)
    assert router.state().desired_weight == 0 and router.state().last_confirmed_weight == 30
    with pytest.raises(WeightUnconfirmed, match=r"weight 0 written .* not confirmed by a reload"):
        router.get_weight()
    with nginx_on(nginx.workdir, port):
        assert split(port, 100) == {"stable": 100}
        with pytest.raises(WeightUnconfirmed):
            router.get_weight()  # nothing told the router that nginx started
        router.set_weight(0)
        assert router.get_weight() == 0 and router.state() == UpstreamState(0, True, 0, None)
        assert split(port, 100) == {"stable": 100}


def test_the_rollback_executor_reports_no_known_weight_while_nginx_is_down(nginx: NginxServer) -> None:
    router = nginx.router()
    move(nginx, 30)
    nginx.stop()
    with pytest.raises(RollbackFailed) as caught:
        return_traffic_to_stable(router, FakeClock(), Backoff(attempts=2))
    assert caught.value.last_known_weight is None  # not the 30 nginx served, not an unconfirmed 0
    assert router.state().desired_weight == 0 and not router.state().confirmed


def test_a_failed_check_toward_stable_keeps_the_lower_file(
    nginx: NginxServer, servers: tuple[str, str]
) -> None:
    move(nginx, 50)
    failing = NginxUpstreamRouter(nginx.upstream_path, *servers, check_command=("false",))
    with pytest.raises(WeightUnconfirmed, match=r"holds weight 10, unconfirmed \(last confirmed 50\)"):
        failing.set_weight(10)
    assert nginx.upstream_path.read_text() == failing.render(10)
    assert split(nginx.port, 100) == served(nginx.port, 50)  # not reloaded: nginx still serves 50
    with pytest.raises(WeightUnconfirmed):
        nginx.router().get_weight()
    move(nginx, 10)
    assert nginx.router().get_weight() == 10 and split(nginx.port, 100) == served(nginx.port, 10)


def test_a_failed_check_away_from_stable_leaves_the_previous_weight(
    nginx: NginxServer, servers: tuple[str, str]
) -> None:
    move(nginx, 20)
    failing = NginxUpstreamRouter(nginx.upstream_path, *servers, check_command=("false",))
    with pytest.raises(RoutingError, match=r"weight 40 not applied \(check failed\), previous file restored"):
        failing.set_weight(40)
    assert nginx.upstream_path.read_text() == failing.render(20)
    assert nginx.router().get_weight() == 20 and split(nginx.port, 100) == served(nginx.port, 20)


@pytest.mark.parametrize(
    ("stop", "start", "asked", "on_disk"),
    [
        (signal.SIGKILL, 20, 40, 40),  # killed: nothing is undone, the marker says nobody knows
        (signal.SIGTERM, 20, 40, 20),  # SystemExit: the previous (lower) file is put back
        (signal.SIGKILL, 30, 0, 0),
        (signal.SIGTERM, 30, 0, 0),
    ],
)
def test_a_driver_stopped_between_writing_and_reloading_leaves_get_weight_refusing_to_guess(
    nginx: NginxServer,
    servers: tuple[str, str],
    tmp_path: Path,
    stop: int,
    start: int,
    asked: int,
    on_disk: int,
) -> None:
    move(nginx, start)
    ready = tmp_path / "checking"
    slow_check = ("sh", "-c", 'touch "$0" && sleep 60 && exec "$@"', str(ready), *nginx.check_command)
    arguments = [str(nginx.upstream_path), *servers, asked, slow_check, nginx.reload_command]
    driver = subprocess.Popen(
        [sys.executable, "-c", DRIVER, json.dumps(arguments)], start_new_session=True, stderr=subprocess.PIPE
    )
    try:
        wait_for(lambda: ready.exists() or driver.poll() is not None, "the driver to run its check")
        assert driver.poll() is None, driver.communicate()[1]
        os.kill(driver.pid, stop)
        driver.wait(timeout=10)
    finally:
        _kill_group(driver)
    assert driver.returncode == (3 if stop == signal.SIGTERM else -signal.SIGKILL)
    router = nginx.router()
    assert nginx.upstream_path.read_text() == router.render(on_disk)
    assert router.state() == UpstreamState(on_disk, False, start, router.state().written_at)
    with pytest.raises(WeightUnconfirmed, match=f"last confirmed weight: {start}"):
        router.get_weight()
    assert split(nginx.port, 100) == served(nginx.port, start)  # never reloaded
    move(nginx, 0)
    assert router.get_weight() == 0 and split(nginx.port, 100) == {"stable": 100}


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL what the driver left (its `sh` and `sleep`), then reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()

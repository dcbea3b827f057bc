"""`NginxUpstreamRouter(max_weight=1000)` (Argo's maxTrafficWeight) against a real nginx: weights of 1000."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from nginx_support import backends, split

from canarykit import Rollout, RolloutPhase
from canarykit.errors import RoutingError, SpecError
from canarykit.local.nginx import NginxServer
from canarykit.rollout import events as ev
from canarykit.steps import SetWeight
from canarykit.testing import FakeClock, InMemoryWorkload
from canarykit.traffic import NginxUpstreamRouter


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[str, str]]:
    with backends("stable", "canary") as (stable, canary):
        yield stable, canary


@pytest.fixture
def nginx(tmp_path: Path, servers: tuple[str, str]) -> Iterator[NginxServer]:
    with NginxServer(tmp_path, servers[0], servers[1]) as server:
        yield server


def router_of(nginx: NginxServer, max_weight: int = 1000) -> NginxUpstreamRouter:
    """A router on `nginx`'s include file whose weights run from 0 to `max_weight`."""
    return NginxUpstreamRouter(
        nginx.upstream_path,
        nginx.stable,
        nginx.canary,
        nginx.upstream,
        nginx.check_command,
        nginx.reload_command,
        max_weight=max_weight,
    )


def move(nginx: NginxServer, router: NginxUpstreamRouter, weight: int) -> None:
    """Set the weight and wait until the old workers are gone (the new config is the only one serving)."""
    before = nginx.worker_pids()
    router.set_weight(weight)
    nginx.wait_reloaded(before)


def server_lines(nginx: NginxServer) -> list[str]:
    return [line.strip() for line in nginx.upstream_path.read_text().splitlines() if "server " in line]


def test_half_a_percent_is_exactly_5_requests_in_1000(nginx: NginxServer) -> None:
    router = router_of(nginx)
    move(nginx, router, 5)
    assert server_lines(nginx) == [
        f"server {nginx.stable} weight=995;  # stable",
        f"server {nginx.canary} weight=5;  # canary",
    ]
    assert router.get_weight() == 5
    assert split(nginx.port, 1000) == {"stable": 995, "canary": 5}


def test_the_full_weight_sends_everything_and_zero_nothing(nginx: NginxServer) -> None:
    router = router_of(nginx)
    move(nginx, router, 1000)
    assert server_lines(nginx) == [
        f"server {nginx.stable} down;  # stable",
        f"server {nginx.canary} weight=1000;  # canary",
    ]
    assert split(nginx.port, 20) == {"canary": 20}
    move(nginx, router, 0)
    assert split(nginx.port, 20) == {"stable": 20}


def test_a_rollout_promotes_at_the_routers_full_weight(nginx: NginxServer) -> None:
    router, served = router_of(nginx), []

    def note_weight(event: ev.Event) -> None:
        if isinstance(event, ev.WeightChanged):
            served.append(router.get_weight())  # confirmed by a reload of nginx

    rollout = Rollout("web", [SetWeight(5), SetWeight(250)], router, InMemoryWorkload(), clock=FakeClock())
    rollout.add_listener(note_weight)
    result = rollout.run("v2", handle_signals=False)
    assert result.phase is RolloutPhase.HEALTHY
    assert result.weight_history == (5, 250, 1000, 0)
    assert served == [5, 250, 1000, 0]


def test_a_file_written_for_another_total_is_not_guessed_at(tmp_path: Path) -> None:
    path = tmp_path / "upstream.conf"
    NginxUpstreamRouter(path, "10.0.0.1:80", "10.0.0.2:80").write(40)
    with pytest.raises(RoutingError, match="stable 60 \\+ canary 40 is not 1000"):
        NginxUpstreamRouter(path, "10.0.0.1:80", "10.0.0.2:80", max_weight=1000).get_weight()


def test_weights_above_the_maximum_are_refused_before_the_file_changes(tmp_path: Path) -> None:
    router = NginxUpstreamRouter(tmp_path / "u.conf", "127.0.0.1:1", "127.0.0.1:2", max_weight=1000)
    with pytest.raises(SpecError, match="weight must be an integer from 0 to 1000, got 1001"):
        router.set_weight(1001)
    assert not (tmp_path / "u.conf").exists()


@pytest.mark.parametrize(
    ("max_weight", "message"),
    [
        (0, "max_weight must be from 1 to 2147483647, got 0"),
        (2**31, "max_weight must be from 1 to 2147483647, got 2147483648"),
        (True, "max_weight must be an integer, got True"),
        (2.5, "max_weight must be an integer, got 2.5"),
    ],
)
def test_a_bad_maximum_is_a_spec_error(tmp_path: Path, max_weight: object, message: str) -> None:
    with pytest.raises(SpecError, match=message):
        NginxUpstreamRouter(tmp_path / "u.conf", "127.0.0.1:1", "127.0.0.1:2", max_weight=max_weight)  # type: ignore[arg-type]


def test_nginx_accepts_the_largest_maximum(nginx: NginxServer) -> None:
    """nginx itself takes server weights up to 2^63 - 1; canarykit's ceiling is Argo's int32."""
    router = router_of(nginx, 2**31 - 1)
    move(nginx, router, 1)
    assert router.get_weight() == 1
    assert split(nginx.port, 10) == {"stable": 10}

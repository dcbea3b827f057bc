"""`Rollout(metrics_port=...)`: served from construction to the end of `run()`, checked up front."""

from __future__ import annotations

import socket
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from canarykit import MissingDependency, Rollout, SpecError
from canarykit.steps import Pause, SetWeight, Step
from canarykit.telemetry import MetricsServer, RolloutMetrics
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryWorkload

T0 = 1_700_000_000.0
STEPS: list[Step] = [SetWeight(20), Pause("1m")]


def _rollout(router: InMemoryRouter, **options: object) -> Rollout:
    return Rollout(
        "web",
        STEPS,
        router,
        InMemoryWorkload(),
        clock=FakeClock(T0),
        scale_down_delay=0,
        **options,  # type: ignore[arg-type]
    )


def _scrape(url: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    with urllib.request.urlopen(url, timeout=5) as reply:
        text = reply.read().decode()
    return {f.name: [(s.labels, s.value) for s in f.samples] for f in text_string_to_metric_families(text)}


def _refused(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=5).close()
    except urllib.error.URLError as error:
        return isinstance(error.reason, ConnectionRefusedError)
    return False


def test_served_from_construction_and_stopped_when_run_ends() -> None:
    router = InMemoryRouter()
    rollout = _rollout(router, metrics_port=0)
    assert rollout.metrics_server is not None and rollout.metrics_port == rollout.metrics_server.port > 0
    url = f"http://127.0.0.1:{rollout.metrics_port}/metrics"
    assert _scrape(url) == {}  # listening; nothing happened yet
    result = rollout.run("v2", handle_signals=False)
    assert result.healthy and router.history == [20, 100, 0]
    assert _refused(url)


def test_a_second_run_serves_again_on_the_same_port() -> None:
    rollout = _rollout(InMemoryRouter(), metrics_port=0)
    port = rollout.metrics_port
    rollout.run("v2", handle_signals=False)
    server = rollout.metrics_server
    assert server is not None
    with server:  # what run() does around its work
        assert server.port == port
        families = _scrape(server.url)
    assert ({"namespace": "", "name": "web", "phase": "Healthy"}, 1.0) in families[
        "canarykit_rollouts_completed"
    ]


def test_without_a_port_nothing_is_served() -> None:
    rollout = _rollout(InMemoryRouter())
    assert (rollout.metrics_server, rollout.metrics_port) == (None, None)


@pytest.mark.parametrize("port", [-1, 65536, True, "9100", 1.5])
def test_a_bad_port_is_refused_before_anything_moves(port: object) -> None:
    router = InMemoryRouter()
    with pytest.raises(SpecError, match="metrics_port must be a port number from 0 to 65535"):
        _rollout(router, metrics_port=port)
    assert router.history == []


def test_a_busy_port_and_an_unknown_address_are_spec_errors() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        router = InMemoryRouter()
        with pytest.raises(SpecError, match=f"cannot serve metrics on 127.0.0.1:{port}"):
            _rollout(router, metrics_port=port)
        assert router.history == []  # refused while the Rollout is built: no traffic moved
    with pytest.raises(SpecError, match=r"metrics_address 'no-such-host\.invalid' does not resolve"):
        _rollout(InMemoryRouter(), metrics_port=0, metrics_address="no-such-host.invalid")
    with pytest.raises(SpecError, match="metrics_address must be a host name"):
        _rollout(InMemoryRouter(), metrics_port=0, metrics_address="")


def test_an_ipv6_address_is_served() -> None:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        pytest.skip("this machine has no IPv6 loopback (an environment limit, not a canarykit feature)")
    with MetricsServer(RolloutMetrics().registry, 0, "::1") as server:
        assert server.url == f"http://[::1]:{server.port}/metrics"
        assert _scrape(server.url) == {}


def test_missing_prometheus_client_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "prometheus_client", None)  # what an install without the extra has
    router = InMemoryRouter()
    with pytest.raises(MissingDependency, match=r"pip install 'canarykit\[metrics\]'"):
        _rollout(router, metrics_port=0)
    assert router.history == []
    assert _rollout(router).metrics_server is None  # no port, no need for it


def test_importing_canarykit_does_not_import_prometheus_client() -> None:
    code = (
        "import sys, canarykit, canarykit.rollout.orchestrator, canarykit.judges.queries, canarykit.presets\n"
        "import canarykit.telemetry, canarykit.local.ingress_metrics\n"
        "assert 'prometheus_client' not in sys.modules, 'imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)

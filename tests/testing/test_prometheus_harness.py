"""The OpenMetrics writer and the real-Prometheus harness."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from reference_history import ReferencePrometheus, reference_counters

from canarykit.errors import SpecError
from canarykit.testing.prometheus import (
    Counter,
    PrometheusServer,
    PrometheusStartError,
    openmetrics_text,
    write_openmetrics,
)

T0 = 1_700_000_000.0


def test_counter_samples_are_deterministic_and_inclusive() -> None:
    counter = Counter("requests", {"status": "200"}, T0, T0 + 30, step=10, rate=2.5, initial=100)
    assert counter.samples() == [(T0, 100.0), (T0 + 10, 125.0), (T0 + 20, 150.0), (T0 + 30, 175.0)]


def test_openmetrics_text_layout(tmp_path: Path) -> None:
    series = [
        Counter("requests", {"status": "200", "canary": "", "app": 'a"b'}, T0, T0 + 10, rate=1.5),
        Counter("errors", {}, T0, T0, rate=1),
        Counter("requests", {"status": "500"}, T0, T0 + 10, rate=0.1),
    ]
    path = write_openmetrics(series, tmp_path / "series.om")
    assert path.read_text() == (
        "# TYPE requests counter\n"
        'requests{app="a\\"b",status="200"} 0 1700000000\n'
        'requests{app="a\\"b",status="200"} 15 1700000010\n'
        'requests{status="500"} 0 1700000000\n'
        'requests{status="500"} 1 1700000010\n'
        "# TYPE errors counter\n"
        "errors 0 1700000000\n"
        "# EOF\n"
    )


def test_windows_of_one_series_are_written_in_ascending_time() -> None:
    later = Counter("r", {"s": "1"}, T0 + 100, T0 + 110, rate=1, initial=50)
    earlier = Counter("r", {"s": "1"}, T0, T0 + 10, rate=1)
    lines = openmetrics_text([later, earlier]).splitlines()
    assert [line.rsplit(" ", 1)[1] for line in lines[1:-1]] == [
        "1700000000",
        "1700000010",
        "1700000100",
        "1700000110",
    ]


def test_overlapping_windows_of_one_series_are_rejected() -> None:
    with pytest.raises(SpecError, match="overlap"):
        openmetrics_text([Counter("r", {}, T0, T0 + 20), Counter("r", {}, T0 + 20, T0 + 30)])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "bad-name"}, "invalid metric name"),
        ({"labels": {"0x": "1"}}, "invalid label name"),
        ({"step": 0}, "step > 0"),
        ({"rate": -1}, "rate >= 0"),
        ({"end": T0 - 1}, "end >= start"),
    ],
)
def test_counter_validation(kwargs: dict[str, object], message: str) -> None:
    fields: dict[str, object] = {"name": "r", "labels": {}, "start": T0, "end": T0 + 10, **kwargs}
    with pytest.raises(SpecError, match=message):
        Counter(**fields)  # type: ignore[arg-type]


def test_reference_history_shape() -> None:
    text = openmetrics_text(reference_counters())
    lines = text.splitlines()
    assert lines[0] == "# TYPE nginx_ingress_controller_requests counter" and lines[-1] == "# EOF"
    assert len(lines) == 2 + 4 * 181
    assert 'method="GET",service="canary-demo",status="200"} 34200 1700001800' in text
    assert 'status="200"} 34200 1700010000' in text


@pytest.mark.prometheus
def test_session_server_is_ready_and_started_quickly(prometheus: ReferencePrometheus) -> None:
    assert requests.get(prometheus.url + "/-/ready", timeout=5).status_code == 200
    assert 0 < prometheus.startup_seconds < 20


@pytest.mark.prometheus
def test_server_lifecycle_config_and_cleanup() -> None:
    server = PrometheusServer(scrape_targets=["127.0.0.1:9"], scrape_interval="1s")
    with server:
        workdir = server.log_path.parent
        config = requests.get(server.url + "/api/v1/status/config", timeout=5).json()["data"]["yaml"]
        flags = requests.get(server.url + "/api/v1/status/flags", timeout=5).json()["data"]
        url = server.url
    assert "127.0.0.1:9" in config and "scrape_interval: 1s" in config
    assert flags["storage.tsdb.retention.time"] == "100y"
    assert not workdir.exists() and server.url == ""
    with pytest.raises(requests.ConnectionError):
        requests.get(url + "/-/ready", timeout=1)


@pytest.mark.prometheus
def test_promtool_rejection_is_reported_and_cleaned_up() -> None:
    server = PrometheusServer(["# TYPE r counter\nr 1 1700000000\n"])  # no "# EOF"
    with pytest.raises(PrometheusStartError, match=r"promtool rejected .*EOF"), server:
        pass
    with pytest.raises(RuntimeError, match="not started"):  # the temporary directory is gone
        _ = server.log_path


def test_missing_binary_gives_a_clear_error() -> None:
    with pytest.raises(
        PrometheusStartError, match="'no-such-prometheus' not found on PATH; install Prometheus"
    ):
        PrometheusServer(binary="no-such-prometheus").start()

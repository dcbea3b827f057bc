"""PrometheusProvider against a real Prometheus holding the reference history, and against broken servers."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
from reference_history import ReferencePrometheus

from canarykit.analysis import Metric, Phase
from canarykit.analysis.take import take_measurement
from canarykit.errors import ProviderError
from canarykit.providers import PrometheusProvider
from canarykit.testing import FakeClock

pytestmark = pytest.mark.prometheus


def test_reference_query_in_the_healthy_window_is_095(prometheus: ReferencePrometheus) -> None:
    provider = PrometheusProvider(prometheus.url)
    observation = provider.measure(prometheus.success_rate_query, prometheus.healthy_start + 900)
    assert observation.value == [0.95]
    assert observation.text == "[0.95]"
    assert observation.metadata == {"ResolvedPrometheusQuery": prometheus.success_rate_query}


def test_reference_query_in_the_failing_window_is_08(prometheus: ReferencePrometheus) -> None:
    provider = PrometheusProvider(prometheus.url)
    for offset in (60.0, 900.5, prometheus.window_seconds):
        observation = provider.measure(prometheus.success_rate_query, prometheus.failing_start + offset)
        assert (observation.value, observation.text) == ([0.8], "[0.8]"), offset


def test_reference_query_without_traffic_is_an_empty_vector(prometheus: ReferencePrometheus) -> None:
    observation = PrometheusProvider(prometheus.url).measure(
        prometheus.success_rate_query, prometheus.no_traffic_start + 900
    )
    assert (observation.value, observation.text) == ([], "[]")


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ('result[0] == "x"', "invalid operation: == (mismatched types float64 and string)"),
        ("result == 10", "invalid operation: == (mismatched types []float64 and int)"),
    ],
)
def test_a_vector_is_typed_as_argo_types_it(
    prometheus: ReferencePrometheus, condition: str, message: str
) -> None:
    """A vector is Go's []float64: a condition comparing it with the wrong type is an Error, not Failed."""
    provider = PrometheusProvider(prometheus.url)
    metric = Metric("rate", provider, query=prometheus.success_rate_query, success_condition=condition)
    measurement = take_measurement(metric, FakeClock(prometheus.healthy_start + 900))
    assert measurement.phase is Phase.ERROR
    assert message in measurement.message


def test_scalar_query(prometheus: ReferencePrometheus) -> None:
    observation = PrometheusProvider(prometheus.url).measure("1+1", prometheus.healthy_start)
    assert (observation.value, observation.text) == (2.0, "2")


def test_string_result_from_a_real_server_is_an_unexpected_value_type(
    prometheus: ReferencePrometheus,
) -> None:
    with pytest.raises(ProviderError) as caught:  # client_golang's queryResult decodes no string results
        PrometheusProvider(prometheus.url).measure('"text"', prometheus.healthy_start)
    assert str(caught.value) == 'unexpected value type "string"'


def test_bad_promql_is_prometheus_own_error_as_argo_records_it(prometheus: ReferencePrometheus) -> None:
    with pytest.raises(ProviderError) as caught:
        PrometheusProvider(prometheus.url).measure("sum(", prometheus.healthy_start)
    message = str(caught.value)  # Prometheus's own words vary with its version; Argo shows them as they are
    assert message.startswith("bad_data: ") and "1:5: parse error" in message, message


def test_query_range_over_the_healthy_window(prometheus: ReferencePrometheus) -> None:
    start = prometheus.healthy_start + 300
    series = PrometheusProvider(prometheus.url).query_range(
        prometheus.success_rate_query, start, start + 1200, 300
    )
    assert len(series) == 1
    assert dict(series[0].labels) == {}
    assert series[0].points == tuple((start + offset, 0.95) for offset in (0, 300, 600, 900, 1200))


def test_query_range_keeps_labels_and_counter_values(prometheus: ReferencePrometheus) -> None:
    start = prometheus.failing_start
    query = 'nginx_ingress_controller_requests{status="500"}'
    series = PrometheusProvider(prometheus.url).query_range(query, start, start + 60, 10)
    assert [dict(item.labels) for item in series] == [
        {
            "__name__": "nginx_ingress_controller_requests",
            "ingress": "canary-demo",
            "service": "canary-demo",
            "method": "GET",
            "status": "500",
        }
    ]
    assert series[0].points == tuple((start + t, 2.0 * t) for t in range(0, 70, 10))


def test_closed_port_fails_fast_with_connection_refused() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ProviderError) as caught:  # refused, not the 5 s timeout
        PrometheusProvider(f"http://127.0.0.1:{port}", timeout=5).measure("up", 0)
    address = f"127.0.0.1:{port}"
    assert str(caught.value) == (
        f'Post "http://{address}/api/v1/query": dial tcp {address}: connect: connection refused'
    )


@pytest.fixture
def silent_server() -> Iterator[str]:
    """Accepts connections (the kernel completes the handshake) but never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


def test_server_that_never_answers_times_out_at_the_deadline(silent_server: str) -> None:
    with pytest.raises(ProviderError) as caught:
        PrometheusProvider(silent_server, timeout=0.5).measure("up", 0)
    assert str(caught.value) == f'Post "{silent_server}/api/v1/query": context deadline exceeded'


@pytest.fixture
def trickling_server() -> Iterator[str]:
    """Answers 200 at once, then sends its (never complete) body one byte every 50 ms."""
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        connection, _ = server.accept()
        with connection:
            connection.recv(65536)
            connection.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
            )
            while not stop.wait(0.05):
                try:
                    connection.sendall(b" ")
                except OSError:
                    return

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join(timeout=5)
    server.close()


def test_a_trickling_body_cannot_stretch_the_deadline(trickling_server: str) -> None:
    # each byte comes well within any socket timeout: only the whole deadline can end this 5,000 s body
    with pytest.raises(ProviderError) as caught:
        PrometheusProvider(trickling_server, timeout=0.6).measure("up", 0)
    assert str(caught.value) == "context deadline exceeded"  # client_golang's body read under its context

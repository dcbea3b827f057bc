"""The demo app: its color as JSON, an exact error share, latency, runtime changes, clean stop."""

from __future__ import annotations

import http.client
import socket
import time

import pytest

from canarykit.errors import CanaryError, SpecError
from canarykit.local.demo_app import DemoApp


def get(app: DemoApp, path: str = "/color") -> tuple[int, str, str]:
    """Status, content type and body of one request on a new connection."""
    connection = http.client.HTTPConnection("127.0.0.1", app.port, timeout=2)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read().decode()
    finally:
        connection.close()


def test_color_is_answered_as_a_json_string() -> None:
    with DemoApp("green") as app:
        assert get(app) == (200, "application/json", '"green"')
        assert get(app, "/")[0] == 200
        assert get(app, "/healthz")[0] == 200
        assert get(app, "/nope")[0] == 404
        assert app.served == {200: 1}
        assert app.address == f"127.0.0.1:{app.port}"
        assert app.url == f"http://127.0.0.1:{app.port}"


def test_error_share_is_exact_and_failures_carry_the_color() -> None:
    with DemoApp("blue", error_rate=0.3) as app:
        answers = [get(app) for _ in range(100)]
    statuses = [status for status, _, _ in answers]
    assert statuses.count(500) == 30
    assert statuses[:10].count(500) == 3
    assert {body for _, _, body in answers} == {'"blue"'}
    assert app.served == {200: 70, 500: 30}


def test_keep_alive_connections_share_the_counter() -> None:
    with DemoApp("blue", error_rate=0.5) as app:
        connection = http.client.HTTPConnection("127.0.0.1", app.port, timeout=2)
        statuses = []
        for _ in range(4):
            connection.request("GET", "/color")
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
        connection.close()
    assert statuses == [200, 500, 200, 500]


def test_latency_is_added_to_each_request() -> None:
    with DemoApp("green", latency=0.05) as app:
        started = time.monotonic()
        assert get(app)[0] == 200
        assert time.monotonic() - started >= 0.05


def test_set_behavior_changes_errors_and_latency_at_runtime() -> None:
    with DemoApp("green") as app:
        assert [get(app)[0] for _ in range(4)] == [200] * 4
        app.set_behavior(error_rate=1.0)
        assert [get(app)[0] for _ in range(3)] == [500] * 3
        app.set_behavior(error_rate=0.5, latency=0.05)
        started = time.monotonic()
        assert sorted(get(app)[0] for _ in range(2)) == [200, 500]
        assert time.monotonic() - started >= 0.1
        assert app.served == {200: 5, 500: 4}


@pytest.mark.parametrize(
    ("error_rate", "latency"), [(-0.1, 0.0), (1.5, 0.0), (0.0, -1.0), (float("nan"), 0.0)]
)
def test_bad_arguments_are_spec_errors(error_rate: float, latency: float) -> None:
    with pytest.raises(SpecError):
        DemoApp("green", error_rate=error_rate, latency=latency)


def test_bad_runtime_changes_are_spec_errors() -> None:
    app = DemoApp("green")
    with pytest.raises(SpecError):
        app.set_behavior(error_rate=2.0)
    with pytest.raises(SpecError):
        app.set_behavior(latency=-0.5)
    assert (app.error_rate, app.latency) == (0.0, 0.0)
    with pytest.raises(SpecError):
        DemoApp("")


def test_stop_frees_the_port_and_closes_open_connections() -> None:
    app = DemoApp("green").start()
    port = app.port
    idle = socket.create_connection(("127.0.0.1", port), timeout=2)
    get(app)
    app.stop()
    with pytest.raises(CanaryError):
        app.port  # noqa: B018
    assert idle.recv(1) == b""  # the server closed the idle connection
    idle.close()
    with socket.socket() as probe:  # as any server would (closed connections may linger in TIME_WAIT)
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))
        probe.listen()
    with DemoApp("blue", port=port) as again:
        assert again.port == port
        assert get(again)[2] == '"blue"'

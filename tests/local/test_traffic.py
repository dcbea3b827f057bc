"""The traffic generator: real requests at about the asked rate, every answer recorded."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable

import pytest

from canarykit.errors import SpecError
from canarykit.local.demo_app import DemoApp
from canarykit.local.traffic import Answer, TrafficGenerator


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(condition: Callable[[], bool], deadline: float = 20.0) -> None:
    """Poll `condition` until it holds; fail after `deadline` seconds (a bound, not a guessed delay)."""
    give_up = time.monotonic() + deadline
    while not condition():
        assert time.monotonic() < give_up, "condition not reached in time"
        time.sleep(0.01)


def answered(traffic: TrafficGenerator, count: int) -> Callable[[], bool]:
    return lambda: sum(traffic.totals().values()) >= count


def test_answers_are_recorded_with_color_and_status() -> None:
    with DemoApp("green", error_rate=0.5) as app:
        with TrafficGenerator(f"{app.url}/color", rate=40, workers=2) as traffic:
            wait_for(answered(traffic, 20))
        totals = traffic.totals()
    assert set(totals) == {("green", 200), ("green", 500)}
    assert abs(totals["green", 200] - totals["green", 500]) <= 1
    assert sum(totals.values()) == len(traffic.recent()) == sum(app.served.values())
    assert all(answer.seconds >= 0 for answer in traffic.recent())


def test_the_rate_is_never_exceeded_and_stop_ends_every_worker() -> None:
    with DemoApp("blue") as app:
        began = time.monotonic()
        traffic = TrafficGenerator(app.url, rate=40, workers=4).start()  # an empty path means /color
        wait_for(answered(traffic, 10))
        traffic.stop()
        elapsed = time.monotonic() - began
        sent = sum(traffic.totals().values())
        workers = [thread for thread in threading.enumerate() if thread.name.startswith("traffic-")]
    assert not workers  # stop() returns once every worker has ended
    assert 10 <= sent <= 40 * elapsed + 4  # a busy machine sends fewer, never more than scheduled
    assert {answer.color for answer in traffic.recent()} == {"blue"}


def test_recent_is_bounded_and_newest_last() -> None:
    with DemoApp("blue") as app, TrafficGenerator(app.url, rate=100, workers=2, history=5) as traffic:
        wait_for(answered(traffic, 6))
    assert len(traffic.recent()) == 5
    assert len(traffic.recent(2)) == 2 and traffic.recent(2) == traffic.recent()[-2:]
    assert traffic.recent(0) == []
    assert sum(traffic.totals().values()) > 5


def test_two_versions_are_told_apart_by_color() -> None:
    with (
        DemoApp("blue") as blue,
        DemoApp("green", error_rate=1.0) as green,
        TrafficGenerator(blue.url, rate=20) as to_blue,
        TrafficGenerator(green.url, rate=20) as to_green,
    ):
        wait_for(lambda: answered(to_blue, 2)() and answered(to_green, 2)())
    assert set(to_blue.totals()) == {("blue", 200)}
    assert set(to_green.totals()) == {("green", 500)}


def test_connection_errors_have_no_status() -> None:
    with TrafficGenerator(f"http://127.0.0.1:{free_port()}/color", rate=40) as traffic:
        wait_for(answered(traffic, 2))
    answers = traffic.recent()
    assert answers
    assert {(answer.color, answer.status) for answer in answers} == {(None, None)}
    assert list(traffic.totals()) == [(None, None)]


def test_a_body_without_a_color_has_color_none() -> None:
    with DemoApp("blue") as app, TrafficGenerator(f"{app.url}/healthz", rate=40) as traffic:
        wait_for(answered(traffic, 1))
    assert set(traffic.totals()) == {(None, 200)}
    assert isinstance(traffic.recent()[0], Answer)


@pytest.mark.parametrize(
    ("url", "options"),
    [("ftp://x/color", {}), ("nohost", {}), ("http://x", {"rate": 0}), ("http://x", {"workers": 0})],
)
def test_bad_arguments_are_spec_errors(url: str, options: dict[str, int]) -> None:
    with pytest.raises(SpecError):
        TrafficGenerator(url, **options)

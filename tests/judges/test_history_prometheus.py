"""`ErrorRateComparison(..., history="1h")` on a real Prometheus holding backfilled ingress-nginx counters.

An hour of stable alone (100 requests/s) before the canary starts at `CANARY`, then 80/s stable and 20/s
canary for 30 minutes. `regressed`: stable fails 0.5 % throughout, the canary 1.5 %. `fresh`: the same, but
stable has no series before the canary. `drifting`: stable fails 0.5 % in its history and 2 % once the canary
starts, and the canary, healthy, fails 2 % too.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from canarykit import AnalysisRun, Metric, Phase
from canarykit.analysis import AnalysisResult
from canarykit.errors import SpecError
from canarykit.judges import ErrorRateComparison
from canarykit.testing import FakeClock
from canarykit.testing.prometheus import Counter, PrometheusServer, openmetrics_text

pytestmark = pytest.mark.prometheus

HISTORY_START = 1_700_400_000.0
CANARY = HISTORY_START + 3600
END = CANARY + 1800
NAMESPACE = "shop"
REQUESTS = "nginx_ingress_controller_requests"
STEP = 10.0


def series(
    ingress: str, status: str, canary: bool, phases: list[tuple[float, float, float]]
) -> list[Counter]:
    """One series over consecutive `(start, end, rate)` phases, each continuing the previous one's count."""
    labels = {
        "ingress": ingress,
        "namespace": NAMESPACE,
        "service": ingress,
        "method": "GET",
        "status": status,
    }
    if canary:
        labels["canary"] = f"{NAMESPACE}-{ingress}-canary-80"
    counters: list[Counter] = []
    for start, end, rate in phases:
        initial = counters[-1].samples()[-1][1] + counters[-1].rate * STEP if counters else 0.0
        counters.append(Counter(REQUESTS, labels, start, end, STEP, rate, initial))
    return counters


def stable(ingress: str, history_error: float | None, live_error: float) -> list[Counter]:
    """Stable: 100/s before the canary (none if `history_error` is None), 80/s after."""
    counters: list[Counter] = []
    for status, bad in (("200", False), ("500", True)):
        before, after = (
            (history_error or 0.0, live_error) if bad else (1 - (history_error or 0.0), 1 - live_error)
        )
        phases = [] if history_error is None else [(HISTORY_START, CANARY - STEP, 100 * before)]
        counters += series(ingress, status, False, [*phases, (CANARY, END, 80 * after)])
    return counters


def canary(ingress: str, error: float) -> list[Counter]:
    ok = series(ingress, "200", True, [(CANARY, END, 20 * (1 - error))])
    return ok + series(ingress, "500", True, [(CANARY, END, 20 * error)])


def history() -> list[Counter]:
    return [
        *stable("regressed", 0.005, 0.005),
        *canary("regressed", 0.015),
        *stable("fresh", None, 0.005),
        *canary("fresh", 0.015),
        *stable("drifting", 0.005, 0.02),
        *canary("drifting", 0.02),
    ]


@pytest.fixture(scope="module")
def prometheus_url() -> Iterator[str]:
    with PrometheusServer([openmetrics_text(history())]) as server:
        yield server.url


def run(metric: Metric, minutes: int = 20) -> AnalysisResult:
    """The metric from the canary's first 10 s (its origin: the canary's start) until it completes."""
    return AnalysisRun([metric], clock=FakeClock(CANARY + STEP)).run(f"{minutes}m")


def texts(result: AnalysisResult) -> list[str]:
    return [m.value for m in result.metrics[0].measurements]


def test_stables_hour_of_history_catches_a_3x_canary_sooner_than_the_same_window_test(
    prometheus_url: str,
) -> None:
    informed = run(ErrorRateComparison(prometheus_url, "regressed", NAMESPACE, history="1h").metric())
    plain = run(ErrorRateComparison(prometheus_url, "regressed", NAMESPACE).metric())
    assert informed.phase is Phase.FAILED and plain.phase is Phase.FAILED
    assert len(texts(informed)) < len(texts(plain))
    last = informed.metrics[0].measurements[-1]
    assert last.metadata["history"] == (
        "stable 1800/360000 before the canary (rate 0.005, bounds [0.004621, 0.0054])"
    )
    assert "same-window" not in last.value


def test_no_stable_history_falls_back_to_the_same_window_test_and_says_so(prometheus_url: str) -> None:
    result = run(ErrorRateComparison(prometheus_url, "fresh", NAMESPACE, history="1h").metric())
    plain = run(ErrorRateComparison(prometheus_url, "fresh", NAMESPACE).metric())
    assert result.phase is Phase.FAILED
    assert [text.split(" (no stable")[0] for text in texts(result)] == texts(plain)
    assert texts(result)[0].endswith("(no stable requests in the 3600s before the canary: same-window test)")


def test_stable_drifting_above_its_history_switches_to_the_same_window_test(prometheus_url: str) -> None:
    result = run(ErrorRateComparison(prometheus_url, "drifting", NAMESPACE, history="1h").metric(), minutes=5)
    assert result.phase is Phase.SUCCESSFUL
    values = texts(result)
    assert "same-window test: stable's live rate" in values[-1] and "rose above the history's" in values[-1]


@pytest.mark.parametrize("window", ["0s", "-1h", "an hour", ""])
def test_a_bad_history_window_is_refused_when_the_judge_is_built(window: str) -> None:
    with pytest.raises(SpecError, match="history"):
        ErrorRateComparison("http://127.0.0.1:9", "x", history=window)

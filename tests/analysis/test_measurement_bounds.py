"""Large answers from a real Prometheus: capped, or judged whole and kept as previews in logs and records."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from canarykit.analysis import AnalysisRun, Measurement, Metric, Phase
from canarykit.providers import PrometheusProvider
from canarykit.testing import FakeClock
from canarykit.testing.prometheus import Counter, PrometheusServer, openmetrics_text
from canarykit.values import PREVIEW_CHARS

pytestmark = pytest.mark.prometheus

SERIES = 12_000
START = 1_700_000_000.0
QUERY = "wide_requests_total"


@pytest.fixture(scope="module")
def wide_prometheus() -> Iterator[str]:
    """A real Prometheus holding 12,000 series: an instant query of them all is a 12,000-sample vector."""
    counters = [
        Counter("wide_requests_total", {"pod": f"pod-{index}"}, START, START + 60, 10, rate=1.0)
        for index in range(SERIES)
    ]
    with PrometheusServer([openmetrics_text(counters)]) as server:
        yield server.url


def analyse(provider: PrometheusProvider, condition: str) -> tuple[Measurement, str]:
    """One measurement at START + 60 through an AnalysisRun, and the run's JSON record."""
    metric = Metric("wide", provider, query=QUERY, count=1, success_condition=condition)
    result = AnalysisRun([metric], clock=FakeClock(START + 60)).run()
    return result.metrics[0].measurements[0], result.to_json()


def test_a_vector_over_max_samples_is_a_clear_error_measurement(wide_prometheus: str) -> None:
    measurement, _ = analyse(PrometheusProvider(wide_prometheus), "len(result) > 0")
    assert measurement.phase is Phase.ERROR
    assert measurement.message == (
        f"the answer from {wide_prometheus}/api/v1/query holds more than 10000 samples or series "
        "(max_samples); narrow the query or raise max_samples"
    )


def test_conditions_judge_the_whole_vector_while_logs_and_records_keep_a_preview(
    wide_prometheus: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="canarykit")
    provider = PrometheusProvider(wide_prometheus, max_samples=SERIES)
    measurement, record = analyse(provider, f"len(result) == {SERIES} && result[{SERIES - 1}] == 60")
    assert measurement.phase is Phase.SUCCESSFUL
    assert measurement.result == [60.0] * SERIES  # what conditions saw, whole
    shown = measurement.value.count("60")
    assert measurement.value == "[" + "60," * shown + f"… ({SERIES - shown} more values)]"
    assert len(measurement.value) <= PREVIEW_CHARS < len(measurement.value) + 10
    assert max(len(entry.getMessage()) for entry in caplog.records) < PREVIEW_CHARS + 200
    recorded = json.loads(record)["metricResults"][0]["measurements"][0]
    assert recorded["value"] == measurement.value
    assert len(record) < 4 * PREVIEW_CHARS

"""The preset's conditions have readable names: messages and records never show `<lambda>`."""

from __future__ import annotations

import pytest

from canarykit import AnalysisRun, Metric, SpecError
from canarykit.presets import Above, nginx_canary
from canarykit.testing import FakeClock, ScriptedProvider


def ceiling(value: object) -> Metric:
    preset = nginx_canary("web", prometheus=ScriptedProvider([value]), error_ceiling=0.05)
    (metric,) = [source for source in preset.analysis.source if isinstance(source, Metric)]
    return metric


def test_the_ceiling_condition_reads_as_a_condition() -> None:
    metric = ceiling([0.5])
    assert metric.failure_condition is not None
    assert metric.failure_condition.source == "<result[0] > 0.05 (no data or NaN is not above)>"
    assert "<lambda>" not in repr(metric)


@pytest.mark.parametrize(("value", "phase"), [([0.5], "Failed"), ([0.01], "Successful"), ([], "Successful")])
def test_the_named_ceiling_still_judges_as_before(value: object, phase: str) -> None:
    result = AnalysisRun([ceiling(value)], clock=FakeClock()).run(duration="1m")
    assert result.phase.value == phase
    assert Above(0.05)([float("nan")]) is False


def test_a_bad_ceiling_is_refused_naming_the_option() -> None:
    with pytest.raises(SpecError) as refused:
        nginx_canary("web", error_ceiling=5)
    assert str(refused.value) == "error_ceiling: must be between 0 and 1 (exclusive), got 5"

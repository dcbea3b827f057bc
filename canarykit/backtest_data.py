"""Did a backtest window hold data? A measurement's result is data, empty, or a provider fault.

- **empty**: the provider answered with nothing to judge: `None` or an empty vector (Argo: `metric
  result is nil or empty`, an Error measurement when a condition indexes it), a result whose every value
  is NaN (`0/0`: a ratio over no requests), or a comparison judge's answer that counted no canary request.
- **fault**: the provider did not answer (unreachable, timeout, bad query): an Error without a result.
- **data**: anything else.

A window holds **no data** when none of its (non-dry-run) measurements holds data and none is a fault (a
fault counts as the run's phase says: an unreachable Prometheus is not a quiet period). A window with some
data keeps its phase."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Any

from canarykit.analysis import AnalysisResult, Phase
from canarykit.analysis.evaluate import NO_DATA_MESSAGE
from canarykit.analysis.measurement import Measurement


class Content(str, Enum):
    """What one measurement's result holds."""

    DATA = "data"
    EMPTY = "empty"
    FAULT = "fault"


def content(measurement: Measurement) -> Content:
    """Whether the measurement's result holds data, nothing, or is missing because the provider failed."""
    result = measurement.result
    if result is None:
        nil = measurement.phase is not Phase.ERROR or NO_DATA_MESSAGE in measurement.message
        return Content.EMPTY if nil else Content.FAULT
    return Content.EMPTY if is_empty(result) else Content.DATA


def is_empty(result: Any) -> bool:
    """An empty vector, only NaN values, or a judge's answer without canary requests."""
    if isinstance(result, float):
        return math.isnan(result)
    if isinstance(result, list | tuple):
        return all(isinstance(value, float) and math.isnan(value) for value in result)
    if isinstance(result, Mapping) and "canaryRequests" in result and "outcome" in result:
        return not result["canaryRequests"]
    return False


def holds_no_data(result: AnalysisResult) -> bool:
    """True when no measurement that decides the run held data or was a provider fault (or none was taken).

    Dry-run metrics do not decide a run, so only the others count (all of them when every one is a dry run).
    """
    deciding = [metric for metric in result.metrics if not metric.dry_run] or list(result.metrics)
    kinds = set(_contents(measurement for metric in deciding for measurement in metric.measurements))
    return not kinds & {Content.DATA, Content.FAULT}


def _contents(measurements: Iterable[Measurement]) -> Iterable[Content]:
    return (content(measurement) for measurement in measurements)

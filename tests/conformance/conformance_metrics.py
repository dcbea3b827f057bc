"""Argo metric fields (camelCase, as in the vectors) to canarykit `Metric`s, tallies and measurements."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from canarykit.analysis import Measurement, Metric, MetricTally, Phase
from canarykit.errors import ProviderError
from canarykit.providers import MetricProvider
from canarykit.testing import ScriptedProvider

TALLY_FIELDS = {
    "count": "count",
    "successful": "successful",
    "failed": "failed",
    "inconclusive": "inconclusive",
    "error": "error",
    "consecutiveError": "consecutive_error",
    "consecutiveSuccess": "consecutive_success",
}


def build_metric(spec: Mapping[str, Any], provider: MetricProvider | None = None, **extra: Any) -> Metric:
    """A `Metric` with the Argo fields of `spec` (defaults as Argo's), measured by `provider`."""
    return Metric(
        name=spec.get("name", "success-rate"),
        provider=provider or ScriptedProvider([]),
        interval=spec.get("interval"),
        initial_delay=spec.get("initialDelay"),
        count=spec.get("count"),
        failure_limit=spec.get("failureLimit", 0),
        inconclusive_limit=spec.get("inconclusiveLimit", 0),
        consecutive_error_limit=spec.get("consecutiveErrorLimit", 4),
        consecutive_success_limit=spec.get("consecutiveSuccessLimit", 0),
        dry_run=spec.get("dryRun", False),
        **extra,
    )


def scripted_metric(spec: Mapping[str, Any]) -> Metric:
    """A metric whose measurements take the phases of `spec["script"]` ({error: text} raises that error).

    Argo's controller tests mock the provider's measurement phase; here the provider answers the phase's
    name and the conditions turn it back into that phase.
    """
    script = [_scripted(item) for item in spec.get("script", [])]
    return build_metric(
        spec,
        ScriptedProvider(script),
        success_condition=lambda value: value == "Successful",
        failure_condition=lambda value: value == "Failed",
    )


def _scripted(item: Any) -> Any:
    if isinstance(item, Mapping):
        return ProviderError(str(item["error"]))
    return str(item)


def tally_of(result: Mapping[str, Any]) -> MetricTally:
    """The counters of an Argo MetricResult."""
    return MetricTally(**{field: result.get(name, 0) for name, field in TALLY_FIELDS.items()})


def measurements_of(result: Mapping[str, Any]) -> list[Measurement]:
    """The MetricResult's last measurement, when it has one (the Go fixtures set at most the last)."""
    last = result.get("last")
    return [] if last is None else [Measurement(Phase(last), 0.0, 0.0)]

"""The metric provider protocol: query a source, return a value. Providers never judge."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from canarykit.values import format_value

if TYPE_CHECKING:  # at run time the analysis package imports this module: no cycle
    from canarykit.analysis.phases import Phase


@dataclass(frozen=True)
class Observation:
    """What a provider saw: the value conditions get as `result`, its Argo-style text, and metadata.

    A provider that decides the outcome itself, as Argo's job provider does (a Job that completes is
    Successful whatever the conditions say), sets `phase` and, when there is something to say, `message`;
    the metric's conditions are then not evaluated.
    """

    value: Any
    text: str = ""
    metadata: Mapping[str, str] = field(default_factory=dict)
    phase: Phase | None = None
    message: str = ""

    @classmethod
    def of(cls, value: Any, **metadata: str) -> Observation:
        """An observation whose text is `value` formatted as Argo formats metric values."""
        return cls(value=value, text=format_value(value), metadata=dict(metadata))


@runtime_checkable
class MetricProvider(Protocol):
    """Anything that can take one measurement.

    `query` is the metric's query text (PromQL for Prometheus; providers that carry their own request, like
    `WebProvider`, ignore it); `at` is the analysis clock's now in unix seconds, so a clock set in the past
    replays history. A fault is raised (preferably as `ProviderError`); the analysis run turns it into an
    Error measurement carrying the exception's message.
    """

    def measure(self, query: str | None, at: float) -> Observation: ...


PrometheusOverride = str | MetricProvider | None
"""What replaces a template's Prometheus: a URL, a provider, or None for the address written in it."""

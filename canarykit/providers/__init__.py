"""Metric providers: query a source, return an `Observation`. Providers never judge.

Each provider's module is imported on first use, so a program that only queries Prometheus never loads the
Datadog, web or command providers.
"""

from typing import TYPE_CHECKING

from canarykit._lazy import lazy_exports

if TYPE_CHECKING:
    from canarykit.providers.base import MetricProvider, Observation
    from canarykit.providers.command import CommandProvider
    from canarykit.providers.datadog import DatadogProvider
    from canarykit.providers.oauth2 import OAuth2
    from canarykit.providers.prometheus import PrometheusProvider, Series
    from canarykit.providers.range_query import RangeQuery
    from canarykit.providers.web import WebProvider

_EXPORTS = {
    "canarykit.providers.base": ("MetricProvider", "Observation"),
    "canarykit.providers.command": ("CommandProvider",),
    "canarykit.providers.datadog": ("DatadogProvider",),
    "canarykit.providers.oauth2": ("OAuth2",),
    "canarykit.providers.prometheus": ("PrometheusProvider", "Series"),
    "canarykit.providers.range_query": ("RangeQuery",),
    "canarykit.providers.web": ("WebProvider",),
}

__all__ = [
    "CommandProvider",
    "DatadogProvider",
    "MetricProvider",
    "OAuth2",
    "Observation",
    "PrometheusProvider",
    "RangeQuery",
    "Series",
    "WebProvider",
]

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

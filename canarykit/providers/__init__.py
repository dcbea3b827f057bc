"""Metric providers: query a source, return an `Observation`. Providers never judge."""

from canarykit.providers.base import MetricProvider, Observation
from canarykit.providers.prometheus import PrometheusProvider, Series
from canarykit.providers.web import WebProvider

__all__ = ["MetricProvider", "Observation", "PrometheusProvider", "Series", "WebProvider"]

"""Metric providers: query a source, return an `Observation`. Providers never judge."""

from canarykit.providers.base import MetricProvider, Observation
from canarykit.providers.command import CommandProvider
from canarykit.providers.datadog import DatadogProvider
from canarykit.providers.oauth2 import OAuth2
from canarykit.providers.prometheus import PrometheusProvider, Series
from canarykit.providers.range_query import RangeQuery
from canarykit.providers.web import WebProvider

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

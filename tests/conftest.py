"""Shared fixtures: one real Prometheus, seeded with the reference history, for the whole test run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from reference_history import ReferencePrometheus, reference_counters

from canarykit.testing.prometheus import PrometheusServer, openmetrics_text


@pytest.fixture(scope="session")
def prometheus() -> Iterator[ReferencePrometheus]:
    """A real Prometheus holding the reference history; fails (never skips) if Prometheus is missing."""
    with PrometheusServer([openmetrics_text(reference_counters())]) as server:
        yield ReferencePrometheus(url=server.url, startup_seconds=server.startup_seconds)

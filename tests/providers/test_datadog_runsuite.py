"""Argo's `TestRunSuite` (v1) and `TestRunSuiteV2` cases, each run as a canarykit measurement.

As in Argo's tests, the keys and the address are in the Secret "datadog" (or the one `secretRef` names), or
in `DD_API_KEY`, `DD_APP_KEY` and `DD_ADDRESS`; the clock stands at 1599076435; a local Datadog API checks
the keys and the request's shape and answers the case's recorded body.
"""

from __future__ import annotations

import pytest
from datadog_support import (
    API_KEY,
    APP_KEY,
    NOW,
    argo_metric,
    cluster,
    datadog,
    key_secret,
    kube,
    measure_once,
    no_dd_environment,
    template_text,
)
from datadog_vectors import QUERY, V1, V2, Vector

from canarykit.errors import SpecError
from canarykit.kube.cluster import KubeCluster
from canarykit.testing.datadog import DatadogRequest, DatadogServer
from canarykit.testing.kube import FakeKubeAPI

__all__ = ["cluster", "datadog", "kube", "no_dd_environment"]  # fixtures


def _prepare(
    vector: Vector, datadog: DatadogServer, kube: FakeKubeAPI, monkeypatch: pytest.MonkeyPatch
) -> str:
    """The Secrets or variables Argo's test sets up, and the case's answer; returns the template."""
    address = vector.address or datadog.url
    if vector.env_keys:
        monkeypatch.setenv("DD_API_KEY", API_KEY)
        monkeypatch.setenv("DD_APP_KEY", APP_KEY)
        monkeypatch.setenv("DD_ADDRESS", address)
    else:
        key_secret(kube, vector.provider.get("secretRef", {}).get("name", "datadog"), address)
    datadog.answer(vector.body, vector.status)
    return template_text(vector.provider, vector.success, vector.failure)


@pytest.mark.usefixtures("no_dd_environment")
@pytest.mark.parametrize("vector", [v for v in V1 + V2 if not v.address], ids=lambda v: v.id)
def test_argo_run_suite_case(
    vector: Vector,
    datadog: DatadogServer,
    kube: FakeKubeAPI,
    cluster: KubeCluster,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    metric = argo_metric(_prepare(vector, datadog, kube, monkeypatch), cluster)
    measurement = measure_once(metric)
    assert measurement.phase == vector.phase, measurement.message
    if vector.phase in ("Successful", "Failed"):
        assert measurement.value == vector.value
    else:
        assert vector.message in measurement.message
    assert measurement.metadata.get("groups", "") == vector.groups
    assert measurement.metadata.get("groups_truncated") != "true"
    [request] = datadog.requests
    assert datadog.problems == []
    _check_request(request, vector)


@pytest.mark.usefixtures("no_dd_environment")
@pytest.mark.parametrize("vector", [v for v in V1 + V2 if v.address], ids=lambda v: v.id)
def test_a_faulty_address_is_refused_before_any_measurement(
    vector: Vector,
    datadog: DatadogServer,
    kube: FakeKubeAPI,
    cluster: KubeCluster,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Argo records an Error measurement; canarykit refuses to build the metric, with Argo's message."""
    with pytest.raises(SpecError) as refused:
        argo_metric(_prepare(vector, datadog, kube, monkeypatch), cluster)
    assert vector.message in str(refused.value)
    assert datadog.requests == []


def _check_request(request: DatadogRequest, vector: Vector) -> None:
    """What Argo's test server checks: the window, the query or queries, the aggregator, the formula."""
    if vector.provider.get("apiVersion", "v1") == "v1":
        assert request.method == "GET"
        assert request.params == {"from": str(NOW - vector.interval), "query": QUERY, "to": str(NOW)}
        return
    attributes = request.body["data"]["attributes"]
    assert (attributes["from"], attributes["to"]) == ((NOW - vector.interval) * 1000, NOW * 1000)
    queries = vector.provider.get("queries") or {"query": vector.provider["query"]}
    assert [(query["name"], query["query"]) for query in attributes["queries"]] == list(queries.items())
    assert {query["aggregator"] for query in attributes["queries"]} == {vector.aggregator}
    formula = vector.provider.get("formula")
    assert attributes["formulas"] == ([{"formula": formula}] if formula else [])

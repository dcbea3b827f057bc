"""The Datadog examples of argo-rollouts' docs (docs/analysis/datadog.md, in tests/data/argo_datadog/): each
loads, and runs one analysis against a local Datadog API holding the docs' own Secret (its address pointed
at the local API), through the Kubernetes API."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from datadog_support import NAMESPACE, NOW, cluster, kube, no_dd_environment

from canarykit.argo import load_analysis_template
from canarykit.argo.datadog_models import datadog_provider
from canarykit.errors import SpecError
from canarykit.kube.cluster import KubeCluster
from canarykit.testing import FakeClock
from canarykit.testing.datadog import DatadogRequest, DatadogServer
from canarykit.testing.kube import FakeKubeAPI

__all__ = ["cluster", "kube", "no_dd_environment"]  # fixtures

EXAMPLES = Path(__file__).parent.parent / "data" / "argo_datadog"
SECRET = yaml.safe_load((EXAMPLES / "02-secret.yaml").read_text())
SERVICE = {"service-name": "checkout"}


def _scalar(value: float) -> str:
    """A v2 answer shaped as Datadog's recorded ones (a typed number column)."""
    column = {"name": "a", "values": [value], "type": "number"}
    return json.dumps({"data": {"type": "scalar_response", "attributes": {"columns": [column]}}})


def _v2(request: DatadogRequest) -> dict[str, Any]:
    attributes: dict[str, Any] = request.body["data"]["attributes"]
    return attributes


@dataclass(frozen=True)
class Example:
    file: str
    answer: str
    phase: str
    check: Callable[[DatadogRequest], bool]
    args: dict[str, str] = field(default_factory=lambda: dict(SERVICE))
    secret: str = "datadog"


EXAMPLE_RUNS = [
    Example("01-v2-query.yaml", _scalar(0.004), "Successful",
            lambda r: _v2(r)["queries"][0]["query"] == "sum:requests.error.rate{service:checkout}\n"),
    Example("03-secret-ref.yaml", _scalar(0.004), "Successful", lambda r: r.path == "/api/v2/query/scalar",
            secret="mysecret"),
    Example("04-v1-formula-in-query.yaml",
            '{"status":"ok","res_type":"time_series","series":[{"metric":"requests.errors","pointlist":'
            "[[1599076380000.0,2.0],[1599076410000.0,3.5]]}]}",
            "Successful",
            lambda r: r.params["query"].startswith("moving_rollup(sum:requests.errors{service:checkout}")
            and int(r.params["to"]) - int(r.params["from"]) == 300),
    Example("05-v2-queries-formula.yaml", _scalar(2.5), "Successful",
            lambda r: _v2(r)["formulas"] == [{"formula": "moving_rollup(a, 60, 'sum') / b"}]
            and [q["name"] for q in _v2(r)["queries"]] == ["a", "b"]),
    Example("06-container-restarts.yaml", _scalar(5), "Failed",
            lambda r: _v2(r)["queries"][0]["query"]
            == "max:kubernetes.containers.restarts{service-name:checkout,rollouts_pod_template_hash:6b7f}"
            and _v2(r)["from"] == (NOW + 60 - 300) * 1000,
            args={**SERVICE, "canary-hash": "6b7f"}),
    Example("07-aggregator-sum.yaml", _scalar(1.2), "Successful",
            lambda r: {q["aggregator"] for q in _v2(r)["queries"]} == {"sum"}, args={}),
    Example("08-request-timeout.yaml", _scalar(1.2), "Successful",
            lambda r: {q["aggregator"] for q in _v2(r)["queries"]} == {"last"}, args={}),
    Example("09-grouped-by-tag.yaml",
            '{"data":{"attributes":{"columns":[{"name":"resource_name","type":"group","values":[["GET /a"],'
            '["GET /b"]]},{"name":"a","type":"number","values":[0.01,0.2]}]}}}',
            "Failed", lambda r: "by {resource_name}" in _v2(r)["queries"][0]["query"], args={}),
]  # fmt: skip


@pytest.fixture
def datadog() -> Iterator[DatadogServer]:
    """A local Datadog API expecting the docs' Secret's keys (`<datadog-api-key>`, `<datadog-app-key>`)."""
    with DatadogServer(SECRET["stringData"]["api-key"], SECRET["stringData"]["app-key"]) as server:
        yield server


def _put_docs_secret(kube: FakeKubeAPI, name: str, address: str) -> None:
    """The docs' Secret as the API server stores it (stringData folded into data), named `name`."""
    values = {**SECRET["stringData"], "address": address}
    data = {key: base64.b64encode(value.encode()).decode() for key, value in values.items()}
    metadata = {**SECRET["metadata"], "name": name, "namespace": NAMESPACE}
    kube.put(
        {"apiVersion": "v1", "kind": "Secret", "metadata": metadata, "type": SECRET["type"], "data": data}
    )


@pytest.mark.usefixtures("no_dd_environment")
@pytest.mark.parametrize("example", EXAMPLE_RUNS, ids=lambda example: example.file)
def test_docs_example_runs_against_datadog(
    example: Example, datadog: DatadogServer, kube: FakeKubeAPI, cluster: KubeCluster
) -> None:
    _put_docs_secret(kube, example.secret, datadog.url)
    datadog.answer(example.answer)
    template = load_analysis_template(EXAMPLES / example.file, cluster=cluster)
    run = template.instantiate(example.args, clock=FakeClock(NOW))
    result = run.run(duration="10m")
    assert result.phase == example.phase, result.message
    if example.phase == "Failed":
        assert "assessed Failed due to failed" in result.message
    assert datadog.requests and datadog.problems == []
    assert all(example.check(request) for request in datadog.requests)


def test_docs_request_timeout_example_sets_the_timeout() -> None:
    [metric] = load_analysis_template(EXAMPLES / "08-request-timeout.yaml").spec.metrics
    assert metric.provider.datadog is not None
    keys = {"DD_API_KEY": "k", "DD_APP_KEY": "a"}
    assert datadog_provider(metric.provider.datadog, None, environ=keys).timeout == 30.0


def test_docs_helm_snippet_is_refused_as_yaml() -> None:
    """The Helm-escaped snippet of the docs has broken indentation: not YAML, for Argo either."""
    with pytest.raises(SpecError, match="malformed YAML"):
        load_analysis_template(EXAMPLES / "10-helm-escaped.yaml")

"""Shared by the Datadog tests: the keys, a Datadog server, a cluster holding the keys' Secrets."""

from __future__ import annotations

import base64
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
import yaml

from canarykit.analysis.measurement import Measurement
from canarykit.analysis.metric import Metric
from canarykit.analysis.take import take_measurement
from canarykit.argo import load_analysis_template
from canarykit.kube import connect
from canarykit.kube.cluster import KubeCluster
from canarykit.testing import FakeClock
from canarykit.testing.datadog import DatadogServer
from canarykit.testing.kube import FakeKubeAPI

API_KEY = "0123456789abcdef0123456789abcdef"
APP_KEY = "0123456789abcdef0123456789abcdef01234567"
NOW = 1599076435
NAMESPACE = "rollouts"
DD_VARIABLES = ("DD_API_KEY", "DD_APP_KEY", "DD_ADDRESS", "DD_SITE")


@pytest.fixture
def no_dd_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No Datadog variable from the machine running the tests."""
    for name in DD_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def datadog() -> Iterator[DatadogServer]:
    """A local Datadog API expecting `API_KEY` and `APP_KEY`."""
    with DatadogServer(API_KEY, APP_KEY) as server:
        yield server


@pytest.fixture
def kube() -> Iterator[FakeKubeAPI]:
    with FakeKubeAPI() as server:
        yield server


@pytest.fixture
def cluster(kube: FakeKubeAPI) -> KubeCluster:
    """The namespace `NAMESPACE` of the fake cluster, through the real Kubernetes client."""
    return KubeCluster(connect(host=kube.url, request_timeout=5), NAMESPACE)


def put_secret(kube: FakeKubeAPI, name: str, data: Mapping[str, str]) -> None:
    """A Secret in `NAMESPACE` holding `data` (base64-encoded, as the API serves it)."""
    encoded = {key: base64.b64encode(value.encode()).decode() for key, value in data.items()}
    kube.put(
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": name, "namespace": NAMESPACE},
            "data": encoded,
        }
    )


def key_secret(kube: FakeKubeAPI, name: str, address: str) -> None:
    """Argo's test Secret: the address and both keys."""
    put_secret(kube, name, {"address": address, "api-key": API_KEY, "app-key": APP_KEY})


def template_text(
    provider: Mapping[str, Any], success: str = "", failure: str = "", name: str = "foo"
) -> str:
    """An AnalysisTemplate with one Datadog metric."""
    metric: dict[str, Any] = {"name": name, "provider": {"datadog": dict(provider)}}
    if success:
        metric["successCondition"] = success
    if failure:
        metric["failureCondition"] = failure
    document = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "AnalysisTemplate",
        "metadata": {"name": "datadog"},
        "spec": {"metrics": [metric]},
    }
    return yaml.safe_dump(document)


def argo_metric(text: str, cluster: KubeCluster | None, args: Mapping[str, str] | None = None) -> Metric:
    """The one metric of an AnalysisTemplate, built as a run builds it."""
    [metric] = load_analysis_template(text, cluster=cluster).metrics(args)
    return metric


def measure_once(metric: Metric, at: float = NOW) -> Measurement:
    """One measurement on a fake clock at `at`."""
    return take_measurement(metric, FakeClock(at))

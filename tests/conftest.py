"""Shared fixtures: one real Prometheus with the reference history for the whole run; the fault labs'
demo apps; fake Kubernetes APIs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fake_kube_bodies import AppsApi, CoreApi
from kube_support import seed_reference_objects
from kubernetes import client
from reference_history import ReferencePrometheus, reference_counters

from canarykit.kube import KubeAPI, connect
from canarykit.local.demo_app import DemoApp
from canarykit.testing.kube import FakeKubeAPI
from canarykit.testing.prometheus import PrometheusServer, openmetrics_text


@pytest.fixture(scope="session")
def prometheus() -> Iterator[ReferencePrometheus]:
    """A real Prometheus holding the reference history; fails (never skips) if Prometheus is missing."""
    with PrometheusServer([openmetrics_text(reference_counters())]) as server:
        yield ReferencePrometheus(url=server.url, startup_seconds=server.startup_seconds)


@pytest.fixture(scope="module")
def demo_apps() -> Iterator[tuple[DemoApp, DemoApp]]:
    """For the fault matrices: stable (or active) "blue" and the new "green", each answering /color."""
    with DemoApp("blue") as stable, DemoApp("green") as canary:
        yield stable, canary


# -- Kubernetes: the fake API server, seeded or empty, and clients for it -------------------------------


@pytest.fixture
def cluster() -> Iterator[FakeKubeAPI]:
    """A running fake API server holding the reference Services and Ingress (no Deployment yet)."""
    with FakeKubeAPI() as kube:
        seed_reference_objects(kube)
        yield kube


@pytest.fixture
def api(cluster: FakeKubeAPI) -> KubeAPI:
    """The real `kubernetes` client, through canarykit's edge, pointed at the seeded fake server."""
    return connect(host=cluster.url, request_timeout=5)


@pytest.fixture
def fake_kube() -> Iterator[FakeKubeAPI]:
    """An empty, started FakeKubeAPI (auto_ready), stopped after the test."""
    with FakeKubeAPI() as kube:
        yield kube


@pytest.fixture
def kube_config(fake_kube: FakeKubeAPI) -> client.Configuration:
    """A `kubernetes.client.Configuration` whose host is the empty fake."""
    config = client.Configuration()
    config.host = fake_kube.url
    return config


@pytest.fixture
def apps(kube_config: client.Configuration) -> AppsApi:
    """The real typed AppsV1Api talking to the empty fake."""
    return client.AppsV1Api(client.ApiClient(kube_config))


@pytest.fixture
def core(kube_config: client.Configuration) -> CoreApi:
    """The real typed CoreV1Api talking to the empty fake."""
    return client.CoreV1Api(client.ApiClient(kube_config))

"""Fixtures for the FakeKubeAPI tests: a fresh fake per test and real-client objects pointing at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fake_kube_bodies import AppsApi, CoreApi
from kubernetes import client

from canarykit.testing.kube import FakeKubeAPI


@pytest.fixture
def fake_kube() -> Iterator[FakeKubeAPI]:
    """A started FakeKubeAPI (auto_ready), stopped after the test."""
    with FakeKubeAPI() as kube:
        yield kube


@pytest.fixture
def kube_config(fake_kube: FakeKubeAPI) -> client.Configuration:
    """A `kubernetes.client.Configuration` whose host is the fake."""
    config = client.Configuration()
    config.host = fake_kube.url
    return config


@pytest.fixture
def apps(kube_config: client.Configuration) -> AppsApi:
    """The real typed AppsV1Api talking to the fake."""
    return client.AppsV1Api(client.ApiClient(kube_config))


@pytest.fixture
def core(kube_config: client.Configuration) -> CoreApi:
    """The real typed CoreV1Api talking to the fake."""
    return client.CoreV1Api(client.ApiClient(kube_config))

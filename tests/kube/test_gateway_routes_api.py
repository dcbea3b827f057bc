"""Gateway API routes stored in the fake API server and changed through the real client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from canarykit.kube import KubeAPI, connect
from canarykit.kube.gateway_routes import (
    IN_PROGRESS_LABEL_KEY,
    ensure_in_progress_label,
    read_canary_weight,
    set_canary_weight,
)
from canarykit.testing.kube import FakeKubeAPI

ROUTE = Path(__file__).resolve().parent.parent / "data" / "gateway_api" / "httproute.yml"


@pytest.fixture
def kube() -> Iterator[FakeKubeAPI]:
    with FakeKubeAPI() as server:
        yield server


@pytest.fixture
def api(kube: FakeKubeAPI) -> KubeAPI:
    return connect(host=kube.url, request_timeout=5)


def backends(route: dict[str, Any]) -> tuple[str, str]:
    refs = route["spec"]["rules"][0]["backendRefs"]
    return refs[0]["name"], refs[1]["name"]


@pytest.mark.parametrize("plural", ["httproutes", "grpcroutes"])
def test_routes_are_served_under_the_gateway_api_group(kube: FakeKubeAPI, api: KubeAPI, plural: str) -> None:
    kind = "HTTPRoute" if plural == "httproutes" else "GRPCRoute"
    body = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": kind, "metadata": {"name": "r"}, "spec": {}}
    created = api.create(plural, "default", body)
    assert created["metadata"]["resourceVersion"]
    assert kube.get(plural, "default", "r") is not None
    assert [route["metadata"]["name"] for route in api.list(plural, "default")] == ["r"]


def test_a_weight_written_through_the_api_reads_back(api: KubeAPI) -> None:
    route: dict[str, Any] = yaml.safe_load(ROUTE.read_text())
    namespace = route["metadata"].get("namespace", "default")
    stored = api.create("httproutes", namespace, route)
    stable, canary = backends(stored)
    changed = ensure_in_progress_label(set_canary_weight(stored, stable, canary, 40), 40)
    api.replace("httproutes", namespace, route["metadata"]["name"], changed)
    again = api.get("httproutes", namespace, route["metadata"]["name"])
    assert again is not None
    assert read_canary_weight(again, stable, canary) == 40
    assert again["metadata"]["labels"][IN_PROGRESS_LABEL_KEY] == "in-progress"

"""Argo's Prometheus provider tests as vectors, against a local server answering as Prometheus does."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest
from conformance_http import Reply, Request, Responder, authorized, oauth_token_server, serving
from conformance_providers import built_metric, check_measurement, check_request, fill, measure_once
from conformance_vectors import Vector, check_refusal, check_refused, params

from canarykit.errors import CanaryError, SpecError

ADDRESS_ENV = "ARGO_ROLLOUTS_PROMETHEUS_ADDRESS"


def prometheus_answer(vector: Mapping[str, Any]) -> Responder:
    """Argo's mockPromServer: 401 without the expected credentials, else the vector's answer."""
    answer = vector["answer"]

    def respond(request: Request) -> Reply:
        if not authorized(request, vector.get("auth")):
            return Reply(401)
        body = json.dumps(answer["json"]).encode()
        return Reply(answer.get("status", 200), body, {"Content-Type": "application/json"})

    return respond


@pytest.mark.parametrize("vector", params("prometheus", "measure"))
def test_measure(vector: Vector, monkeypatch: pytest.MonkeyPatch) -> None:
    data = vector.data
    monkeypatch.delenv(ADDRESS_ENV, raising=False)
    with serving(oauth_token_server) as oauth, serving(prometheus_answer(data)) as server:
        spec = fill(data["metric"], oauth=oauth.url)
        if data.get("address_from_env"):
            monkeypatch.setenv(ADDRESS_ENV, server.url)
        else:
            spec["provider"]["prometheus"].setdefault("address", server.url)
        try:
            measurement = measure_once(spec)
        except SpecError as refusal:
            check_refusal(vector, refusal)
            return
        check_measurement(measurement, vector.expect)
        check_request(server.requests, vector.expect.get("request"))


@pytest.mark.parametrize("vector", params("prometheus", "build"))
def test_build(vector: Vector, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ADDRESS_ENV, raising=False)
    for name, value in vector.data.get("env", {}).items():
        monkeypatch.setenv(name, value)
    expect = vector.expect
    try:
        metric = built_metric(vector.data["metric"])
    except CanaryError as refused:
        check_refused(refused, expect)
        return
    assert expect.get("ok"), f"built; Argo refuses it ({expect})"
    if "timeout" in expect:
        assert getattr(metric.provider, "timeout", None) == expect["timeout"]

"""Argo's web metric tests as vectors, against a local server answering as the Go test's server does."""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

import pytest
from conformance_http import Reply, Request, Responder, authorized, oauth_token_server, serving
from conformance_providers import built_metric, check_measurement, check_request, fill, measure_once
from conformance_vectors import Vector, check_refusal, check_refused, params

from canarykit.errors import CanaryError, SpecError


def web_answer(vector: Mapping[str, Any]) -> Responder:
    """The Go test's handler: 401 + body without the token, http.Error outside 2xx, else the body."""
    status = vector.get("status", 200)
    body = str(vector.get("response", "")).encode()
    token = vector.get("auth")

    def respond(request: Request) -> Reply:
        if token and not authorized(request, f"bearer {token}"):
            return Reply(401, body)
        if not 200 <= status < 300:
            text = f"{HTTPStatus(status).phrase}\n".encode()
            return Reply(status, text, {"Content-Type": "text/plain; charset=utf-8"})
        return Reply(200, body, {"Content-Type": "application/json"})

    return respond


@pytest.mark.parametrize("vector", params("web", "measure"))
def test_measure(vector: Vector) -> None:
    data = vector.data
    with serving(oauth_token_server) as oauth, serving(web_answer(data)) as server:
        spec = fill(data["metric"], oauth=oauth.url)
        spec["provider"]["web"].setdefault("url", server.url)
        try:
            measurement = measure_once(spec)
        except SpecError as refusal:
            check_refusal(vector, refusal)
            return
        check_measurement(measurement, vector.expect)
        check_request(server.requests, vector.expect.get("request"))


@pytest.mark.parametrize("vector", params("web", "build"))
def test_build(vector: Vector) -> None:
    expect = vector.expect
    try:
        built_metric(vector.data["metric"])
    except CanaryError as refused:
        check_refused(refused, expect)
        return
    assert expect.get("ok"), f"built; Argo refuses it ({expect})"

"""`canarykit.testing.DatadogServer` refuses what Datadog refuses, so the provider tests can trust it."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
from datadog_support import API_KEY, APP_KEY, datadog

from canarykit.testing.datadog import DatadogServer

__all__ = ["datadog"]  # fixture

KEYS = {"DD-API-KEY": API_KEY, "DD-APPLICATION-KEY": APP_KEY}
GOOD_V1 = {"from": "100", "to": "400", "query": "avg:cpu{*}"}
GOOD_V2: dict[str, Any] = {
    "data": {
        "type": "scalar_request",
        "attributes": {
            "from": 100_000,
            "to": 400_000,
            "queries": [{"aggregator": "last", "data_source": "metrics", "name": "a", "query": "avg:cpu{*}"}],
            "formulas": [],
        },
    }
}


def _v2(**attributes: Any) -> dict[str, Any]:
    return {"data": {**GOOD_V2["data"], "attributes": {**GOOD_V2["data"]["attributes"], **attributes}}}


def test_valid_requests_get_the_answer(datadog: DatadogServer) -> None:
    datadog.answer({"status": "ok", "series": []})
    v1 = requests.get(datadog.url + "/api/v1/query", params=GOOD_V1, headers=KEYS, timeout=10)
    v2 = requests.post(datadog.url + "/api/v2/query/scalar", json=GOOD_V2, headers=KEYS, timeout=10)
    assert (v1.status_code, v2.status_code) == (200, 200)
    assert v1.json() == {"status": "ok", "series": []}
    assert datadog.problems == []


@pytest.mark.parametrize(
    "headers",
    [{}, {"DD-API-KEY": API_KEY}, {**KEYS, "DD-APPLICATION-KEY": "other"}],
    ids=["no keys", "no application key", "wrong application key"],
)
def test_requests_without_the_keys_are_forbidden(datadog: DatadogServer, headers: dict[str, str]) -> None:
    answer = requests.get(datadog.url + "/api/v1/query", params=GOOD_V1, headers=headers, timeout=10)
    assert (answer.status_code, answer.json()) == (403, {"errors": ["Forbidden"]})
    assert len(datadog.problems) == 1


@pytest.mark.parametrize(
    ("params", "problem"),
    [
        ({"to": "400", "query": "q"}, "from is required"),
        ({**GOOD_V1, "from": "1.5"}, "from and to must be integers"),
        ({**GOOD_V1, "from": "500"}, "from must not be after to"),
        ({**GOOD_V1, "query": ""}, "query is required"),
    ],
)
def test_malformed_v1_queries_are_bad_requests(
    datadog: DatadogServer, params: dict[str, str], problem: str
) -> None:
    answer = requests.get(datadog.url + "/api/v1/query", params=params, headers=KEYS, timeout=10)
    assert answer.status_code == 400 and any(problem in error for error in answer.json()["errors"])
    assert problem in datadog.problems[0]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"data": {"type": "timeseries_request"}}, 'data.type must be "scalar_request"'),
        (_v2(to=50), "from must not be after to"),
        (_v2(**{"from": "100"}), "must be integers (milliseconds)"),
        (_v2(queries=[]), "queries must be a non-empty list"),
        (_v2(queries=[{"data_source": "logs", "name": "a", "query": "q"}]), 'data_source must be "metrics"'),
        (_v2(queries=[{"data_source": "metrics", "name": "a", "query": "q", "aggregator": "median"}]),
         "aggregator must be one of"),
        (_v2(formulas=[{"formula": ""}]), "formulas must be a list"),
    ],
)  # fmt: skip
def test_malformed_scalar_requests_are_bad_requests(datadog: DatadogServer, body: Any, problem: str) -> None:
    answer = requests.post(datadog.url + "/api/v2/query/scalar", json=body, headers=KEYS, timeout=10)
    assert answer.status_code == 400 and any(problem in error for error in answer.json()["errors"])


def test_a_scalar_request_must_be_json(datadog: DatadogServer) -> None:
    body = json.dumps(GOOD_V2)
    answer = requests.post(datadog.url + "/api/v2/query/scalar", data=body, headers=KEYS, timeout=10)
    assert answer.status_code == 400
    assert datadog.problems == ["Content-Type must be application/json"]


def test_other_endpoints_are_not_found(datadog: DatadogServer) -> None:
    answer = requests.post(datadog.url + "/api/v1/query", json=GOOD_V2, headers=KEYS, timeout=10)
    assert (answer.status_code, answer.json()) == (404, {"errors": ["Not found"]})

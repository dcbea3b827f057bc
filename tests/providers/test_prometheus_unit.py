"""PrometheusProvider against canned HTTP answers: construction checks, result types, error paths, secrets."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

import pytest
import responses

from canarykit.errors import ProviderError, SpecError
from canarykit.providers import PrometheusProvider, Series

ADDRESS = "http://prometheus.test:9090"
QUERY_URL = ADDRESS + "/api/v1/query"
RANGE_URL = ADDRESS + "/api/v1/query_range"
AT = 1_700_000_900.25


def success(result_type: str, result: Any, **extra: Any) -> dict[str, Any]:
    return {"status": "success", "data": {"resultType": result_type, "result": result}, **extra}


def sample(value: str, **labels: str) -> dict[str, Any]:
    return {"metric": labels, "value": [AT, value]}


def answer(payload: Any, status: int = 200, url: str = QUERY_URL, method: str = responses.POST) -> None:
    body = payload if isinstance(payload, str) else json.dumps(payload)
    responses.add(method, url, body=body, status=status, content_type="application/json")


def form(call_index: int = 0) -> dict[str, list[str]]:
    request = responses.calls[call_index].request
    text = request.body if isinstance(request.body, str) else (request.body or b"").decode()
    return parse_qs(text)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"address": "prometheus:9090"}, "prometheus address is not is url format: 'prometheus:9090'"),
        ({"address": "ftp://prometheus"}, "prometheus address is not is url format"),
        ({"address": "http://"}, "prometheus address is not is url format"),
        ({"address": ADDRESS, "timeout": 0}, "timeout must be a positive number"),
        ({"address": ADDRESS, "timeout": -1}, "timeout must be a positive number"),
        ({"address": ADDRESS, "basic_auth": ("user", "")}, "basic auth setup: username|password"),
        ({"address": ADDRESS, "basic_auth": ("", "pw")}, "basic auth setup: username|password"),
        ({"address": ADDRESS, "bearer_token": "t0ken", "headers": {"authorization": "x"}}, "only one of"),
        ({"address": ADDRESS, "bearer_token": "t0ken", "basic_auth": ("u", "p")}, "only one of"),
    ],
)
def test_construction_rejects_bad_settings(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(SpecError, match=message.replace("|", r"\|").replace("(", r"\(")):
        PrometheusProvider(**kwargs)


def test_address_message_hides_user_info() -> None:
    with pytest.raises(SpecError) as caught:
        PrometheusProvider("ftp://admin:hunter22@prometheus")
    assert "hunter22" not in str(caught.value)


@responses.activate
def test_instant_query_posts_the_form_argo_sends() -> None:
    answer(success("vector", [sample("0.95", ingress="canary-demo")]))
    observation = PrometheusProvider(ADDRESS + "/").measure("sum(up)", AT)
    assert observation.value == [0.95]
    assert observation.text == "[0.95]"
    assert observation.metadata == {"ResolvedPrometheusQuery": "sum(up)"}
    assert form() == {"query": ["sum(up)"], "time": ["1700000900.25"]}
    assert responses.calls[0].request.headers["Content-Type"] == "application/x-www-form-urlencoded"


@pytest.mark.parametrize("status", [405, 501])
@responses.activate
def test_falls_back_to_get_on_405_and_501(status: int) -> None:
    answer({"status": "error"}, status=status)
    answer(success("scalar", [AT, "2"]), method=responses.GET)
    observation = PrometheusProvider(ADDRESS).measure("1+1", 1_700_000_000)
    assert (observation.value, observation.text) == (2.0, "2")
    assert [call.request.method for call in responses.calls] == ["POST", "GET"]
    get_url = responses.calls[1].request.url or ""
    assert parse_qs(get_url.split("?", 1)[1]) == {"query": ["1+1"], "time": ["1700000000"]}


@pytest.mark.parametrize(
    ("result_type", "result", "value", "text"),
    [
        ("scalar", [AT, "0.95"], 0.95, "0.95"),
        ("vector", [], [], "[]"),
        ("vector", [sample("0.5", a="1"), sample("0.25", a="2")], [0.5, 0.25], "[0.5,0.25]"),
        (
            "matrix",
            [{"metric": {}, "values": [[1, "1"], [2, "2"]]}, {"metric": {}, "values": [[1, "3"]]}],
            [1.0, 2.0, 3.0],
            "[1,2,3]",
        ),
    ],
)
@responses.activate
def test_result_types_convert_as_argo_does(result_type: str, result: Any, value: Any, text: str) -> None:
    answer(success(result_type, result))
    observation = PrometheusProvider(ADDRESS).measure("q", AT)
    assert observation.value == value
    assert observation.text == text


@responses.activate
def test_nan_and_infinities_keep_prometheus_spelling() -> None:
    answer(success("vector", [sample("NaN"), sample("+Inf"), sample("-Inf")]))
    observation = PrometheusProvider(ADDRESS).measure("q", AT)
    assert observation.text == "[NaN,+Inf,-Inf]"
    assert observation.value[1] == float("inf") and observation.value[2] == float("-inf")


@responses.activate
def test_scalar_nan_text() -> None:
    answer(success("scalar", [AT, "NaN"]))
    assert PrometheusProvider(ADDRESS).measure("q", AT).text == "NaN"


@responses.activate
def test_string_result_is_not_supported() -> None:
    answer(success("string", [AT, "hello"]))
    with pytest.raises(ProviderError, match=r"^Prometheus metric type not supported$"):
        PrometheusProvider(ADDRESS).measure('"hello"', AT)


@responses.activate
def test_warnings_become_quoted_metadata() -> None:
    answer(success("vector", [sample("1")], warnings=["w1", "w2"]))
    observation = PrometheusProvider(ADDRESS).measure("q", AT)
    assert observation.metadata["warnings"] == '"w1", "w2"'


@responses.activate
def test_server_error_names_status_and_prometheus_error() -> None:
    answer({"status": "error", "errorType": "internal", "error": "out of memory"}, status=503)
    with pytest.raises(ProviderError) as caught:
        PrometheusProvider(ADDRESS).measure("q", AT)
    assert str(caught.value) == "Prometheus returned HTTP 503 Service Unavailable: internal: out of memory"


@responses.activate
def test_non_json_error_page_names_status() -> None:
    answer("<html>bad gateway</html>", status=502)
    with pytest.raises(ProviderError, match=r"^Prometheus returned HTTP 502 Bad Gateway$"):
        PrometheusProvider(ADDRESS).measure("q", AT)


@responses.activate
def test_error_envelope_gives_error_type_and_error() -> None:
    answer({"status": "error", "errorType": "bad_data", "error": "parse error at char 4"}, status=200)
    with pytest.raises(ProviderError, match=r"^Prometheus query failed: bad_data: parse error at char 4$"):
        PrometheusProvider(ADDRESS).measure("sum(", AT)


@pytest.mark.parametrize("body", ["not json at all", "", "[1, 2]", '{"status": "success"}'])
@responses.activate
def test_garbage_bodies_are_provider_errors(body: str) -> None:
    answer(body)
    with pytest.raises(ProviderError, match="Prometheus returned"):
        PrometheusProvider(ADDRESS).measure("q", AT)


@responses.activate
def test_malformed_samples_are_provider_errors() -> None:
    answer(success("vector", [{"metric": {}, "value": [AT, "not-a-number"]}]))
    with pytest.raises(ProviderError, match="malformed Prometheus vector result"):
        PrometheusProvider(ADDRESS).measure("q", AT)


def test_empty_query_is_a_provider_error() -> None:
    with pytest.raises(ProviderError, match="query is empty"):
        PrometheusProvider(ADDRESS).measure(None, AT)


@responses.activate
def test_headers_and_bearer_token_are_sent() -> None:
    answer(success("scalar", [AT, "1"]))
    provider = PrometheusProvider(ADDRESS, headers={"X-Scope-OrgID": "tenant-1"}, bearer_token="s3cret-token")
    provider.measure("q", AT)
    headers = responses.calls[0].request.headers
    assert headers["Authorization"] == "Bearer s3cret-token"
    assert headers["X-Scope-OrgID"] == "tenant-1"


@responses.activate
def test_basic_auth_is_sent() -> None:
    answer(success("scalar", [AT, "1"]))
    PrometheusProvider(ADDRESS, basic_auth=("admin", "pa55word")).measure("q", AT)
    assert responses.calls[0].request.headers["Authorization"] == "Basic YWRtaW46cGE1NXdvcmQ="


@responses.activate
def test_secrets_never_appear_in_messages_or_repr() -> None:
    echo = {"status": "error", "errorType": "auth", "error": "rejected Bearer s3cret-token and pa55word"}
    answer(echo, status=401)
    provider = PrometheusProvider(ADDRESS, bearer_token="s3cret-token")
    with pytest.raises(ProviderError) as caught:
        provider.measure("q", AT)
    assert "s3cret-token" not in str(caught.value)
    assert "HTTP 401" in str(caught.value)
    assert "s3cret-token" not in repr(provider)
    assert (
        repr(provider)
        == "PrometheusProvider(address='http://prometheus.test:9090', timeout=30, auth='bearer')"
    )
    basic = PrometheusProvider(ADDRESS, basic_auth=("admin", "pa55word"))
    assert "pa55word" not in repr(basic) and "YWRtaW46" not in repr(basic)


@responses.activate
def test_query_range_returns_series_with_labels_and_points() -> None:
    matrix = [{"metric": {"status": "200"}, "values": [[100, "1"], [160, "NaN"]]}]
    answer(success("matrix", matrix), url=RANGE_URL)
    series = PrometheusProvider(ADDRESS).query_range("rate(x[1m])", 100, 160, 60)
    assert len(series) == 1
    assert series[0].labels == {"status": "200"}
    assert series[0].points[0] == (100.0, 1.0)
    assert series[0].points[1][1] != series[0].points[1][1]  # NaN
    assert isinstance(series[0], Series)
    assert form() == {"query": ["rate(x[1m])"], "start": ["100"], "end": ["160"], "step": ["60"]}


@responses.activate
def test_query_range_faults_are_provider_errors() -> None:
    answer(
        {"status": "error", "errorType": "bad_data", "error": "exceeded maximum resolution"}, 400, RANGE_URL
    )
    with pytest.raises(ProviderError, match="HTTP 400 Bad Request: bad_data: exceeded maximum resolution"):
        PrometheusProvider(ADDRESS).query_range("x", 0, 1_000_000, 1)


def test_query_range_rejects_bad_windows() -> None:
    with pytest.raises(SpecError, match="step > 0"):
        PrometheusProvider(ADDRESS).query_range("x", 10, 0, 1)

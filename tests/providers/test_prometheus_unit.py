"""PrometheusProvider against canned HTTP answers: construction, result types, and every error answer read
as Argo's Go client (client_golang v1.24 `api/prometheus/v1`, prometheus/common `model`) reads it."""

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


def sample(value: Any, **labels: str) -> dict[str, Any]:
    return {"metric": labels, "value": [AT, value]}


def answer(payload: Any, status: int = 200, url: str = QUERY_URL, method: str = responses.POST) -> None:
    body = payload if isinstance(payload, str) else json.dumps(payload)
    responses.add(method, url, body=body, status=status, content_type="application/json")


def form(call_index: int = 0) -> dict[str, list[str]]:
    request = responses.calls[call_index].request
    text = request.body if isinstance(request.body, str) else (request.body or b"").decode()
    return parse_qs(text)


def fault(query: str = "q") -> str:
    with pytest.raises(ProviderError) as caught:
        PrometheusProvider(ADDRESS).measure(query, AT)
    return str(caught.value)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"address": "prometheus:9090"}, "prometheus address is not is url format: 'prometheus:9090'"),
        ({"address": "ftp://prometheus"}, "prometheus address is not is url format"),
        ({"address": "http://"}, "prometheus address is not is url format"),
        ({"address": ADDRESS, "timeout": 0}, "timeout must be a positive number"),
        ({"address": ADDRESS, "timeout": -1}, "timeout must be a positive number"),
        ({"address": ADDRESS, "bearer_token": "t0ken", "headers": {"authorization": "x"}}, "only one of"),
        ({"address": ADDRESS, "bearer_token": "t0ken", "basic_auth": ("u", "p")}, "only one of"),
    ],
)
def test_construction_rejects_bad_settings(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(SpecError, match=message.replace("(", r"\(")):
        PrometheusProvider(**kwargs)


@pytest.mark.parametrize(
    ("basic", "message"),
    [
        (("", "mypassword"), "missing mandatory parameter in metric for basic auth setup: username"),
        (("myuser", ""), "missing mandatory parameter in metric for basic auth setup: password"),
        (("", ""), "missing mandatory parameter in metric for basic auth setup: username"),
    ],
    ids=[
        "TestNewPrometheusAPIMissingBasicAuthUsername",
        "TestNewPrometheusAPIMissingBasicAuthPassword",
        "both",
    ],
)
def test_incomplete_basic_auth_has_argos_message(basic: tuple[str, str], message: str) -> None:
    with pytest.raises(SpecError) as caught:
        PrometheusProvider(ADDRESS, basic_auth=basic)
    assert str(caught.value) == message


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
    assert responses.calls[0].request.body == "query=sum%28up%29&time=1700000900.25"  # Go sorts the keys
    assert responses.calls[0].request.headers["Content-Type"] == "application/x-www-form-urlencoded"


@pytest.mark.parametrize("status", [403, 405, 501])
@responses.activate
def test_falls_back_to_get_on_403_405_and_501(status: int) -> None:
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
        ("vector", None, [], "[]"),
        ("vector", [sample("0.5", a="1"), sample("0.25", a="2")], [0.5, 0.25], "[0.5,0.25]"),
        ("vector", [sample("1"), None, sample("2")], [1.0, 2.0], "[1,2]"),  # nil samples are skipped
        ("vector", [{"metric": {}, "histogram": [AT, {"count": "1"}]}], [0.0], "[0]"),  # no value: Go's zero
        (
            "matrix",
            [{"metric": {}, "values": [[1, "1"], [2, "2"]]}, {"metric": {}, "values": [[1, "3"]]}],
            [1.0, 2.0, 3.0],
            "[1,2,3]",
        ),
        ("matrix", [{"metric": {}}, None, {"metric": {}, "values": None}], [], "[]"),
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
def test_field_names_match_case_insensitively_as_in_go() -> None:
    answer({"Status": "success", "DATA": {"ResultType": "scalar", "Result": [AT, "3"]}})
    assert PrometheusProvider(ADDRESS).measure("q", AT).value == 3.0


@responses.activate
def test_warnings_become_quoted_metadata() -> None:
    answer(success("vector", [sample("1")], warnings=["w1", "w2"]))
    observation = PrometheusProvider(ADDRESS).measure("q", AT)
    assert observation.metadata["warnings"] == '"w1", "w2"'


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (401, "{}", "client_error: client error: 401"),
        (404, "<html>not found</html>", "client_error: client error: 404"),
        (429, "", "client_error: client error: 429"),
        (
            500,
            '{"status": "error", "errorType": "internal", "error": "boom"}',
            "server_error: server error: 500",
        ),
        (502, "<html>bad gateway</html>", "server_error: server error: 502"),
        (503, "", "server_error: server error: 503"),
        (304, "", "bad_response: bad response code 304"),
    ],
)
@responses.activate
def test_a_status_that_is_no_api_error_is_named_by_its_class(status: int, body: str, message: str) -> None:
    answer(body, status=status)
    assert fault() == message  # client_golang's errorTypeAndMsgFor: the body is not read for the message


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (
            400,
            {"status": "error", "errorType": "bad_data", "error": "1:5: parse error"},
            "bad_data: 1:5: parse error",
        ),
        (
            422,
            {"status": "error", "errorType": "execution", "error": "too many samples"},
            "execution: too many samples",
        ),
        (
            400,
            "<html>bad request</html>",
            "bad_response: invalid character '<' looking for beginning of value",
        ),
        (400, "", "bad_response: unexpected end of JSON input"),
        (422, success("vector", []), "bad_response: inconsistent body for response code"),
        (
            200,
            {"status": "error", "errorType": "bad_data", "error": "parse error at char 4"},
            "bad_data: parse error at char 4",
        ),
        (200, {"status": "error", "error": "no type"}, ": no type"),
    ],
)
@responses.activate
def test_api_errors_are_prometheus_own_type_and_text(status: int, body: Any, message: str) -> None:
    answer(body, status=status)
    assert fault() == message


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("not json at all", "bad_response: invalid character 'o' in literal null (expecting 'u')"),
        ("", "bad_response: unexpected end of JSON input"),
        ('{"status": "success", "data": ', "bad_response: unexpected end of JSON input"),
        ("[1, 2]", "bad_response: json: cannot unmarshal array into Go value of type v1.apiResponse"),
        ('"text"', "bad_response: json: cannot unmarshal string into Go value of type v1.apiResponse"),
        (
            '{"status": 5}',
            "bad_response: json: cannot unmarshal number into Go struct field apiResponse.status of type "
            "string",
        ),
        (
            '{"warnings": "w"}',
            "bad_response: json: cannot unmarshal string into Go struct field apiResponse.warnings of type "
            "[]string",
        ),
        ('{"status": "success", "data": {}} x', "bad_response: invalid character 'x' after top-level value"),
        ('{"a": NaN}', "bad_response: invalid character 'N' looking for beginning of value"),
        ("null", "unexpected end of JSON input"),
        ('{"status": "success"}', "unexpected end of JSON input"),
        ('{"status": "success", "data": null}', 'unexpected value type "<ValNone>"'),
        ('{"status": "success", "data": {}}', 'unexpected value type "<ValNone>"'),
    ],
)
@responses.activate
def test_bodies_that_are_not_an_answer_get_gos_decoding_errors(body: str, message: str) -> None:
    answer(body)
    assert fault() == message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"resultType": "string", "result": [AT, "hello"]}, 'unexpected value type "string"'),
        ({"resultType": "streams", "result": []}, 'unknown value type "streams"'),
        (
            {"resultType": 5, "result": []},
            "json: cannot unmarshal number into Go struct field .resultType of type string",
        ),
        ({"resultType": "vector"}, "unexpected end of JSON input"),
        (
            {"resultType": "vector", "result": {}},
            "json: cannot unmarshal object into Go value of type model.Vector",
        ),
        (
            {"resultType": "vector", "result": [sample("abc")]},
            'strconv.ParseFloat: parsing "abc": invalid syntax',
        ),
        ({"resultType": "vector", "result": [sample(5)]}, "sample value must be a quoted string"),
        (
            {"resultType": "vector", "result": [sample("1e999")]},
            'strconv.ParseFloat: parsing "1e999": value out of range',
        ),
        (
            {"resultType": "vector", "result": [sample(" 1")]},
            'strconv.ParseFloat: parsing " 1": invalid syntax',
        ),
        (
            {"resultType": "scalar", "result": [AT, "x"]},
            'error parsing sample value: strconv.ParseFloat: parsing "x": invalid syntax',
        ),
        (
            {"resultType": "matrix", "result": [{"values": [[1, "1_0"]]}]},
            'strconv.ParseFloat: parsing "1_0": invalid syntax',
        ),
        (
            {"resultType": "vector", "result": [{"value": ["1", "1"]}]},
            'strconv.ParseInt: parsing "\\"1\\"": invalid syntax',
        ),
    ],
)
@responses.activate
def test_results_are_decoded_as_prometheus_common_decodes_them(data: dict[str, Any], message: str) -> None:
    answer({"status": "success", "data": data})
    assert fault() == message


@responses.activate
def test_no_content_is_an_empty_answer() -> None:
    responses.add(responses.POST, QUERY_URL, status=204)
    assert fault() == "unexpected end of JSON input"


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
    answer(echo, status=422)
    provider = PrometheusProvider(ADDRESS, bearer_token="s3cret-token")
    with pytest.raises(ProviderError) as caught:
        provider.measure("q", AT)
    assert str(caught.value) == "auth: rejected *** and pa55word"  # the whole header value is a secret
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
    with pytest.raises(ProviderError) as caught:
        PrometheusProvider(ADDRESS).query_range("x", 0, 1_000_000, 1)
    assert str(caught.value) == "bad_data: exceeded maximum resolution"


def test_query_range_rejects_bad_windows() -> None:
    with pytest.raises(SpecError, match="step > 0"):
        PrometheusProvider(ADDRESS).query_range("x", 10, 0, 1)

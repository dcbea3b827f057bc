"""Argo's webmetric_test.go TestRunSuite, case by case (Go names as ids), against a local HTTP server that
answers as the Go test's httptest server does; metrics come from Argo YAML through canarykit's loader.

Cases Argo records as an Error measurement for a spec it could have refused (a bad URL scheme, a body with
GET) are refused when the metric is built, with Argo's message.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from http import HTTPStatus
from typing import Any

import pytest
import yaml
from oauth2_server import TokenServer
from scripted_http import ScriptedHandler, ScriptedServer

from canarykit.analysis import Phase
from canarykit.analysis.take import take_measurement
from canarykit.argo import load_analysis_template
from canarykit.errors import SpecError
from canarykit.testing import FakeClock

ABCD = '{"a": 1, "b": true, "c": [1, 2, 3, 4], "d": null}'
ABCD_VALUE = '{"a":1,"b":true,"c":[1,2,3,4],"d":null}'
ABCD_CONDITION = "result.a > 0 && result.b && all(result.c, {# < 5}) && result.d == nil"
KEY2 = '{{"key": [{{"key2": {{"value": {}}}}}]}}'
VALUE_PATH = "{$.key[0].key2.value}"
HEADERS = [{"key": "key", "value": "value"}]
OAUTH = {"tokenUrl": "TOKENS/ok", "clientId": "someId", "clientSecret": "mySecret", "scopes": ["a", "b"]}


def case(
    name: str, response: str | None, web: dict[str, Any], success: str, expect: tuple[Any, ...], **more: Any
) -> Any:
    """One TestRunSuite entry: `expect` is (phase, value) or (Error, message part); `more` server settings."""
    failure = more.pop("failure", None)
    return pytest.param(response, web, success, failure, expect, more, id=name)


CASES = [
    case(
        "When_noJSONPathSpecified_And_MatchesConditions_Then_Succeed",
        ABCD,
        {"headers": HEADERS},
        ABCD_CONDITION,
        ("Successful", ABCD_VALUE),
    ),
    case(
        "When_matchesNeitherCondition_Then_Inconclusive",
        ABCD,
        {"headers": HEADERS},
        "result.a >= 2 && result.b && all(result.c, {# < 5}) && result.d == nil",
        ("Inconclusive", ABCD_VALUE),
        failure="result.a <= 0 && result.b && all(result.c, {# < 5}) && result.d == nil",
    ),
    case(
        "When_intStringReturnedInJson_And_MatchesConditions_Then_Succeed",
        KEY2.format('"1"'),
        {"jsonPath": VALUE_PATH, "headers": HEADERS},
        "asInt(result) > 0",
        ("Successful", '"1"'),
        failure="asInt(result) <= 0",
    ),
    case(
        "When_intStringReturnedInJson_And_DoesNotMatcheConditions_Then_Failure",
        KEY2.format('"0"'),
        {"jsonPath": VALUE_PATH},
        "asInt(result) > 0",
        ("Failed", '"0"'),
        failure="asInt(result) <= 0",
    ),
    case(
        "When_floatStringReturnedInJson_And_MatchesConditions_Then_Succeed",
        KEY2.format('"1.2"'),
        {"jsonPath": VALUE_PATH, "headers": HEADERS},
        "asFloat(result) > 1.1",
        ("Successful", '"1.2"'),
        failure="asFloat(result) <= 0",
    ),
    case(
        "When_floatStringReturnedInJson_And_DoesNotMatcheConditions_Then_Failure",
        KEY2.format('"1.2"'),
        {"jsonPath": VALUE_PATH},
        "asFloat(result) > 1.1",
        ("Failed", '"1.2"'),
        failure="asFloat(result) < 1.3",
    ),
    case(
        "When_numberReturnedInJson_And_MatchesConditions_Then_Succeed",
        KEY2.format("1"),
        {"jsonPath": VALUE_PATH, "headers": HEADERS},
        "result > 0",
        ("Successful", "1"),
        failure="result <= 0",
    ),
    case(
        "When_numberReturnedInJson_And_DoesNotMatchConditions_Then_Failure",
        KEY2.format("0"),
        {"jsonPath": VALUE_PATH},
        "result > 0",
        ("Failed", "0"),
        failure="result <= 0",
    ),
    case(
        "When_floatReturnedInJson_And_MatchesConditions_Then_Success",
        KEY2.format("1.1"),
        {"jsonPath": VALUE_PATH},
        "result > 0",
        ("Successful", "1.1"),
        failure="result <= 0",
    ),
    case(
        "When_floatReturnedInJson_And_DoesNotMatchConditions_Then_Failure",
        KEY2.format("-1.1"),
        {"jsonPath": VALUE_PATH},
        "result > 0",
        ("Failed", "-1.1"),
        failure="result <= 0",
    ),
    case(
        "When_stringReturnedInJson_And_MatchesConditions_Then_Succeed",
        KEY2.format('"true"'),
        {"jsonPath": VALUE_PATH},
        'result == "true"',
        ("Successful", '"true"'),
        failure='result == "false"',
    ),
    case(
        "When_stringReturnedInJson_And_DoesNotMatchConditions_Then_Fail",
        KEY2.format('"true"'),
        {"jsonPath": VALUE_PATH},
        'result == "true"',
        ("Failed", '"true"'),
        failure='result == "true"',
    ),
    case(
        "When_boolReturnedInJson_And_MatchesConditions_Then_Succeed",
        KEY2.format("true"),
        {"jsonPath": VALUE_PATH},
        "result == true",
        ("Successful", "true"),
        failure="result == false",
    ),
    case(
        "When_boolReturnedInJson_And_DoesNotMatchConditions_Then_Fail",
        KEY2.format("false"),
        {"jsonPath": VALUE_PATH},
        "result == true",
        ("Failed", "false"),
        failure="result == false",
    ),
    case(
        "When_listReturnedInJson_And_MatchesConditions_Then_Succeed",
        '{"key": [1, 2, 3, 4, 5, 6]}',
        {"jsonPath": "{$.key}"},
        "any(result, {# > 5})",
        ("Successful", "[1,2,3,4,5,6]"),
    ),
    case(
        "When_listReturnedInJson_And_DoesNotMatchConditions_Then_Fail",
        '{"key": [1, 2, 3, 4, 5, 6]}',
        {"jsonPath": "{$.key}"},
        "any(result, {# > 6})",
        ("Failed", "[1,2,3,4,5,6]"),
    ),
    case(
        "When_mapReturnedInJson_And_MatchesConditions_Then_Succeed",
        '{"key":{"num":1.2, "bool":true, "mapfield":{"foo":"bar"}}}',
        {"jsonPath": "{$.key}"},
        'result.num > 1.1 && result.bool && result.mapfield.foo == "bar"',
        ("Successful", '{"bool":true,"mapfield":{"foo":"bar"},"num":1.2}'),
    ),
    case(
        "When_mapReturnedInJson_And_DoesNotMatchConditions_Then_Fail",
        '{"key":{"num":1.2, "bool":true, "mapfield":{"foo":"bar"}}}',
        {"jsonPath": "{$.key}"},
        'result.num > 1.1 && result.bool && result.mapfield.foo == "bar"',
        ("Failed", '{"bool":true,"mapfield":{"foo":"bar"},"num":1.2}'),
        failure='result.num > 1.1 && result.bool && result.mapfield.foo == "bar"',
    ),
    case(
        "When_non200_Then_Error",
        KEY2.format('"true"'),
        {"jsonPath": VALUE_PATH},
        "true",
        ("Error", "received non 2xx response code: 300"),
        status=300,
        failure="true",
    ),
    case(
        "When_200Response_And_EmptyBody_Then_Succeed",
        "",
        {"jsonPath": VALUE_PATH},
        "true",
        ("Successful", ""),
    ),
    case(
        "When_200Response_And_EmptyBody_And_SuccessConditionNotMet_Then_Fail",
        "",
        {},
        "result == 'fail123'",
        ("Failed", ""),
    ),
    case(
        "When_200Response_And_NonJsonBody_Then_Succeed",
        "test: notJson",
        {"jsonPath": VALUE_PATH},
        "result == 'test: notJson'",
        ("Successful", "test: notJson"),
    ),
    case(
        "When_200Response_And_NonJsonBody_And_SuccessConditionNotMet_Then_Fail",
        "OK",
        {},
        "result == 'fail123'",
        ("Failed", "OK"),
    ),
    case(
        "When_200Response_And_JsonPathHasNoMatch_Then_Error",
        KEY2.format('"true"'),
        {"jsonPath": "{$.key[0].key2.novalue}"},
        "true",
        ("Error", "Could not find JSONPath in body: novalue is not found"),
        failure="true",
    ),
    case("When_200Response_And_NilBody_Then_Succeed", None, {}, "true", ("Successful", "")),
    case("When_200Response_And_AnyJson_Then_Succeed", "{}", {}, "true", ("Successful", "{}")),
    case(
        "When_non200Response_And_NoBody_Then_Failure",
        "",
        {},
        "",
        ("Error", "received non 2xx response code: 400"),
        status=400,
    ),
    case(
        "When_methodEmpty_Then_server_gets_GET",
        ABCD,
        {"headers": HEADERS},
        ABCD_CONDITION,
        ("Successful", ABCD_VALUE),
        method="GET",
    ),
    case(
        "When_methodGET_Then_server_gets_GET",
        ABCD,
        {"method": "GET", "headers": HEADERS},
        ABCD_CONDITION,
        ("Successful", ABCD_VALUE),
        method="GET",
    ),
    case(
        "When_methodPOST_Then_server_gets_body",
        ABCD,
        {"method": "POST", "headers": HEADERS, "body": "some body"},
        ABCD_CONDITION,
        ("Successful", ABCD_VALUE),
        method="POST",
        body="some body",
    ),
    case(
        "When_methodPUT_Then_server_gets_body",
        ABCD,
        {"method": "PUT", "headers": HEADERS, "body": "some body"},
        ABCD_CONDITION,
        ("Successful", ABCD_VALUE),
        method="PUT",
        body="some body",
    ),
    case(
        "When_methodPOST_Then_server_gets_jsonBody_Then_Succeed",
        ABCD,
        {"method": "POST", "headers": HEADERS, "jsonBody": {"key1": "value1", "key2": "value2"}},
        ABCD_CONDITION,
        ("Successful", ABCD_VALUE),
        method="POST",
        json_body={"key1": "value1", "key2": "value2"},
    ),
    case(
        "When_methodPUT_Then_server_gets_jsonBody_Then_Succeed",
        ABCD,
        {
            "method": "PUT",
            "headers": [*HEADERS, {"key": "Content-Type", "value": "application/json"}],
            "jsonBody": {"key1": "value1", "key2": {"key3": "value3"}},
        },
        ABCD_CONDITION,
        ("Successful", ABCD_VALUE),
        method="PUT",
        json_body={"key1": "value1", "key2": {"key3": "value3"}},
    ),
    case(
        "When_usingOAuth2_Then_Succeed",
        ABCD,
        {"headers": HEADERS, "authentication": {"oauth2": OAUTH}},
        ABCD_CONDITION,
        ("Successful", ABCD_VALUE),
        bearer="token-1",
    ),
    case(
        "When_RejectedByOAuthServer_Then_Failure",
        "Missing OAuth2 token",
        {"headers": HEADERS, "authentication": {"oauth2": {**OAUTH, "tokenUrl": "TOKENS/ko"}}},
        ABCD_CONDITION,
        ("Error", 'Get "SERVER": oauth2: cannot fetch token: 401 Unauthorized\nResponse: '),
        bearer="token-1",
    ),
]


def argo_server(settings: dict[str, Any], response: str | None) -> Any:
    """The Go test's handler: 401 without the expected token, the request checked, then its answer."""

    def respond(handler: ScriptedHandler) -> None:
        request = handler.server.requests[-1]
        bearer = settings.get("bearer")
        if bearer and request["headers"].get("Authorization") != f"Bearer {bearer}":
            handler.send_all((response or "").encode(), 401, "text/plain")
            return
        status = settings.get("status", 200)
        if not 200 <= status < 300:
            handler.send_all(f"{HTTPStatus(status).phrase}\n".encode(), status, "text/plain; charset=utf-8")
            return
        handler.send_all((response or "").encode())

    return respond


@pytest.fixture(scope="module")
def tokens() -> Iterator[TokenServer]:
    with TokenServer() as server:
        yield server


def metric_yaml(web: dict[str, Any], success: str, failure: str | None) -> str:
    metric: dict[str, Any] = {"name": "foo", "provider": {"web": web}}
    if success:
        metric["successCondition"] = success
    if failure:
        metric["failureCondition"] = failure
    document = {"apiVersion": "argoproj.io/v1alpha1", "kind": "AnalysisTemplate", "metadata": {"name": "web"}}
    return yaml.safe_dump({**document, "spec": {"metrics": [metric]}})


@pytest.mark.parametrize(("response", "web", "success", "failure", "expect", "settings"), CASES)
def test_run_suite(
    tokens: TokenServer,
    response: str | None,
    web: dict[str, Any],
    success: str,
    failure: str | None,
    expect: tuple[str, str],
    settings: dict[str, Any],
) -> None:
    with ScriptedServer(argo_server(settings, response)) as server:
        spec = json.loads(json.dumps(web).replace("TOKENS", tokens.url))
        template = load_analysis_template(metric_yaml({"url": server.url, **spec}, success, failure))
        measurement = take_measurement(template.metrics()[0], FakeClock())
        received = server.requests[-1] if server.requests else {}
    phase, shown = expect
    assert measurement.phase is Phase(phase)
    if phase == "Error":
        assert measurement.message == shown.replace("SERVER", server.url)
    else:
        assert measurement.value == shown
    if "method" in settings:
        assert received["method"] == settings["method"]
    if "body" in settings:
        assert received["body"] == settings["body"]
    if "json_body" in settings:  # Argo sends the raw JSON it was given; canarykit sends it compact
        assert json.loads(received["body"]) == settings["json_body"]
        assert received["headers"]["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("web", "message"),
    [
        (
            {"url": "bad://url.com", "jsonPath": VALUE_PATH},
            'Get "bad://url.com": unsupported protocol scheme "bad"',
        ),
        (
            {"url": "http://x", "headers": HEADERS, "body": "some body"},
            "Body/JSONBody can only be used with POST or PUT WebMetric Method types",
        ),
        (
            {"url": "http://x", "jsonBody": {"key1": "value1"}},
            "Body/JSONBody can only be used with POST or PUT WebMetric Method types",
        ),
        (
            {"url": "http://x", "jsonBody": {"k": "v"}, "body": "test body"},
            "use either Body or JSONBody; both cannot exists for WebMetric payload",
        ),
    ],
    ids=[
        "When_BadURL_Then_Fail",
        "When_sendingBodyWithGet_Then_Failure",
        "When_sendingJsonBodyWithGet_Then_Failure",
        "When_sending_BothBodyAndJsonBodyWithGet_Then_Failure",
    ],
)
def test_run_suite_specs_argo_fails_at_each_measurement_are_refused_when_built(
    web: dict[str, Any], message: str
) -> None:
    template = load_analysis_template(metric_yaml(web, "true", "true"))
    with pytest.raises(SpecError) as caught:
        template.metrics()
    assert str(caught.value).endswith(message)


@pytest.mark.parametrize(
    "oauth2",
    [
        {"tokenUrl": "http://tokenurl", "clientSecret": "mySecret", "scopes": ["myFirstScope"]},
        {"tokenUrl": "http://tokenurl", "clientId": "myClientID", "scopes": ["myFirstScope"]},
    ],
    ids=["missing-client-id", "missing-client-secret"],
)
def test_new_prom_api_error_with_incomplete_oauth_params(oauth2: dict[str, Any]) -> None:
    web = {"url": "http://x", "headers": HEADERS, "authentication": {"oauth2": oauth2}}
    with pytest.raises(SpecError, match=r"missing mandatory parameter in metric for OAuth2 setup$"):
        load_analysis_template(metric_yaml(web, ABCD_CONDITION, None))
    web["authentication"] = {"oauth2": {"tokenUrl": "http://tokenurl", "clientId": "i", "clientSecret": "s"}}
    assert load_analysis_template(metric_yaml(web, ABCD_CONDITION, None)).metrics()  # scopes are optional

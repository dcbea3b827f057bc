"""No secret in any output, short or long: echoed credentials, cut snippets, user info, exception chains."""

from __future__ import annotations

import base64
import json
import logging
import socket
import traceback
from collections.abc import Callable
from typing import Any

import pytest
from scripted_http import ScriptedHandler, ScriptedServer, answering

from canarykit.analysis import AnalysisRun, Metric
from canarykit.errors import ProviderError, SpecError
from canarykit.providers import PrometheusProvider, WebProvider
from canarykit.providers.redaction import Redactor
from canarykit.testing import FakeClock

SECRETS = ["~", "zq", "Qz7", "s3cr3t-t0ken-0123456789abcdef"]
VECTOR = {"resultType": "vector", "result": [{"metric": {}, "value": [1, "1"]}]}


def echo_in_warnings(handler: ScriptedHandler) -> None:
    """A proxy that reports the credentials it saw in Prometheus's warnings."""
    seen = handler.headers.get("Authorization", "")
    warnings = [f"proxy saw Authorization {seen}", f"token {seen.split(' ')[-1]} expires soon"]
    body = {"status": "success", "data": VECTOR, "warnings": warnings}
    handler.send_all(json.dumps(body).encode())


def echo_in_error(handler: ScriptedHandler) -> None:
    """A 422 (an API error, whose text Argo shows) quoting the credentials it refused (basic auth decoded)."""
    seen = handler.headers.get("Authorization", "")
    scheme, _, token = seen.partition(" ")
    if scheme == "Basic":
        token = base64.b64decode(token).decode()
    body = {"status": "error", "errorType": "auth", "error": f"refused {seen} (token {token})"}
    handler.send_all(json.dumps(body).encode(), status=422)


def outputs(provider: Any, caplog: pytest.LogCaptureFixture) -> str:
    """Everything a measurement shows: the fault's str and traceback, the logs, the analysis record."""
    shown = [repr(provider)]
    try:
        provider.measure("up", 0)
    except ProviderError as fault:
        shown += [str(fault), "".join(traceback.format_exception(fault))]
    caplog.set_level(logging.INFO, logger="canarykit")
    metric = Metric("m", provider, query="up", count=1, success_condition="result[0] == 1")
    shown.append(AnalysisRun([metric], clock=FakeClock()).run().to_json())
    shown.append(caplog.text)
    return "\n".join(shown)


@pytest.mark.parametrize("secret", SECRETS)
def test_warnings_echoing_a_bearer_token_are_redacted(secret: str, caplog: pytest.LogCaptureFixture) -> None:
    with ScriptedServer(echo_in_warnings) as server:
        provider = PrometheusProvider(server.url, bearer_token=secret)
        observation = provider.measure("up", 0)
        shown = outputs(provider, caplog)
    assert observation.metadata["warnings"] == '"proxy saw Authorization ***", "token *** expires soon"'
    assert '\\"proxy saw Authorization ***\\"' in shown  # the record holds the redacted warnings
    assert secret not in shown


@pytest.mark.parametrize("secret", SECRETS)
@pytest.mark.parametrize("kind", ["bearer", "header", "basic"])
def test_an_error_echoing_credentials_is_redacted(
    secret: str, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    by_kind: dict[str, dict[str, Any]] = {
        "bearer": {"bearer_token": secret},
        "header": {"headers": {"Authorization": f"ApiKey {secret}"}},
        "basic": {"basic_auth": ("admin", secret)},
    }
    credentials = by_kind[kind]
    with ScriptedServer(echo_in_error) as server:
        provider = PrometheusProvider(server.url, **credentials)
        shown = outputs(provider, caplog)
    assert "auth: refused *** (token " in shown  # the basic auth user name is no secret
    assert secret not in shown
    assert base64.b64encode(f"admin:{secret}".encode()).decode() not in shown


@pytest.mark.parametrize("secret", SECRETS)
@pytest.mark.parametrize("at", [290, 299])
def test_a_secret_cut_with_a_long_warning_is_hidden_before_the_cut(secret: str, at: int) -> None:
    warning = "x" * (at - 1) + " " + secret + " is the token" * 10
    body = {"status": "success", "data": VECTOR, "warnings": [warning]}
    with ScriptedServer(answering(json.dumps(body).encode())) as server:
        observation = PrometheusProvider(server.url, bearer_token=secret).measure("up", 0)
    redacted = "x" * (at - 1) + " ***" + " is the token" * 10
    assert observation.metadata["warnings"] == f'"{redacted[:300]}..."'  # a warning keeps 300 characters


def test_a_secret_cut_before_it_could_be_redacted_is_masked_at_the_cut() -> None:
    redactor = Redactor(["s3cr3t-t0ken", "zq"])
    assert redactor.mask_cut_secret("the token is s3cr3t-t0") == "the token is ***"
    assert redactor.mask_cut_secret("the token is z") == "the token is ***"
    assert (
        redactor.mask_cut_secret("the token isz") == "the token isz"
    )  # "z" inside a word is no secret's start
    assert redactor.cut("the token is s3cr3t-t0ken, ok", 20) == "the token is ***, ok"
    assert redactor.cut("the token is zq, and more", 14) == "the token is *..."


def test_short_secrets_are_redacted_where_they_stand_alone_long_ones_everywhere() -> None:
    redactor = Redactor(["zq", "~", "s3cr3t-t0ken"])
    assert redactor.redact("zq, zq;zq") == "***, ***;***"
    assert redactor.redact("a~b") == "a***b"
    assert redactor.redact("HTTP 401 zqx xzq") == "HTTP 401 zqx xzq"  # not the secret, just its letters
    assert redactor.redact("id=s3cr3t-t0kenX s3cr3t-t0ken%21") == "id=***X ***%21"
    assert Redactor(["a b/c"]).redact('q=a%20b%2Fc, q=a+b%2Fc, "a b\\/c"') == 'q=***, q=***, "a b\\/c"'


@pytest.mark.parametrize("secret", SECRETS)
@pytest.mark.parametrize("make", [PrometheusProvider, WebProvider])
def test_user_info_in_the_address_is_basic_auth_and_never_shown(
    secret: str, make: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    with ScriptedServer(echo_in_error) as server:
        address = server.url.replace("http://", f"http://admin:{secret}@")
        provider = make(address)
        shown = outputs(provider, caplog)
    token = base64.b64encode(f"admin:{secret}".encode()).decode()
    assert server.requests[0]["headers"]["Authorization"] == f"Basic {token}"
    assert server.url in shown
    assert getattr(provider, "address", getattr(provider, "url", None)) == server.url
    assert secret not in shown and token not in shown


@pytest.mark.parametrize("secret", SECRETS)
def test_an_unreachable_address_with_secrets_shows_none_in_its_exception_chain(secret: str) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    providers: list[PrometheusProvider | WebProvider] = [
        PrometheusProvider(f"http://admin:{secret}@127.0.0.1:{port}", headers={"X-Token": secret}),
        WebProvider(f"http://admin:{secret}@127.0.0.1:{port}/metrics?token={secret}"),
    ]
    for provider in providers:
        with pytest.raises(ProviderError) as caught:
            provider.measure("up", 0)
        shown = "".join(traceback.format_exception(caught.value))
        assert "connect: connection refused" in shown
        assert secret not in shown
        assert "Max retries" not in shown  # no requests exception chained
    assert "/metrics?token=***" in str(caught.value)  # Go shows the URL; a credential-like value is masked


def test_user_info_must_be_user_and_password_and_is_not_shown_when_it_is_not() -> None:
    for address in ("http://admin@prom:9090", "http://:pa55@prom:9090", "http://admin:@prom:9090"):
        with pytest.raises(SpecError) as caught:
            PrometheusProvider(address)
        assert str(caught.value) == "user info in an address must be user:password (the address is not shown)"
        assert "pa55" not in repr(caught.value)


@pytest.mark.parametrize("address", ["http://u:pa55@[::1", "http://u:pa55@host:port/x", "http://u:pa55@"])
@pytest.mark.parametrize("make", [PrometheusProvider, WebProvider])
def test_a_bad_address_with_user_info_is_a_spec_error_without_it(
    make: Callable[..., Any], address: str
) -> None:
    with pytest.raises(SpecError) as caught:
        make(address)
    assert "pa55" not in str(caught.value)
    assert caught.value.__cause__ is None


def test_an_authorization_header_wins_over_user_info_as_in_go() -> None:
    with ScriptedServer(echo_in_error) as server:
        address = server.url.replace("http://", "http://admin:pa55@")
        with pytest.raises(ProviderError, match=r"refused \*\*\* \(token \*\*\*\)$"):
            PrometheusProvider(address, bearer_token="t0k").measure("up", 0)
        assert server.requests[0]["headers"]["Authorization"] == "Bearer t0k"

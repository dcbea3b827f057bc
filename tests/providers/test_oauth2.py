"""OAuth2 client credentials for Prometheus against a real local token server and a protected Prometheus API.

Transcribes Argo's prometheus_test.go OAuth cases (TestRunSuccessfulWithOAuth, TestRunErrorOAuthFailure,
TestNewPromApiErrorWithIncompleteOAuthParams) and adds what golang.org/x/oauth2 does beyond them: the
token is cached until 10 s before it expires, credentials go in a basic-auth header then in the form.
"""

from __future__ import annotations

import base64
import json
import socket
import threading
from collections.abc import Iterator

import pytest
from oauth2_server import CLIENT_ID, CLIENT_SECRET, TokenServer
from scripted_http import ScriptedHandler, ScriptedServer

from canarykit.analysis import Metric, Phase
from canarykit.analysis.take import take_measurement
from canarykit.argo import load_analysis_template
from canarykit.errors import ProviderError, SpecError
from canarykit.providers import PrometheusProvider
from canarykit.providers._http import Deadline
from canarykit.providers.oauth2 import MISSING_PARAMETER, OAuth2, OAuth2Error, TokenSource
from canarykit.providers.watchdog import deadline_session
from canarykit.testing import FakeClock

SCOPES = ("myFirstScope", "mySecondScope")
VECTOR = {
    "status": "success",
    "data": {"resultType": "vector", "result": [{"metric": {}, "value": [0, "10"]}]},
}


def protected(handler: ScriptedHandler) -> None:
    """Argo's mockPromServer: 401 without a token the token server issued, else a vector holding 10."""
    if not handler.headers.get("Authorization", "").startswith("Bearer token-"):
        handler.send_all(b"", status=401)
        return
    answer = dict(VECTOR, warnings=[f"saw {handler.headers['Authorization']}"])
    handler.send_all(json.dumps(answer).encode())


@pytest.fixture
def tokens() -> Iterator[TokenServer]:
    with TokenServer() as server:
        yield server


@pytest.fixture
def prometheus() -> Iterator[ScriptedServer]:
    with ScriptedServer(protected) as server:
        yield server


def oauth(tokens: TokenServer, path: str = "/ok", secret: str = CLIENT_SECRET) -> OAuth2:
    return OAuth2(tokens.url + path, CLIENT_ID, secret, SCOPES)


def measure(provider: PrometheusProvider) -> tuple[Phase, str, str]:
    metric = Metric("foo", provider, query="test", success_condition="result[0] == 10")
    measurement = take_measurement(metric, FakeClock())
    return measurement.phase, measurement.value, measurement.message


def test_run_successful_with_oauth(tokens: TokenServer, prometheus: ScriptedServer) -> None:
    phase, value, _ = measure(PrometheusProvider(prometheus.url, oauth2=oauth(tokens)))
    assert (phase, value) == (Phase.SUCCESSFUL, "[10]")  # TestRunSuccessfulWithOAuth
    [token_request] = tokens.requests
    assert token_request["form"] == {
        "grant_type": "client_credentials",
        "scope": "myFirstScope mySecondScope",
    }
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    assert token_request["headers"]["Authorization"] == f"Basic {basic}"
    assert prometheus.requests[0]["headers"]["Authorization"] == "Bearer token-1"


def test_run_error_oauth_failure(tokens: TokenServer, prometheus: ScriptedServer) -> None:
    phase, _, message = measure(PrometheusProvider(prometheus.url, oauth2=oauth(tokens, "/ko")))
    assert phase is Phase.ERROR  # TestRunErrorOAuthFailure
    assert (
        message
        == f'Post "{prometheus.url}/api/v1/query": oauth2: cannot fetch token: 401 Unauthorized\nResponse: '
    )
    assert [request["path"] for request in tokens.requests] == ["/ko", "/ko"]  # header, then form
    assert not prometheus.requests


@pytest.mark.parametrize(
    ("token_url", "client_id", "client_secret"),
    [("http://tokenurl", "", "mySecret"), ("http://tokenurl", "someId", ""), ("", "someId", "mySecret")],
    ids=["no-client-id", "no-client-secret", "no-token-url"],
)
def test_new_prom_api_error_with_incomplete_oauth_params(
    token_url: str, client_id: str, client_secret: str
) -> None:
    with pytest.raises(SpecError) as caught:
        OAuth2(token_url, client_id, client_secret, SCOPES)
    assert str(caught.value) == MISSING_PARAMETER
    assert OAuth2("http://tokenurl", "someId", "mySecret").scopes == ()  # scopes are optional


def test_the_token_is_cached_across_measurements(tokens: TokenServer, prometheus: ScriptedServer) -> None:
    provider = PrometheusProvider(prometheus.url, oauth2=oauth(tokens))
    assert [measure(provider)[0] for _ in range(3)] == [Phase.SUCCESSFUL] * 3
    assert len(tokens.requests) == 1
    assert {request["headers"]["Authorization"] for request in prometheus.requests} == {"Bearer token-1"}


def test_threads_measuring_at_once_share_one_token_request(
    tokens: TokenServer, prometheus: ScriptedServer
) -> None:
    provider = PrometheusProvider(prometheus.url, oauth2=oauth(tokens))
    start = threading.Barrier(6)
    phases: list[Phase] = []

    def run() -> None:
        start.wait()
        phases.append(measure(provider)[0])

    threads = [threading.Thread(target=run) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert phases == [Phase.SUCCESSFUL] * 6
    assert len(tokens.requests) == 1


class Monotonic:
    """Monotonic seconds a test moves by hand."""

    def __init__(self) -> None:
        self.seconds = 100.0

    def __call__(self) -> float:
        return self.seconds


def test_a_token_is_fetched_again_10_s_before_it_expires(tokens: TokenServer) -> None:
    now = Monotonic()
    source = TokenSource(oauth(tokens, "/short"), deadline_session(), now=now)
    assert source.authorization(Deadline(5)) == "Bearer token-1"
    now.seconds += 19.9  # the token lives 30 s: still valid until 10 s before that
    assert source.authorization(Deadline(5)) == "Bearer token-1"
    now.seconds += 0.2
    assert source.authorization(Deadline(5)) == "Bearer token-2"
    assert len(tokens.requests) == 2


def test_credentials_go_in_the_form_when_the_header_is_refused_and_that_is_remembered(
    tokens: TokenServer,
) -> None:
    now = Monotonic()
    source = TokenSource(oauth(tokens, "/params-only"), deadline_session(), now=now)
    assert source.authorization(Deadline(5)) == "Bearer token-1"
    now.seconds += 3600
    assert source.authorization(Deadline(5)) == "Bearer token-2"
    styles = ["header" if "Authorization" in request["headers"] else "form" for request in tokens.requests]
    assert styles == ["header", "form", "form"]
    assert tokens.requests[1]["form"]["client_secret"] == CLIENT_SECRET


@pytest.mark.parametrize(
    ("path", "secret", "message"),
    [
        ("/ok", "wrong", 'oauth2: "invalid_client" "bad credentials"'),
        ("/scope-error", CLIENT_SECRET, 'oauth2: "invalid_scope" "no such scope"'),
        ("/no-token", CLIENT_SECRET, "oauth2: server response missing access_token"),
    ],
)
def test_token_endpoint_errors_read_as_x_oauth2_reads_them(
    tokens: TokenServer, prometheus: ScriptedServer, path: str, secret: str, message: str
) -> None:
    _, _, shown = measure(PrometheusProvider(prometheus.url, oauth2=oauth(tokens, path, secret)))
    assert shown == f'Post "{prometheus.url}/api/v1/query": {message}'


def test_a_form_encoded_token_answer_is_read(tokens: TokenServer, prometheus: ScriptedServer) -> None:
    assert measure(PrometheusProvider(prometheus.url, oauth2=oauth(tokens, "/form")))[0] is Phase.SUCCESSFUL
    assert (
        prometheus.requests[0]["headers"]["Authorization"] == "Bearer token-1"
    )  # "bearer" as x/oauth2 spells it


def test_an_unreachable_token_url_is_named_inside_the_query_error(prometheus: ScriptedServer) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    provider = PrometheusProvider(prometheus.url, oauth2=OAuth2(f"http://127.0.0.1:{port}/token", "a", "b"))
    assert measure(provider)[2] == (
        f'Post "{prometheus.url}/api/v1/query": Post "http://127.0.0.1:{port}/token": '
        f"dial tcp 127.0.0.1:{port}: connect: connection refused"
    )


def test_the_secret_and_every_token_stay_hidden(tokens: TokenServer, prometheus: ScriptedServer) -> None:
    provider = PrometheusProvider(prometheus.url, oauth2=oauth(tokens))
    observation = provider.measure("up", 0)
    assert observation.metadata["warnings"] == '"saw Bearer ***"'  # the token echoed by the server
    refused = PrometheusProvider(prometheus.url, oauth2=oauth(tokens, "/echo"))
    with pytest.raises(ProviderError) as caught:
        refused.measure("up", 0)
    shown = str(caught.value) + repr(refused) + repr(oauth(tokens))
    assert "oauth2: cannot fetch token: 401 Unauthorized\nResponse: refused" in shown
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    assert CLIENT_SECRET not in shown and basic not in shown and "token-1" not in provider.redact("token-1")


def test_a_long_token_error_is_cut_after_its_secrets_are_hidden(
    tokens: TokenServer, prometheus: ScriptedServer
) -> None:
    secret = "s3cr3t-" * 20
    provider = PrometheusProvider(prometheus.url, oauth2=OAuth2(tokens.url + "/echo", "x" * 300, secret))
    with pytest.raises(ProviderError) as caught:
        provider.measure("up", 0)
    message = str(caught.value)
    assert len(message) == 1003 and message.endswith("...")  # the echoed request is cut at 1,000 characters
    assert f'refused secret ["{"x" * 300}", "***"] in' in message and "s3cr3t" not in message


def test_oauth2_and_another_authorization_source_are_refused(tokens: TokenServer) -> None:
    with pytest.raises(SpecError, match="set only one of"):
        PrometheusProvider("http://127.0.0.1:9", bearer_token="t", oauth2=oauth(tokens))
    with pytest.raises(SpecError, match="set only one of"):
        PrometheusProvider("http://127.0.0.1:9", headers={"Authorization": "x"}, oauth2=oauth(tokens))


def test_a_token_source_error_is_an_oauth2_error(tokens: TokenServer) -> None:
    with pytest.raises(OAuth2Error, match="cannot fetch token: 401"):
        TokenSource(oauth(tokens, "/ko"), deadline_session()).authorization(Deadline(5))


TEMPLATE = """\
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: success-rate}
spec:
  args:
    - name: oauthSecret
  metrics:
    - name: success-rate
      successCondition: result[0] == 10
      provider:
        prometheus:
          address: PROMETHEUS
          query: test
          authentication:
            oauth2:
              tokenUrl: TOKENS/ok
              clientId: someId
              clientSecret: "{{ args.oauthSecret }}"
              scopes: ["myFirstScope"]
"""


def test_an_argo_template_with_oauth2_runs(tokens: TokenServer, prometheus: ScriptedServer) -> None:
    text = TEMPLATE.replace("PROMETHEUS", prometheus.url).replace("TOKENS", tokens.url)
    template = load_analysis_template(text)
    run = template.instantiate(args={"oauthSecret": CLIENT_SECRET}, clock=FakeClock())
    assert take_measurement(run.metrics[0], FakeClock()).phase is Phase.SUCCESSFUL
    assert tokens.requests[0]["form"]["scope"] == "myFirstScope"
    assert CLIENT_SECRET not in repr(template.document)


@pytest.mark.parametrize("field", ["clientId", "clientSecret"])
def test_an_argo_template_missing_an_oauth2_field_is_refused_at_load(field: str) -> None:
    text = TEMPLATE.replace('"{{ args.oauthSecret }}"', "mySecret").replace(f"              {field}:", "#")
    with pytest.raises(SpecError) as caught:
        load_analysis_template(text.replace("PROMETHEUS", "http://p:9090").replace("TOKENS", "http://t"))
    where = "spec.metrics[0].provider.prometheus.authentication.oauth2"
    assert str(caught.value).endswith(f"{where}: missing mandatory parameter in metric for OAuth2 setup")


def test_a_secret_argument_substituted_empty_is_refused_when_the_metric_is_built() -> None:
    template = load_analysis_template(
        TEMPLATE.replace("PROMETHEUS", "http://p:9090").replace("TOKENS", "http://t")
    )
    with pytest.raises(SpecError, match=r"missing mandatory parameter in metric for OAuth2 setup$"):
        template.metrics({"oauthSecret": ""})


@pytest.mark.parametrize(
    "token_url", ["http://[::1", "ftp://idp.test/token", "http://idp.test:0/token", "idp"]
)
def test_a_token_url_that_is_not_an_http_url_is_a_spec_error(token_url: str) -> None:
    """A URL `urlsplit` itself refuses (a bad IPv6 literal) is a SpecError too, never a bare ValueError."""
    with pytest.raises(SpecError, match="oauth2 tokenUrl must be an http"):
        OAuth2(token_url=token_url, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)

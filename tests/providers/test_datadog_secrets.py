"""The Datadog keys never appear in a repr, a message, a measurement or a log line."""

from __future__ import annotations

import json
import logging
import re
import traceback
from urllib.parse import quote

import pytest
from datadog_support import (
    API_KEY,
    APP_KEY,
    NOW,
    argo_metric,
    cluster,
    datadog,
    key_secret,
    kube,
    template_text,
)

from canarykit.analysis import AnalysisRun
from canarykit.errors import ProviderError, SpecError
from canarykit.kube.cluster import KubeCluster
from canarykit.providers.datadog import DatadogCredentials, DatadogProvider
from canarykit.testing import FakeClock
from canarykit.testing.datadog import DatadogServer
from canarykit.testing.kube import FakeKubeAPI

__all__ = ["cluster", "datadog", "kube"]  # fixtures

SHORT_API, SHORT_APP = "k9", "Zq"


def assert_no_key(text: str, *keys: str) -> None:
    for key in keys or (API_KEY, APP_KEY):
        assert key not in text, f"{key!r} leaked"


def test_reprs_show_no_key(datadog: DatadogServer) -> None:
    provider = DatadogProvider("q", api_key=API_KEY, app_key=APP_KEY, address=datadog.url)
    shown = [repr(provider), str(provider), repr(DatadogCredentials(API_KEY, APP_KEY, "https://x"))]
    assert_no_key("\n".join(shown))
    assert "address='http://127.0.0.1:" in repr(provider)


@pytest.mark.parametrize("status", [400, 401, 500])
def test_an_answer_echoing_the_keys_is_redacted(datadog: DatadogServer, status: int) -> None:
    """Argo quotes the whole body of a refused request; canarykit hides the keys in it, in every form."""
    echoed = json.dumps({"errors": [f"bad keys {API_KEY} / {quote(APP_KEY)} / {json.dumps(APP_KEY)}"]})
    datadog.answer(echoed, status)
    provider = DatadogProvider("q", api_key=API_KEY, app_key=APP_KEY, address=datadog.url)
    with pytest.raises(ProviderError) as caught:
        provider.measure(None, NOW)
    assert_no_key(str(caught.value))
    assert_no_key("".join(traceback.format_exception(caught.value)))
    assert "bad keys *** / *** / " in str(caught.value)


def test_short_keys_are_hidden_too() -> None:
    server = DatadogServer(SHORT_API, SHORT_APP).start()
    try:
        server.answer(f'{{"errors": ["key {SHORT_API} app {SHORT_APP}"]}}', 403)
        provider = DatadogProvider("q", api_key=SHORT_API, app_key=SHORT_APP, address=server.url)
        with pytest.raises(ProviderError) as caught:
            provider.measure(None, NOW)
    finally:
        server.stop()
    assert (
        str(caught.value)
        == 'received authentication error response code: 403 {"errors": ["key *** app ***"]}'
    )


def test_the_keys_are_sent_only_as_headers(datadog: DatadogServer) -> None:
    DatadogProvider("avg:cpu{*}", api_key=API_KEY, app_key=APP_KEY, address=datadog.url).measure(None, NOW)
    DatadogProvider("x", api_version="v2", api_key=API_KEY, app_key=APP_KEY, address=datadog.url).measure(
        None, NOW
    )
    for request in datadog.requests:
        assert_no_key(request.path + json.dumps(request.params) + json.dumps(request.body))
        assert (request.headers["DD-API-KEY"], request.headers["DD-APPLICATION-KEY"]) == (API_KEY, APP_KEY)
    assert datadog.problems == []


def test_wrong_keys_are_refused_by_the_server(datadog: DatadogServer) -> None:
    provider = DatadogProvider("q", api_key="wrong-api-key", app_key=APP_KEY, address=datadog.url)
    with pytest.raises(ProviderError, match=re.escape('403 {"errors":["Forbidden"]}')):
        provider.measure(None, NOW)
    assert datadog.problems == ["wrong or missing DD-API-KEY / DD-APPLICATION-KEY"]


def test_a_run_from_a_cluster_secret_logs_no_key(
    datadog: DatadogServer,
    kube: FakeKubeAPI,
    cluster: KubeCluster,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    for name in ("DD_API_KEY", "DD_APP_KEY", "DD_ADDRESS", "DD_SITE"):
        monkeypatch.delenv(name, raising=False)
    key_secret(kube, "datadog", datadog.url)
    datadog.answer(f'{{"errors": ["{API_KEY}"]}}', 400)
    caplog.set_level(logging.DEBUG)
    metric = argo_metric(template_text({"query": "q", "apiVersion": "v2"}, success="result < 1"), cluster)
    result = AnalysisRun([metric], clock=FakeClock(NOW)).run(duration="1h")
    assert result.phase == "Error"
    measurements = result.metrics[0].measurements
    assert measurements and all(m.message.endswith('{"errors": ["***"]}') for m in measurements)
    assert_no_key(caplog.text + repr(metric) + json.dumps(result.to_dict()))


def test_spec_errors_show_no_key() -> None:
    with pytest.raises(SpecError) as caught:
        DatadogProvider("q", api_key=API_KEY, app_key=APP_KEY, address=f"ftp://{API_KEY}:{APP_KEY}@dd")
    assert_no_key(str(caught.value))

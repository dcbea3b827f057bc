"""Authentication settings of Argo's Prometheus and web providers through canarykit's loader, with
Argo's rules and messages (NewPrometheusAPI, NewWebMetricHttpClient), checked before anything runs."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from canarykit.argo import load_analysis_template
from canarykit.errors import SpecError, UnsupportedFeature
from canarykit.providers import PrometheusProvider, WebProvider


def template(kind: str, authentication: dict[str, Any]) -> str:
    provider: dict[str, Any] = {"query": "up", "address": "http://127.0.0.1:9090"}
    if kind == "web":
        provider = {"url": "http://127.0.0.1:8080/metrics"}
    metric = {
        "name": "m",
        "successCondition": "true",
        "provider": {kind: {**provider, "authentication": authentication}},
    }
    document = {"apiVersion": "argoproj.io/v1alpha1", "kind": "AnalysisTemplate", "metadata": {"name": "t"}}
    return yaml.safe_dump({**document, "spec": {"metrics": [metric]}})


@pytest.mark.parametrize(
    ("basic", "message"),
    [
        ({"password": "mypassword"}, "missing mandatory parameter in metric for basic auth setup: username"),
        ({"username": "myuser"}, "missing mandatory parameter in metric for basic auth setup: password"),
    ],
    ids=["TestNewPrometheusAPIMissingBasicAuthUsername", "TestNewPrometheusAPIMissingBasicAuthPassword"],
)
def test_incomplete_basic_auth_is_refused_at_load(basic: dict[str, str], message: str) -> None:
    with pytest.raises(SpecError) as caught:
        load_analysis_template(template("prometheus", {"basicAuth": basic}))
    assert str(caught.value).endswith(
        f"spec.metrics[0].provider.prometheus.authentication.basicAuth: {message}"
    )


@pytest.mark.parametrize("kind", ["prometheus", "web"])
@pytest.mark.parametrize(
    "authentication",
    [{"basicAuth": {}}, {"oauth2": {}}, {"oauth2": {"clientId": "id", "clientSecret": "s"}}],
    ids=["empty-basic-auth", "empty-oauth2", "oauth2-without-token-url"],
)
def test_settings_argo_ignores_are_ignored(kind: str, authentication: dict[str, Any]) -> None:
    [metric] = load_analysis_template(template(kind, authentication)).metrics()
    assert isinstance(metric.provider, PrometheusProvider | WebProvider)
    assert "auth=None" in repr(metric.provider) or kind == "web"


@pytest.mark.parametrize("kind", ["prometheus", "web"])
def test_sigv4_is_still_refused(kind: str) -> None:
    with pytest.raises(UnsupportedFeature) as caught:
        load_analysis_template(template(kind, {"sigv4": {"region": "eu-west-1"}}))
    assert str(caught.value).endswith(
        f"spec.metrics[0].provider.{kind}.authentication.sigv4: sigv4 authentication is not supported"
    )


def test_oauth2_and_basic_auth_together_are_refused_where_argo_lets_oauth2_win() -> None:
    both = {
        "basicAuth": {"username": "u", "password": "p"},
        "oauth2": {"tokenUrl": "http://t", "clientId": "i", "clientSecret": "s"},
    }
    with pytest.raises(SpecError, match="set only one of bearer_token, basic_auth, oauth2"):
        load_analysis_template(template("prometheus", both)).metrics()


def test_the_client_secret_is_not_in_the_models_repr() -> None:
    oauth2 = {"tokenUrl": "http://t", "clientId": "i", "clientSecret": "hunter2-secret"}
    loaded = load_analysis_template(template("web", {"oauth2": oauth2}))
    assert "hunter2-secret" not in repr(loaded.document)

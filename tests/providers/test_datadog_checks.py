"""Argo's `TestValidateIncomingProps`, `TestDatadogSpecDefaults`, `TestFindCredentials` and the secret
finder's `TestRunSuit` (datadog_test.go, finders_test.go), with canarykit's own rules for keys."""

from __future__ import annotations

from typing import Any

import pytest
from datadog_support import (
    API_KEY,
    APP_KEY,
    cluster,
    key_secret,
    kube,
    no_dd_environment,
    put_secret,
    template_text,
)
from pydantic import ValidationError

from canarykit.argo import load_analysis_template
from canarykit.argo.datadog_models import DatadogMetric, SecretRef, find_credentials, secret_credentials
from canarykit.errors import KubernetesError, SpecError
from canarykit.kube.cluster import KubeCluster
from canarykit.providers.datadog import DatadogProvider
from canarykit.providers.datadog_checks import DEFAULT_ADDRESS
from canarykit.testing.kube import FakeKubeAPI

__all__ = ["cluster", "kube", "no_dd_environment"]  # fixtures

A_QUERY = {"a": "sum:api_gateway.request.count{*}.as_count()"}
TWO_QUERIES = {**A_QUERY, "b": "fish bike"}

# (Go test name, the DatadogMetric's fields, the expected message or "" when valid)
VALIDATE_INCOMING_PROPS: list[tuple[str, dict[str, Any], str]] = [
    ("query and queries missing", {"apiVersion": "v1"}, "Must have either a query or queries"),
    ("both query and queries", {"apiVersion": "v1", "query": "foo", "queries": A_QUERY},
     "Cannot have both a query and queries"),
    ("queries with v1 api", {"apiVersion": "v1", "queries": A_QUERY},
     "Query is empty. API Version v1 only supports using the query parameter in your Analysis Template."),
    ("formula/queries with wrong apiVersion", {"apiVersion": "v1", "queries": A_QUERY, "formula": "a"},
     "Query is empty. API Version v1 only supports using the query parameter in your Analysis Template."),
    ("formula without queries", {"apiVersion": "v1", "formula": "foo / bar", "query": "foo"},
     "Formula are only valid when queries are set"),
    ("v1 query with aggregator", {"apiVersion": "v1", "query": "foo", "aggregator": "sum"},
     "Aggregator is not supported in v1. Please review the Analysis Template."),
    ("More than 1 queries with no formula", {"apiVersion": "v2", "queries": TWO_QUERIES},
     "When multiple queries are provided you must include a formula."),
    ("valid simple query with v2", {"apiVersion": "v2", "query": "foo"}, ""),
    ("valid queries with v2", {"apiVersion": "v2", "queries": TWO_QUERIES, "formula": "a + b"}, ""),
    ("valid queries with v2 and an aggregator",
     {"apiVersion": "v2", "queries": TWO_QUERIES, "formula": "a + b", "aggregator": "avg"}, ""),
    ("invalid request timeout string",
     {"apiVersion": "v2", "query": "foo", "requestTimeout": "not-a-duration"},
     "Could not parse the request timeout"),
    ("zero request timeout", {"apiVersion": "v2", "query": "foo", "requestTimeout": "0s"},
     "Request timeout must be a positive duration"),
    ("negative request timeout", {"apiVersion": "v2", "query": "foo", "requestTimeout": "-5s"},
     "Request timeout must be a positive duration"),
    ("valid request timeout", {"apiVersion": "v2", "query": "foo", "requestTimeout": "30s"}, ""),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "fields", "message"), VALIDATE_INCOMING_PROPS, ids=[c[0] for c in VALIDATE_INCOMING_PROPS]
)
def test_validate_incoming_props_at_load(name: str, fields: dict[str, Any], message: str) -> None:
    """TestValidateIncomingProps: Argo refuses these when a measurement starts; canarykit at load()."""
    text = template_text(fields)
    if not message:
        assert load_analysis_template(text).spec.metrics[0].provider.datadog is not None
        return
    with pytest.raises(SpecError) as refused:
        load_analysis_template(text)
    assert message in str(refused.value)
    assert "spec.metrics[0].provider.datadog" in str(refused.value)


@pytest.mark.parametrize(
    ("name", "fields", "message"),
    [case for case in VALIDATE_INCOMING_PROPS if "requestTimeout" not in case[1]],
    ids=[case[0] for case in VALIDATE_INCOMING_PROPS if "requestTimeout" not in case[1]],
)
def test_validate_incoming_props_in_python(name: str, fields: dict[str, Any], message: str) -> None:
    """The same rules, with the same words, for a `DatadogProvider` built in Python."""
    arguments = {
        "query": fields.get("query"),
        "queries": fields.get("queries"),
        "formula": fields.get("formula"),
        "api_version": fields["apiVersion"],
        "aggregator": fields.get("aggregator"),
    }
    if not message:
        assert DatadogProvider(**arguments, api_key="k", app_key="a").api_version == fields["apiVersion"]
        return
    with pytest.raises(SpecError, match=message.replace(".", r"\.")):
        DatadogProvider(**arguments, api_key="k", app_key="a")


def test_datadog_spec_defaults() -> None:
    """TestDatadogSpecDefaults: the CRD's defaults and enums (apiVersion v1, 5m, 10s, nine aggregators)."""
    spec = DatadogMetric(query="q")
    assert (spec.api_version, spec.interval, spec.request_timeout, spec.aggregator) == (
        "v1",
        "5m",
        "10s",
        None,
    )
    for version in ("v1", "v2"):
        assert DatadogMetric(query="q", api_version="v2" if version == "v2" else "v1").api_version == version
    with pytest.raises(ValidationError, match='Unsupported value: "v3": supported values: "v1", "v2"'):
        DatadogMetric(query="q", api_version="v3")
    aggregators = ["avg", "min", "max", "sum", "last", "percentile", "mean", "l2norm", "area"]
    for aggregator in aggregators:
        assert DatadogMetric(query="q", api_version="v2", aggregator=aggregator).aggregator == aggregator
    with pytest.raises(ValidationError) as refused:
        DatadogMetric(query="q", api_version="v2", aggregator="median")
    assert ", ".join(f'"{name}"' for name in aggregators) in str(refused.value)


@pytest.mark.usefixtures("no_dd_environment")
def test_find_credentials_secret_ref_found(kube: FakeKubeAPI, cluster: KubeCluster) -> None:
    """TestFindCredentials: when secretRef is set and secret found, should success."""
    key_secret(kube, "datadog", "datadog.com")
    found = find_credentials(SecretRef(name="datadog", namespaced=True), cluster)
    assert (found.api_key, found.app_key, found.address) == (API_KEY, APP_KEY, "datadog.com")


@pytest.mark.usefixtures("no_dd_environment")
def test_find_credentials_secret_ref_without_address(kube: FakeKubeAPI, cluster: KubeCluster) -> None:
    """TestFindCredentials: when secretRef without address is set and secret found, should success."""
    put_secret(kube, "datadog", {"api-key": "apiKey", "app-key": "appKey"})
    found = find_credentials(SecretRef(name="datadog", namespaced=True), cluster)
    assert (found.api_key, found.app_key, found.address) == ("apiKey", "appKey", "")


@pytest.mark.usefixtures("no_dd_environment")
@pytest.mark.parametrize("secret", [None, {}], ids=["secret not found", "secret without data"])
def test_find_credentials_secret_ref_not_usable(
    kube: FakeKubeAPI, cluster: KubeCluster, monkeypatch: pytest.MonkeyPatch, secret: dict[str, str] | None
) -> None:
    """TestFindCredentials: when secretRef is set but secret not found, should fail (the environment is not
    read for a named Secret, as in Argo)."""
    if secret is not None:
        put_secret(kube, "datadog", secret)
    monkeypatch.setenv("DD_API_KEY", "from-env")
    monkeypatch.setenv("DD_APP_KEY", "from-env")
    with pytest.raises(SpecError, match="failed to find the credentials for datadog metrics provider"):
        find_credentials(SecretRef(name="datadog", namespaced=True), cluster)


def test_find_credentials_namespaced_without_name() -> None:
    """TestFindCredentials: when secretRef name is not set but namespaced is true, should fail (at load)."""
    with pytest.raises(ValidationError, match="secret name is required for namespaced credentials"):
        DatadogMetric(query="q", secret_ref=SecretRef(namespaced=True))


def test_secret_finder_valid_secret(kube: FakeKubeAPI, cluster: KubeCluster) -> None:
    """finders_test TestRunSuit: When secret valid, should be successful."""
    put_secret(kube, "datadog", {"address": "datadog.com", "api-key": "apiKey", "app-key": "appKey"})
    found = secret_credentials(cluster, "datadog")
    assert found is not None and (found.api_key, found.app_key, found.address) == (
        "apiKey",
        "appKey",
        "datadog.com",
    )


def test_secret_finder_found_without_data(kube: FakeKubeAPI, cluster: KubeCluster) -> None:
    """finders_test TestRunSuit: When secret is found but no data, should return empty values."""
    put_secret(kube, "datadog", {})
    assert secret_credentials(cluster, "datadog") is None


def test_secret_finder_not_found(cluster: KubeCluster) -> None:
    """finders_test TestRunSuit: When secret not found, should return empty values."""
    assert secret_credentials(cluster, "datadog") is None


def test_secret_finder_api_error_is_reported(kube: FakeKubeAPI, cluster: KubeCluster) -> None:
    """Argo logs an API error at debug level and looks elsewhere; canarykit says why the Secret is unread."""
    kube.fail_next(status=500, method="GET", path="secrets")
    with pytest.raises(KubernetesError):
        secret_credentials(cluster, "datadog")


@pytest.mark.usefixtures("no_dd_environment")
def test_environment_comes_before_the_default_secret(
    kube: FakeKubeAPI, cluster: KubeCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    key_secret(kube, "datadog", "https://secret.example")
    monkeypatch.setenv("DD_API_KEY", "env-api")
    monkeypatch.setenv("DD_APP_KEY", "env-app")
    assert find_credentials(SecretRef(), cluster).api_key == "env-api"
    monkeypatch.delenv("DD_APP_KEY")
    assert find_credentials(SecretRef(), cluster).address == "https://secret.example"


@pytest.mark.usefixtures("no_dd_environment")
def test_without_a_cluster_only_the_environment_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SpecError, match="set DD_API_KEY and DD_APP_KEY, or pass cluster="):
        find_credentials(SecretRef(name="mysecret", namespaced=True), None)
    monkeypatch.setenv("DD_API_KEY", "env-api")
    monkeypatch.setenv("DD_APP_KEY", "env-app")
    assert find_credentials(SecretRef(name="mysecret", namespaced=True), None).app_key == "env-app"


@pytest.mark.parametrize(
    ("arguments", "environment", "address"),
    [
        ({}, {}, DEFAULT_ADDRESS),
        ({"site": "datadoghq.eu"}, {"DD_ADDRESS": "https://proxy.example"}, "https://api.datadoghq.eu"),
        ({"address": "https://dd.example/"}, {"DD_SITE": "us5.datadoghq.com"}, "https://dd.example"),
        ({}, {"DD_ADDRESS": "https://proxy.example", "DD_SITE": "datadoghq.eu"}, "https://proxy.example"),
        ({}, {"DD_SITE": "us3.datadoghq.com"}, "https://api.us3.datadoghq.com"),
    ],
)
def test_the_address_comes_from_arguments_then_the_environment(
    arguments: dict[str, Any], environment: dict[str, str], address: str
) -> None:
    provider = DatadogProvider("q", api_key="k", app_key="a", environ=environment, **arguments)
    assert provider.address == address


@pytest.mark.parametrize(
    ("arguments", "environment", "message"),
    [
        ({"api_key": "k"}, {}, "give both api_key and app_key"),
        ({"api_key": "", "app_key": ""}, {}, "must not be empty"),
        ({}, {"DD_API_KEY": "k"}, "failed to find the credentials for datadog metrics provider"),
        ({"api_key": "k", "app_key": "a", "site": "x", "address": "https://y"}, {}, "not both"),
        ({"api_key": "k", "app_key": "a", "address": "datadog.com"}, {}, "an http(s) URL with a host"),
        ({"api_key": "k", "app_key": "a", "site": "https://x/"}, {}, "a host name such as datadoghq.eu"),
        ({"api_key": "k", "app_key": "a", "interval": "-5m"}, {}, "duration must be >= 0"),
    ],
)
def test_bad_keys_or_address_are_refused(
    arguments: dict[str, Any], environment: dict[str, str], message: str
) -> None:
    with pytest.raises(SpecError) as refused:
        DatadogProvider("q", environ=environment, **arguments)
    assert message in str(refused.value)

"""Building metric providers from Argo provider specs."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import TypeVar

from pydantic import BaseModel

from canarykit.argo.cluster import ClusterAccess
from canarykit.argo.datadog_models import datadog_provider
from canarykit.argo.job_models import JobMetric
from canarykit.argo.models import Authentication, Header, PrometheusSpec, ProviderSpec, WebSpec
from canarykit.argo.models import RangeQuery as RangeQuerySpec
from canarykit.errors import SpecError, UnsupportedFeature
from canarykit.providers import MetricProvider, PrometheusProvider, WebProvider
from canarykit.providers.base import PrometheusOverride
from canarykit.providers.credentials import check_basic
from canarykit.providers.oauth2 import OAuth2
from canarykit.providers.range_query import RangeQuery

ADDRESS_ENV = "ARGO_ROLLOUTS_PROMETHEUS_ADDRESS"
DEFAULT_PROMETHEUS_TIMEOUT = 30.0
DEFAULT_WEB_TIMEOUT = 10.0
_T = TypeVar("_T")


def build_provider(
    spec: ProviderSpec,
    prometheus: PrometheusOverride = None,
    cluster: ClusterAccess | None = None,
    metric_name: str = "",
) -> MetricProvider:
    """The provider a metric names; `prometheus` (a URL or a provider) replaces the spec's address.

    `cluster` runs the job provider's Jobs; `metric_name` names them.
    """
    if spec.prometheus is not None:
        if prometheus is not None and not isinstance(prometheus, str):
            range_query = _range_query(spec.prometheus.range_query)
            if range_query is not None and isinstance(prometheus, PrometheusProvider):
                return prometheus.with_range_query(range_query)  # the template's window, the caller's server
            return prometheus
        return _prometheus(spec.prometheus, prometheus)
    if spec.web is not None:
        return _web(spec.web)
    if spec.job is not None:
        return _job(spec.job, cluster, metric_name)
    if spec.datadog is not None:
        return datadog_provider(spec.datadog, cluster)
    raise SpecError("no provider specified")


def _prometheus(spec: PrometheusSpec, address: str | None) -> PrometheusProvider:
    address = address or spec.address or os.environ.get(ADDRESS_ENV, "")
    if not address:
        raise SpecError("prometheus address is not configured")
    timeout = float(spec.timeout) if spec.timeout else DEFAULT_PROMETHEUS_TIMEOUT
    return PrometheusProvider(
        address,
        timeout=timeout,
        headers=_headers(spec.headers),
        basic_auth=_basic_auth(spec.authentication),
        verify=not spec.insecure,
        range_query=_range_query(spec.range_query),
        oauth2=_oauth2(spec.authentication),
    )


def _web(spec: WebSpec) -> WebProvider:
    timeout = float(spec.timeout_seconds) if spec.timeout_seconds else DEFAULT_WEB_TIMEOUT
    return WebProvider(
        spec.url,
        method=spec.method,
        headers=_headers(spec.headers),
        body=spec.body,
        json_body=spec.json_body,
        timeout=timeout,
        json_path=spec.json_path,
        verify=not spec.insecure,
        oauth2=_oauth2(spec.authentication),
    )


def _headers(headers: tuple[Header, ...]) -> dict[str, str] | None:
    return {header.key: header.value for header in headers} or None


def _basic_auth(authentication: Authentication | None) -> tuple[str, str] | None:
    """Argo's rule: basic auth when a username or a password is set (then both are required)."""
    if authentication is None or authentication.basic_auth is None:
        return None
    basic = authentication.basic_auth
    return (basic.username, basic.password) if basic.username or basic.password else None


def _oauth2(authentication: Authentication | None) -> OAuth2 | None:
    """Argo's rule: OAuth2 when `tokenUrl` is set (then `clientId` and `clientSecret` are required)."""
    config = authentication.oauth2 if authentication is not None else None
    if config is None or not config.token_url:
        return None
    return OAuth2(config.token_url, config.client_id, config.client_secret, config.scopes)


def _range_query(spec: RangeQuerySpec | None) -> RangeQuery | None:
    return None if spec is None else RangeQuery(spec.start, spec.end, spec.step)


def check_provider_settings(provider: ProviderSpec, path: str) -> None:
    """At load, the OAuth2, basic-auth and rangeQuery settings written without `{{...}}` placeholders
    (settings with placeholders are checked once substituted, when the metric is built)."""
    for kind, spec in (("prometheus", provider.prometheus), ("web", provider.web)):
        if spec is None:
            continue
        where = f"{path}.provider.{kind}"
        auth = spec.authentication
        if auth is not None and _literal(auth.oauth2):
            _at_path(_oauth2, auth, f"{where}.authentication.oauth2")
        if auth is not None and _literal(auth.basic_auth):
            _at_path(_checked_basic_auth, auth, f"{where}.authentication.basicAuth")
        if isinstance(spec, PrometheusSpec) and _literal(spec.range_query):
            _at_path(_range_query, spec.range_query, f"{where}.rangeQuery")


def _literal(part: BaseModel | None) -> bool:
    """A setting that is present and has no `{{...}}` placeholder."""
    return part is not None and "{{" not in json.dumps(part.model_dump())


def _checked_basic_auth(auth: Authentication | None) -> None:
    basic = _basic_auth(auth)
    if basic is not None:
        check_basic(basic)


def _at_path(check: Callable[[_T], object], argument: _T, path: str) -> None:
    """`check(argument)`, its `SpecError` placed at `path`."""
    try:
        check(argument)
    except SpecError as error:
        raise SpecError(error.reason, path) from None


def _job(spec: JobMetric, cluster: ClusterAccess | None, metric_name: str) -> MetricProvider:
    """Argo's job provider: a `batch/v1` Job per measurement, in `cluster`."""
    if cluster is None:
        raise UnsupportedFeature(
            "the job provider needs a Kubernetes cluster: "
            "load(..., cluster=canarykit.kube.KubeCluster(api, namespace)), or use "
            "canarykit.providers.command.CommandProvider to run a local command"
        )
    return cluster.job_provider(metric_name, spec.as_dict())

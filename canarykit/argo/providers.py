"""Building metric providers from Argo provider specs."""

from __future__ import annotations

import os

from canarykit.argo.models import Authentication, Header, PrometheusSpec, ProviderSpec, WebSpec
from canarykit.errors import SpecError
from canarykit.providers import MetricProvider, PrometheusProvider, WebProvider
from canarykit.providers.base import PrometheusOverride

ADDRESS_ENV = "ARGO_ROLLOUTS_PROMETHEUS_ADDRESS"
DEFAULT_PROMETHEUS_TIMEOUT = 30.0
DEFAULT_WEB_TIMEOUT = 10.0


def build_provider(spec: ProviderSpec, prometheus: PrometheusOverride = None) -> MetricProvider:
    """The provider a metric names; `prometheus` (a URL or a provider) replaces the spec's address."""
    if spec.prometheus is not None:
        if prometheus is not None and not isinstance(prometheus, str):
            return prometheus
        return _prometheus(spec.prometheus, prometheus)
    if spec.web is not None:
        return _web(spec.web)
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
    )


def _headers(headers: tuple[Header, ...]) -> dict[str, str] | None:
    return {header.key: header.value for header in headers} or None


def _basic_auth(authentication: Authentication | None) -> tuple[str, str] | None:
    if authentication is None or authentication.basic_auth is None:
        return None
    basic = authentication.basic_auth
    return (basic.username, basic.password)

"""A Datadog metric (`provider.datadog`) as Argo's CRD defines it, checked at load, and its provider built.

Argo checks these fields when a measurement starts (an Error measurement); canarykit refuses them when the
YAML is loaded, with Argo's messages. The keys come from the environment (`DD_API_KEY`, `DD_APP_KEY`) and,
with a cluster, from a Secret (`secretRef.name`, or "datadog"), keys `api-key`, `app-key` and `address`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from canarykit.argo.cluster import ClusterAccess
from canarykit.durations import go_reason, parse_duration
from canarykit.errors import ArgumentError, DurationError, SpecError
from canarykit.providers.datadog import DatadogProvider
from canarykit.providers.datadog_checks import (
    AGGREGATORS,
    API_VERSIONS,
    NO_CREDENTIALS,
    DatadogCredentials,
    check_choice,
    check_queries,
)

DEFAULT_SECRET = "datadog"
_REVIEW = "Please review the Analysis Template."
_TAG = "{{"
_T = TypeVar("_T")


class _Strict(BaseModel):
    """Unknown fields are errors; camelCase in YAML, snake_case in Python."""

    model_config = ConfigDict(extra="forbid", frozen=True, alias_generator=to_camel, populate_by_name=True)


class SecretRef(_Strict):
    """The Secret holding the keys; `namespaced` (the analysis' namespace) needs a `name`."""

    name: str = ""
    namespaced: bool = False


class DatadogMetric(_Strict):
    """Argo's `DatadogMetric`, with the CRD's defaults (v1, a 5m window, a 10s request timeout)."""

    interval: str = "5m"
    query: str = ""
    queries: dict[str, str] = Field(default_factory=dict)
    formula: str = ""
    api_version: str = "v1"
    aggregator: str | None = None
    secret_ref: SecretRef = SecretRef()
    request_timeout: str = "10s"

    @field_validator("api_version")
    @classmethod
    def _known_version(cls, value: str) -> str:
        return _checked(lambda: check_choice(value, API_VERSIONS, ""))

    @field_validator("aggregator")
    @classmethod
    def _known_aggregator(cls, value: str | None) -> str | None:
        return None if value is None else _checked(lambda: check_choice(value, AGGREGATORS, ""))

    @field_validator("interval")
    @classmethod
    def _interval(cls, value: str) -> str:
        if _TAG not in value:
            _checked(lambda: parse_duration(value))
        return value

    @field_validator("request_timeout")
    @classmethod
    def _request_timeout(cls, value: str) -> str:
        if _TAG not in value:
            _checked(lambda: request_timeout_seconds(value))
        return value

    @model_validator(mode="after")
    def _argo_checks(self) -> DatadogMetric:
        """Argo's `validateIncomingProps` and `findCredentials` checks that need no cluster."""
        aggregator = self.aggregator or ""
        _checked(lambda: check_queries(self.query, self.queries, self.formula, self.api_version, aggregator))
        if self.secret_ref.namespaced and not self.secret_ref.name:
            _checked(lambda: _refuse("secret name is required for namespaced credentials"))
        return self


def request_timeout_seconds(text: str) -> float:
    """`requestTimeout` in seconds; Argo's messages when it is not a duration or not positive."""
    try:
        seconds = parse_duration(text)
    except DurationError as error:
        if not go_reason(error).startswith("duration must be >= 0"):
            raise SpecError(f"Could not parse the request timeout: {go_reason(error)}. {_REVIEW}") from None
        seconds = -1.0
    if seconds <= 0:
        raise SpecError(f"Request timeout must be a positive duration (e.g. 30s). {_REVIEW}")
    return seconds


def datadog_provider(
    spec: DatadogMetric, cluster: ClusterAccess | None, environ: Mapping[str, str] | None = None
) -> DatadogProvider:
    """The provider of a Datadog metric, its keys found as Argo finds them (`find_credentials`)."""
    credentials = find_credentials(spec.secret_ref, cluster, environ)
    return DatadogProvider(
        spec.query or None,
        queries=spec.queries or None,
        formula=spec.formula or None,
        api_version=spec.api_version,
        aggregator=spec.aggregator,
        interval=spec.interval,
        timeout=request_timeout_seconds(spec.request_timeout),
        api_key=credentials.api_key,
        app_key=credentials.app_key,
        address=credentials.address or None,
        environ=environ,
    )


def find_credentials(
    secret_ref: SecretRef, cluster: ClusterAccess | None, environ: Mapping[str, str] | None = None
) -> DatadogCredentials:
    """Argo's order: the named Secret alone; else the environment, then Secret "datadog".

    Every Secret is read in the cluster's namespace. Without a cluster only the environment is read.
    """
    if secret_ref.name and cluster is not None:
        found = secret_credentials(cluster, secret_ref.name)
    else:
        found = DatadogCredentials.from_environment(environ)
        if found is None and cluster is not None:
            found = secret_credentials(cluster, DEFAULT_SECRET)
    if found is None:
        raise SpecError(f"{NO_CREDENTIALS}: {_where_to_look(secret_ref, cluster)}")
    return found


def secret_credentials(cluster: ClusterAccess, name: str) -> DatadogCredentials | None:
    """Keys `api-key` and `app-key` (both, or None) and `address` (optional) of Secret `name`."""
    try:
        api_key, app_key = cluster.read_secret(name, "api-key"), cluster.read_secret(name, "app-key")
    except ArgumentError:  # no such Secret, or no such key: this source has no credentials
        return None
    if not (api_key and app_key):
        return None
    try:
        address = cluster.read_secret(name, "address")
    except ArgumentError:
        address = ""
    return DatadogCredentials(api_key, app_key, address)


def _where_to_look(secret_ref: SecretRef, cluster: ClusterAccess | None) -> str:
    if cluster is None:
        return (
            "set DD_API_KEY and DD_APP_KEY, or pass cluster=canarykit.kube.KubeCluster(api, namespace) "
            f'to load() to read Secret "{secret_ref.name or DEFAULT_SECRET}"'
        )
    if secret_ref.name:
        return f'Secret "{secret_ref.name}" in namespace "{cluster.namespace}" needs keys api-key and app-key'
    return (
        f'set DD_API_KEY and DD_APP_KEY, or give Secret "{DEFAULT_SECRET}" in namespace '
        f'"{cluster.namespace}" keys api-key and app-key'
    )


def _refuse(reason: str) -> None:
    raise SpecError(reason)


def _checked(check: Callable[[], _T]) -> _T:
    """`check()`, its `SpecError` turned into a pydantic error carrying the same message."""
    try:
        return check()
    except SpecError as error:
        raise PydanticCustomError("datadog", "{reason}", {"reason": error.reason}) from None

"""Pydantic models of Argo's AnalysisTemplate YAML: unknown fields are errors; names are Argo's camelCase."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, PrivateAttr
from pydantic.alias_generators import to_camel

from canarykit.argo.datadog_models import DatadogMetric
from canarykit.argo.job_models import JobMetric

# Providers Argo knows and canarykit does not implement: naming one is an UnsupportedFeature, not a typo.
UNSUPPORTED_PROVIDERS = (
    "newRelic",
    "wavefront",
    "kayenta",
    "cloudWatch",
    "graphite",
    "influxdb",
    "skywalking",
    "plugin",
)


def snake_case(name: str) -> str:
    """`setCanaryScale` -> `set_canary_scale` (Argo's YAML name -> the model's attribute)."""
    return re.sub(r"([A-Z])", lambda match: "_" + match.group(1).lower(), name)


class ArgoModel(BaseModel):
    """Strict, immutable, camelCase in YAML and snake_case in Python."""

    model_config = ConfigDict(extra="forbid", frozen=True, alias_generator=to_camel, populate_by_name=True)


class Loose(BaseModel):
    """A part of the spec canarykit does not read, kept as given (metadata, unsupported providers)."""

    model_config = ConfigDict(extra="allow", frozen=True)


class SecretKeyRef(ArgoModel):
    name: str
    key: str


class FieldRef(ArgoModel):
    field_path: str


class ValueFrom(ArgoModel):
    secret_key_ref: SecretKeyRef | None = None
    field_ref: FieldRef | None = None
    pod_template_hash_value: str | None = None


class Argument(ArgoModel):
    name: str
    value: str | None = None
    value_from: ValueFrom | None = None


class Header(ArgoModel):
    """A request header; its value (a token, often) never appears in `repr()`."""

    key: str
    value: str = Field(repr=False)


class BasicAuth(ArgoModel):
    """Basic-auth credentials; the password never appears in `repr()`."""

    username: str = ""
    password: str = Field(default="", repr=False)


class HiddenUserinfo(ArgoModel):
    """`repr()` shows the `address`/`url` field without the password of its `user:password@` part."""

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        for name, value in super().__repr_args__():
            yield name, without_password(value) if name in ("address", "url") else value


def without_password(url: str) -> str:
    """`url` with the password of its `user:password@` part replaced by `***`."""
    scheme, separator, rest = url.partition("://")
    if not separator:
        scheme, rest = "", url
    end = min((index for index in map(rest.find, "/?#") if index >= 0), default=len(rest))
    userinfo, at, host = rest[:end].rpartition("@")
    if not at or ":" not in userinfo:
        return url
    return f"{scheme}{separator}{userinfo.split(':', 1)[0]}:***@{host}{rest[end:]}"


class OAuth2Config(ArgoModel):
    """OAuth2 client credentials (Argo's `authentication.oauth2`); the secret never appears in `repr()`."""

    token_url: str = ""
    client_id: str = ""
    client_secret: str = Field(default="", repr=False)
    scopes: tuple[str, ...] = ()


class Authentication(ArgoModel):
    basic_auth: BasicAuth | None = None
    oauth2: OAuth2Config | None = None
    sigv4: Loose | None = None


class RangeQuery(ArgoModel):
    start: str = ""
    end: str = ""
    step: str = ""


class PrometheusSpec(HiddenUserinfo):
    address: str = ""
    query: str = ""
    timeout: int | None = Field(default=None, ge=0)
    insecure: bool = False
    headers: tuple[Header, ...] = ()
    authentication: Authentication | None = None
    range_query: RangeQuery | None = None


class WebSpec(HiddenUserinfo):
    url: str
    method: str = "GET"
    headers: tuple[Header, ...] = ()
    body: str | None = None
    json_body: JsonValue = None
    timeout_seconds: int | None = Field(default=None, ge=0)
    json_path: str = "{$}"
    insecure: bool = False
    authentication: Authentication | None = None


class ProviderSpec(ArgoModel):
    prometheus: PrometheusSpec | None = None
    web: WebSpec | None = None
    job: JobMetric | None = None
    datadog: DatadogMetric | None = None
    new_relic: Loose | None = None
    wavefront: Loose | None = None
    kayenta: Loose | None = None
    cloud_watch: Loose | None = None
    graphite: Loose | None = None
    influxdb: Loose | None = None
    skywalking: Loose | None = None
    plugin: Loose | None = None


IntOrString = int | str


class MetricSpec(ArgoModel):
    name: str
    interval: str | None = None
    initial_delay: str | None = None
    count: IntOrString | None = None
    success_condition: str | None = None
    failure_condition: str | None = None
    failure_limit: IntOrString | None = None
    inconclusive_limit: IntOrString | None = None
    consecutive_error_limit: IntOrString | None = None
    consecutive_success_limit: IntOrString | None = None
    provider: ProviderSpec


class DryRun(ArgoModel):
    metric_name: str


class MeasurementRetention(ArgoModel):
    metric_name: str
    limit: int  # a limit <= 0 keeps the default (10), as in Argo


class TemplateRef(ArgoModel):
    """A reference to an (Cluster)AnalysisTemplate by name, in templates or in a Rollout's analysis."""

    template_name: str
    cluster_scope: bool = False


class AnalysisTemplateSpec(ArgoModel):
    metrics: tuple[MetricSpec, ...] = ()
    args: tuple[Argument, ...] = ()
    dry_run: tuple[DryRun, ...] = ()
    measurement_retention: tuple[MeasurementRetention, ...] = ()
    templates: tuple[TemplateRef, ...] = ()


class Metadata(Loose):
    name: str = ""
    namespace: str | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    annotations: dict[str, str] = Field(default_factory=dict)


class AnalysisTemplateDocument(ArgoModel):
    api_version: Literal["argoproj.io/v1alpha1"]
    kind: Literal["AnalysisTemplate", "ClusterAnalysisTemplate"]
    metadata: Metadata = Metadata()
    spec: AnalysisTemplateSpec
    _source: str = PrivateAttr(default="")  # the file it was read from, for messages (set by `validate`)

"""One measurement of a template metric against local servers, and its check against Argo's outcome."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from conformance_http import Request
from conformance_templates import load_template
from conformance_vectors import check_text

from canarykit.analysis import Measurement, Metric
from canarykit.testing import FakeClock


def fill(value: Any, **urls: str) -> Any:
    """`value` with `{name}` in every string replaced by `urls[name]` (the local servers' addresses)."""
    if isinstance(value, str):
        for name, url in urls.items():
            value = value.replace("{" + name + "}", url)
        return value
    if isinstance(value, Mapping):
        return {key: fill(item, **urls) for key, item in value.items()}
    if isinstance(value, list):
        return [fill(item, **urls) for item in value]
    return value


def built_metric(spec: Mapping[str, Any]) -> Metric:
    """The template metric `spec`, built as a run builds it (`SpecError` when refused)."""
    return load_template({"metrics": [{"name": "foo", **spec}]}).metrics()[0]


def measure_once(spec: Mapping[str, Any]) -> Measurement:
    """The first measurement of the template metric `spec`, on a fake clock."""
    run = load_template({"metrics": [{"name": "foo", **spec}]}).instantiate(clock=FakeClock())
    run.advance()
    return run.result().metrics[0].measurements[0]


def check_measurement(measurement: Measurement, expect: Mapping[str, Any]) -> None:
    """Phase, value, message and metadata as Argo's test asserts them."""
    if "phase" in expect:
        shown = f"{measurement.phase.value} ({measurement.message or measurement.value})"
        assert measurement.phase.value == expect["phase"], shown
    if "value" in expect:
        assert measurement.value == expect["value"]
    check_text(measurement.message, dict(expect))
    for key, text in expect.get("metadata", {}).items():
        assert measurement.metadata.get(key) == text, f"metadata {key}: {dict(measurement.metadata)}"


def check_request(requests: list[Request], expect: Mapping[str, Any] | None) -> None:
    """The last request the server saw against what Argo's test asserted of it."""
    if not expect:
        return
    assert requests, "the server was never asked"
    request = requests[-1]
    if "path" in expect:
        assert request.path == expect["path"]
    if "method" in expect:
        assert request.method == expect["method"]
    for name, value in expect.get("params", {}).items():
        assert request.params.get(name) == [value], f"{name}: {request.params.get(name)}"
    if "body" in expect:
        assert request.body == expect["body"]
    if "json_body" in expect:
        assert json.loads(request.body) == expect["json_body"]
    if "content_type" in expect:
        assert request.headers.get("Content-Type") == expect["content_type"]

"""The ingress-nginx canary Ingress, built from the stable Ingress exactly as Argo Rollouts builds it.

Pure: API-shaped (camelCase) dicts in, a new dict out; the input is never mutated and nothing is shared
with it. Only `kubernetes.io/ingress.class`, `spec.tls`, `spec.ingressClassName` and the rules that use the
stable Service are carried over (labels, other annotations, defaultBackend and status are not).
Mirrors `rollout/trafficrouting/nginx/nginx.go` (`buildCanaryIngress`, `buildLegacyCanaryIngress`) and
`utils/ingress/ingress.go` (`GetCanaryIngressName`). The caller adds the Rollout ownerReference.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from canarykit.errors import SpecError

DEFAULT_ANNOTATION_PREFIX = "nginx.ingress.kubernetes.io"
INGRESS_CLASS_ANNOTATION = "kubernetes.io/ingress.class"
CANARY_SUFFIX = "-canary"
MAX_NAME_LENGTH = 253
DEFAULT_MAX_WEIGHT = 100
INGRESS_API_VERSION = "networking.k8s.io/v1"
LEGACY_API_VERSIONS = ("extensions/v1beta1", "networking.k8s.io/v1beta1")
_PREFIX_RE = re.compile(r"[a-z0-9]([-a-z0-9.]*[a-z0-9])?")


def canary_ingress_name(rollout_name: str, stable_ingress_name: str) -> str:
    """`<rollout>-<stable>-canary`, the `<rollout>-<stable>` part trimmed so the whole fits in 253 chars."""
    _text(rollout_name, "rollout_name")
    _text(stable_ingress_name, "stable_ingress_name")
    prefix = f"{rollout_name}-{stable_ingress_name}"[: MAX_NAME_LENGTH - len(CANARY_SUFFIX)]
    return prefix + CANARY_SUFFIX


def annotation_key(annotation_prefix: str, name: str) -> str:
    """`<prefix>/<name>`, after checking the prefix is a DNS subdomain (no `/`)."""
    if not isinstance(annotation_prefix, str) or len(annotation_prefix) > MAX_NAME_LENGTH:
        raise SpecError(f"invalid annotation prefix {annotation_prefix!r}", "annotationPrefix")
    if not _PREFIX_RE.fullmatch(annotation_prefix):
        raise SpecError(
            f"invalid annotation prefix {annotation_prefix!r}: must be a DNS subdomain", "annotationPrefix"
        )
    return f"{annotation_prefix}/{name}"


def canary_weight_annotations(
    annotation_prefix: str, weight: int, max_weight: int | None = None
) -> dict[str, str]:
    """`canary: "true"`, `canary-weight`, and `canary-weight-total` only when `max_weight` is set."""
    total = _check_weight(weight, max_weight)
    out = {
        annotation_key(annotation_prefix, "canary"): "true",
        annotation_key(annotation_prefix, "canary-weight"): str(weight),
    }
    if max_weight is not None:
        out[annotation_key(annotation_prefix, "canary-weight-total")] = str(total)
    return out


def build_canary_ingress(
    stable_ingress: Mapping[str, Any],
    rollout_name: str,
    stable_service: str,
    canary_service: str,
    weight: int,
    annotation_prefix: str = DEFAULT_ANNOTATION_PREFIX,
    additional_annotations: Mapping[str, str] | None = None,
    canary_annotations: Mapping[str, str] | None = None,
    max_weight: int | None = None,
) -> dict[str, Any]:
    """The desired canary Ingress: stable-service rules (re-pointed), TLS, class and canary annotations."""
    _text(stable_service, "stable_service")
    _text(canary_service, "canary_service")
    weights = canary_weight_annotations(annotation_prefix, weight, max_weight)
    # A private copy, edited in place: nothing in the result is shared with `stable_ingress`.
    ingress = _dict(_plain(stable_ingress), "stable ingress")
    meta = _dict(ingress.get("metadata"), "metadata")
    name = _text(meta.get("name"), "metadata.name")
    spec = _dict(ingress.get("spec", {}), "spec")
    rules = _list(spec.get("rules"), "spec.rules")
    rules = [
        rule
        for i, rule in enumerate(rules)
        if _repoint_rule(rule, f"spec.rules[{i}]", stable_service, canary_service)
    ]
    if not rules:
        raise SpecError(f"ingress `{name}` has no rules using service {stable_service} backend")
    metadata: dict[str, Any] = {"name": canary_ingress_name(rollout_name, name)}
    if meta.get("namespace"):
        metadata["namespace"] = meta["namespace"]
    annotations = _kept_annotations(meta)
    annotations.update(_extra_annotations(annotation_prefix, additional_annotations, canary_annotations))
    metadata["annotations"] = {**annotations, **weights}
    kept = {key: spec[key] for key in ("tls", "ingressClassName") if spec.get(key) is not None}
    return {
        "apiVersion": _api_version(ingress),
        "kind": "Ingress",
        "metadata": metadata,
        "spec": {"rules": rules, **kept},
    }


def _check_weight(weight: int, max_weight: int | None) -> int:
    """The weight total (`max_weight` or 100) after range-checking both."""
    if max_weight is not None and (not _is_int(max_weight) or max_weight < 1):
        raise SpecError(f"max weight must be a positive integer, got {max_weight!r}", "maxTrafficWeight")
    total = DEFAULT_MAX_WEIGHT if max_weight is None else max_weight
    if not _is_int(weight) or not 0 <= weight <= total:
        raise SpecError(f"canary weight must be an integer in 0..{total}, got {weight!r}", "weight")
    return total


def _repoint_rule(rule: Any, where: str, stable_service: str, canary_service: str) -> bool:
    """Re-points this (copied) rule's stable-service backends in place; True if it had one."""
    http = _dict(rule, where).get("http")
    if http is None:  # a host-only rule has no backends (Argo would dereference nil here)
        return False
    found = False
    for index, path in enumerate(_list(_dict(http, f"{where}.http").get("paths"), f"{where}.http.paths")):
        at = f"{where}.http.paths[{index}]"
        backend = _dict(_dict(path, at).get("backend") or {}, f"{at}.backend")
        found = _repoint_backend(backend, stable_service, canary_service) or found
    return found


def _repoint_backend(backend: dict[str, Any], stable_service: str, canary_service: str) -> bool:
    """Re-points one copied backend (v1 `service.name` or legacy `serviceName`); True if it matched."""
    service = backend.get("service")
    if isinstance(service, dict) and service.get("name") == stable_service:
        service["name"] = canary_service
        return True
    if service is None and backend.get("serviceName") == stable_service:
        backend["serviceName"] = canary_service
        return True
    return False


def _kept_annotations(meta: dict[str, Any]) -> dict[str, str]:
    """Only `kubernetes.io/ingress.class` survives from the stable Ingress's annotations."""
    value = _dict(meta.get("annotations") or {}, "metadata.annotations").get(INGRESS_CLASS_ANNOTATION)
    if value is None:
        return {}
    return {INGRESS_CLASS_ANNOTATION: _text(value, f"metadata.annotations[{INGRESS_CLASS_ANNOTATION}]", True)}


def _extra_annotations(
    prefix: str, additional: Mapping[str, str] | None, canary: Mapping[str, str] | None
) -> dict[str, str]:
    """additionalIngressAnnotations (prefixed unless already qualified), then canaryIngressAnnotations."""
    out: dict[str, str] = {}
    sources: dict[str, str] = {}
    for key, value in _dict(_plain(additional or {}), "additionalIngressAnnotations").items():
        full = _text(key, "additionalIngressAnnotations")
        if "/" not in key and not key.startswith(prefix):
            full = annotation_key(prefix, key)
        if full in sources:
            raise SpecError(
                f"keys {sources[full]!r} and {key!r} both name {full!r}", "additionalIngressAnnotations"
            )
        sources[full] = key
        out[full] = _text(value, f"additionalIngressAnnotations[{key}]", True)
    for key, value in _dict(_plain(canary or {}), "canaryIngressAnnotations").items():
        out[_text(key, "canaryIngressAnnotations")] = _text(value, f"canaryIngressAnnotations[{key}]", True)
    return out


def _api_version(stable_ingress: dict[str, Any]) -> str:
    """The stable Ingress's legacy apiVersion (Argo writes the canary in that mode), else networking/v1."""
    version = stable_ingress.get("apiVersion")
    return version if version in LEGACY_API_VERSIONS else INGRESS_API_VERSION


def _plain(value: Any) -> Any:
    """A deep copy made of plain dicts and lists, sharing nothing with `value`."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def _dict(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SpecError(f"expected a mapping, got {type(value).__name__}", where)
    return value


def _list(value: Any, where: str) -> list[Any]:
    if value is not None and not isinstance(value, list):
        raise SpecError(f"expected a list, got {type(value).__name__}", where)
    return value or []


def _text(value: Any, where: str, empty: bool = False) -> str:
    if not isinstance(value, str) or not (value or empty):
        raise SpecError(f"must be a {'' if empty else 'non-empty '}string, got {value!r}", where)
    return value


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)

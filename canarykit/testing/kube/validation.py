"""Admission: what a real API server checks before storing an object, refusing it with 422 Invalid.

Every object gets the API server's metadata checks (name syntax, label and annotation keys and values).
Custom resources with a shipped CRD schema (HTTPRoute, GRPCRoute: `crd_schemas.py`) get the CRD's defaults,
its structural schema (unknown fields refused) and its CEL rules. Built-in kinds get the official schema
from `kubernetes-validate` (strict). Argo Rollouts are not validated (no schema is shipped for them).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from canarykit.errors import MissingDependency
from canarykit.testing.kube.builtin_schemas import builtin_errors
from canarykit.testing.kube.cel_rules import rule_errors
from canarykit.testing.kube.crd_schemas import crd_schema
from canarykit.testing.kube.field_errors import FieldError, invalid_object
from canarykit.testing.kube.object_meta import metadata_errors
from canarykit.testing.kube.resources import KubeObject, ResourceType
from canarykit.testing.kube.structural import apply_defaults, schema_errors

EXTRA = "testing"
REQUIRED_MODULES = {
    "kubernetes_validate": "kubernetes-validate",
    "celpy": "cel-python",
    "jsonschema": "jsonschema",
}
UNVALIDATED = frozenset({"rollouts"})
"""Resources stored as given: Argo's Rollout CRD schema is not shipped."""


def require_validation_packages() -> None:
    """Raise `MissingDependency` naming the `testing` extra when a package validation needs is missing."""
    missing = [package for module, package in REQUIRED_MODULES.items() if not _importable(module)]
    if missing:
        raise MissingDependency(
            f"FakeKubeAPI(validate=True) needs {', '.join(missing)}: pip install 'canarykit[{EXTRA}]' "
            "(or turn validation off with FakeKubeAPI(validate=False))"
        )


def _importable(module: str) -> bool:
    """Whether `module` imports."""
    try:
        import_module(module)
    except ImportError:
        return False
    return True


class Admission:
    """Defaults and validation applied to every object the fake stores; `enabled=False` stores as given."""

    def __init__(self, enabled: bool = True) -> None:
        if enabled:
            require_validation_packages()
        self.enabled = enabled

    def default(self, resource: ResourceType, obj: KubeObject) -> None:
        """Apply a custom resource's CRD defaults to `obj` in place (as the server decodes a request body)."""
        document = crd_schema(resource.plural) if self.enabled else None
        if document is not None:
            crd_defaults(document["openAPIV3Schema"], obj)

    def admit(self, resource: ResourceType, obj: KubeObject) -> None:
        """Default `obj` (in place), then raise a 422 `ApiError` naming every problem, if it has any."""
        if not self.enabled or resource.plural in UNVALIDATED:
            return
        errors = metadata_errors(resource.kind, obj.get("metadata"))
        document = crd_schema(resource.plural)
        if document is not None:
            errors.extend(custom_resource_errors(document["openAPIV3Schema"], obj))
        else:
            errors.extend(builtin_errors(obj) or [])
        if errors:
            raise invalid_object(resource, str((obj.get("metadata") or {}).get("name", "")), errors)


def crd_defaults(schema: dict[str, Any], obj: KubeObject) -> None:
    """Apply a CRD schema's defaults (and drop its non-nullable nulls) everywhere but in `metadata`."""
    body = {key: value for key, value in obj.items() if key != "metadata"}
    apply_defaults(schema, body)
    obj.update(body)
    for key in [key for key in obj if key not in body and key != "metadata"]:
        del obj[key]


def custom_resource_errors(schema: dict[str, Any], obj: KubeObject) -> list[FieldError]:
    """Default `obj` (in place) by the CRD schema; its schema errors, then (if none) its CEL rule errors."""
    crd_defaults(schema, obj)
    body = {key: value for key, value in obj.items() if key != "metadata"}
    errors = schema_errors(schema, body)
    return errors or rule_errors(schema, body)

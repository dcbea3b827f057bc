"""The shape of a Rollout's pod template (`spec.template`), as the API server's PodTemplateSpec schema has it.

Only the parts canarykit and its Kubernetes binding read are checked: metadata labels and annotations map
strings to strings, and each container list holds mappings with a string `name`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from canarykit.errors import SpecError

CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")


def check_pod_template(template: Mapping[str, Any] | None, path: str = "spec.template") -> None:
    """Refuse a template whose metadata, spec or containers are not what Kubernetes would accept."""
    if template is None:
        return
    metadata = _mapping(template.get("metadata"), f"{path}.metadata")
    for field in ("labels", "annotations"):
        _string_map(metadata.get(field), f"{path}.metadata.{field}")
    spec = _mapping(template.get("spec"), f"{path}.spec")
    for field in CONTAINER_LISTS:
        _containers(spec.get(field), f"{path}.spec.{field}")


def _mapping(value: Any, path: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise SpecError(f"must be a mapping, got {_kind(value)}", path)
    return value


def _string_map(value: Any, path: str) -> None:
    for key, item in _mapping(value, path).items():
        if not isinstance(key, str) or not isinstance(item, str):
            raise SpecError(f"must map strings to strings, got {_kind(key)}: {_kind(item)}", path)


def _containers(value: Any, path: str) -> None:
    if value is None:
        return
    if not isinstance(value, list):
        raise SpecError(f"must be a list, got {_kind(value)}", path)
    for index, container in enumerate(value):
        name = _mapping(container, f"{path}[{index}]").get("name")
        if name is None:
            raise SpecError("Required value", f"{path}[{index}].name")
        if not isinstance(name, str):
            raise SpecError(f"must be a string, got {_kind(name)}", f"{path}[{index}].name")


def _kind(value: Any) -> str:
    """A YAML name for the type of `value` (never the value: it may be a secret)."""
    names = {str: "a string", bool: "a boolean", int: "an integer", float: "a number", list: "a list"}
    return (
        "null"
        if value is None
        else names.get(type(value), "a mapping" if isinstance(value, Mapping) else type(value).__name__)
    )

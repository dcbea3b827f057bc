"""The three PATCH flavours: RFC 7386 merge patch, a strategic-merge subset, and RFC 6902 JSON patch."""

from __future__ import annotations

import copy
from typing import Any

from canarykit.testing.kube.json_patch import PatchError, json_patch

__all__ = ["PATCH_TYPES", "PatchError", "apply_patch", "json_patch", "merge_patch", "strategic_merge_patch"]

MERGE_PATCH = "application/merge-patch+json"
STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json"
JSON_PATCH = "application/json-patch+json"
PATCH_TYPES = (MERGE_PATCH, STRATEGIC_MERGE_PATCH, JSON_PATCH)

# Lists merged element by element in a strategic merge patch, and the field(s) that identify an element
# (the first one present in the element is used: container ports have containerPort, Service ports port).
MERGE_KEYS: dict[str, tuple[str, ...]] = {
    "containers": ("name",),
    "initContainers": ("name",),
    "ephemeralContainers": ("name",),
    "env": ("name",),
    "volumes": ("name",),
    "volumeMounts": ("mountPath", "name"),
    "imagePullSecrets": ("name",),
    "ports": ("containerPort", "port"),
    "conditions": ("type",),
}


def apply_patch(content_type: str, target: Any, patch: Any) -> Any:
    """Apply `patch` of the given Content-Type to a copy of `target`; PatchError when it does not apply."""
    target = copy.deepcopy(target)
    if content_type == JSON_PATCH:
        return json_patch(target, patch)
    if not isinstance(patch, dict):
        raise PatchError(f"a {content_type} body must be a JSON object, got {type(patch).__name__}")
    if content_type == STRATEGIC_MERGE_PATCH:
        return strategic_merge_patch(target, patch)
    return merge_patch(target, patch)


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386: objects merge recursively, `null` deletes a key, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def strategic_merge_patch(target: Any, patch: Any) -> Any:
    """Like `merge_patch`, but lists named in MERGE_KEYS merge by key and `$patch` directives are honoured."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    if patch.get("$patch") == "replace":
        return _without_directives(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if key.startswith("$"):
            continue
        if value is None or (isinstance(value, dict) and value.get("$patch") == "delete"):
            result.pop(key, None)
        elif isinstance(value, list):
            result[key] = _patched_list(key, result.get(key), value)
        else:
            result[key] = strategic_merge_patch(result.get(key), value)
    return result


def _patched_list(field: str, current: Any, patch_items: list[Any]) -> list[Any]:
    """A list after a strategic merge: merged by key for MERGE_KEYS fields, otherwise replaced."""
    if any(item == {"$patch": "replace"} for item in patch_items):
        return [_without_directives(item) for item in patch_items if item != {"$patch": "replace"}]
    if field not in MERGE_KEYS or not isinstance(current, list):
        return [_without_directives(item) for item in patch_items if not _is_delete(item)]
    merged = list(current)
    for item in patch_items:
        _merge_list_item(merged, item, MERGE_KEYS[field])
    return merged


def _merge_list_item(merged: list[Any], item: Any, key_names: tuple[str, ...]) -> None:
    """Merge one patch element into `merged`: into the element with the same key, or appended."""
    key = next((name for name in key_names if isinstance(item, dict) and name in item), None)
    if key is None:
        merged.append(_without_directives(item))
        return
    index = next(
        (i for i, old in enumerate(merged) if isinstance(old, dict) and old.get(key) == item[key]), None
    )
    if _is_delete(item):
        if index is not None:
            del merged[index]
    elif index is None:
        merged.append(_without_directives(item))
    else:
        merged[index] = strategic_merge_patch(merged[index], item)


def _is_delete(item: Any) -> bool:
    """True for a list element carrying `$patch: delete`."""
    return isinstance(item, dict) and item.get("$patch") == "delete"


def _without_directives(value: Any) -> Any:
    """`value` with `$patch`/`$setElementOrder/...` keys and null fields removed, at every depth."""
    if isinstance(value, dict):
        return {
            k: _without_directives(v) for k, v in value.items() if not k.startswith("$") and v is not None
        }
    if isinstance(value, list):
        return [_without_directives(item) for item in value]
    return value

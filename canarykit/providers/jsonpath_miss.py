"""Why a JSONPath matched nothing, in the words of Kubernetes' `util/jsonpath` (which Argo's web metric uses).

`novalue is not found`, `array index out of bounds: index 3, length 1`, `float64 is not array or slice`;
a path that runs out of values without an error is Argo's `result of web metric produced no value`.
"""

from __future__ import annotations

from typing import Any

from canarykit.providers.jsonpath import JsonPath

NO_VALUE = "result of web metric produced no value"
_GO_TYPES = {dict: "map[string]interface {}", list: "[]interface {}", str: "string", float: "float64"}


def miss_message(path: JsonPath, document: Any) -> str:
    """Argo's Error message for `path` finding nothing in `document`."""
    current = [document]
    for step in path.steps:
        try:
            current = _step(current, step)
        except LookupError as error:
            return f"Could not find JSONPath in body: {error.args[0]}"
    return NO_VALUE


def _step(values: list[Any], step: Any) -> list[Any]:
    present = [value for value in values if value is not None]  # k8s skips nil values
    if isinstance(step, str):
        found = [value[step] for value in present if isinstance(value, dict) and step in value]
        if values and not found:
            raise LookupError(f"{step} is not found")
        return found
    if isinstance(step, int) and not isinstance(step, bool):
        return [_index(value, step) for value in present]
    return [item for value in present for item in _children(value)]


def _index(value: Any, index: int) -> Any:
    if not isinstance(value, list):
        raise LookupError(f"{_go_type(value)} is not array or slice")
    start = index + len(value) if index < 0 else index
    if not 0 <= start < len(value):
        raise LookupError(f"array index out of bounds: index {start}, length {len(value)}")
    return value[start]


def _children(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return list(value.values())
    return list(value) if isinstance(value, list) else []


def _go_type(value: Any) -> str:
    return "bool" if isinstance(value, bool) else _GO_TYPES.get(type(value), "float64")

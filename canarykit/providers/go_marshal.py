"""JSON as Go's `json.Marshal` writes decoded JSON (Argo's web metric value): sorted keys, Go numbers,
HTML-safe escapes."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from canarykit.values import format_float

_GO_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def go_json(value: Any) -> str:
    """Compact JSON as Go's `json.Marshal` writes decoded JSON: sorted keys, Go number and HTML escaping."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int | float):
        return _go_number(float(value))
    if isinstance(value, str):
        return _go_string(value)
    if isinstance(value, Mapping):
        items = sorted((str(key), item) for key, item in value.items())
        return "{" + ",".join(f"{_go_string(key)}:{go_json(item)}" for key, item in items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(go_json(item) for item in value) + "]"
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def _go_number(value: float) -> str:
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"JSON has no encoding for {value}")
    if value == 0 or 1e-6 <= abs(value) < 1e21:
        return format_float(value)
    text = repr(value)
    mantissa, exponent = text.split("e")
    if exponent.startswith("-0"):
        exponent = "-" + exponent[2:]
    return f"{mantissa}e{exponent}"


def _go_string(value: str) -> str:
    text = json.dumps(value, ensure_ascii=False)
    for char, escape in _GO_ESCAPES.items():
        text = text.replace(char, escape)
    return text

"""Metric values written as Argo writes them: `0.95`, `[0.95,0.9]`, `NaN`, `+Inf`."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any


def format_float(value: float) -> str:
    """Go's `strconv.FormatFloat(v, 'f', -1, 64)`: shortest round-trip digits, never an exponent."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    text = format(Decimal(repr(float(value))), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_floats(values: Sequence[float]) -> str:
    """A vector as Argo's Prometheus provider writes it: `[0.95,0.9]`, `[]` when empty."""
    return "[" + ",".join(format_float(v) for v in values) + "]"


def format_value(value: Any) -> str:
    """Text for any metric result: floats as Go writes them, lists of floats as vectors, the rest as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return format_float(float(value))
    if isinstance(value, str):
        return value
    if isinstance(value, Sequence) and all(_is_number(v) for v in value):
        return format_floats([float(v) for v in value])
    return json.dumps(_plain(value), separators=(",", ":"))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [_plain(v) for v in value]
    return value

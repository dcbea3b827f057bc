"""Metric values written as Argo writes them (`0.95`, `[0.95,0.9]`, `NaN`, `+Inf`), and bounded previews."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

PREVIEW_CHARS = 1000
"""The most characters of a measurement's value, message or metadata entry kept for logs and records."""


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


def format_floats(values: Sequence[float], limit: int | None = None) -> str:
    """A vector as Argo's Prometheus provider writes it: `[0.95,0.9]`, `[]` when empty.

    With `limit`, a text that would be longer is a preview of at most `limit` characters, formatting only
    what it shows: `[0.95,0.9,… (99998 more values)]`.
    """
    if limit is None:
        return "[" + ",".join(format_float(v) for v in values) + "]"
    shown: list[str] = []
    size = 2
    for value in values:
        shown.append(format_float(value))
        size += len(shown[-1]) + (len(shown) > 1)
        if size > limit:
            return _vector_preview(shown, len(values), limit)
    return "[" + ",".join(shown) + "]"


def _vector_preview(shown: list[str], total: int, limit: int) -> str:
    room = limit - len(f",… ({total} more values)]") - 1
    while shown and len(shown) + sum(map(len, shown)) > room:
        shown.pop()
    return "[" + "".join(text + "," for text in shown) + f"… ({total - len(shown)} more values)]"


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


def preview(text: str, limit: int = PREVIEW_CHARS) -> str:
    """`text` if it has at most `limit` characters, else its start and `… (N more characters)`, in `limit`.

    The result is never longer than `limit`, so a preview of a preview is the same text.
    """
    if len(text) <= limit:
        return text
    keep = limit - len(_more(len(text)))
    return text[:keep] + _more(len(text) - keep) if keep > 0 else text[:limit]


def _more(count: int) -> str:
    return f"… ({count} more characters)"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [_plain(v) for v in value]
    return value

"""The `data` of a Prometheus answer decoded as Argo's Go client decodes it, with its error texts.

client_golang's `queryResult` and prometheus/common's `model` types: field names match case-insensitively,
`null` samples are skipped, a sample without a value (a native histogram) is 0, sample values are quoted
strings parsed by `strconv.ParseFloat`. Shapes no Prometheus sends get errors in the same words, though
not always byte for byte (Go names its internal types).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from canarykit.errors import ProviderError
from canarykit.providers.go_json import END_OF_INPUT
from canarykit.providers.go_text import go_parse_float, go_quote

MISSING: Any = object()
"""A field absent from its object (Go leaves the zero value; a missing `data` is empty input)."""

_RESULT_STRUCT = (
    'struct { Type model.ValueType "json:\\"resultType\\""; Result json.RawMessage "json:\\"result\\"" }'
)
_KNOWN_TYPES = ("scalar", "vector", "matrix", "string", "<ValNone>")
Pair = tuple[float, float]


@dataclass(frozen=True)
class Decoded:
    """A decoded result: its type and, per series (one for a vector's samples or a scalar), its points."""

    result_type: str
    series: tuple[tuple[Mapping[str, Any], tuple[Pair, ...]], ...]

    def values(self) -> list[float]:
        """Every value, series by series (Argo's flattening of vectors and matrices)."""
        return [value for _, points in self.series for _, value in points]


def field(document: Mapping[str, Any], name: str) -> Any:
    """A struct field as Go's decoder fills it: keys match case-insensitively, the last one wins."""
    found = MISSING
    for key, value in document.items():
        if key == name or key.lower() == name.lower():
            found = value
    return found


def kind(value: Any) -> str:
    """Go's name for a JSON value's kind in an `UnmarshalTypeError`."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else "null"


def decode(data: Any) -> Decoded:
    """`data` (`MISSING` when absent) decoded into a scalar, vector or matrix; raises `ProviderError`."""
    if data is MISSING:
        raise ProviderError(END_OF_INPUT)
    if data is not None and not isinstance(data, dict):
        raise ProviderError(f"json: cannot unmarshal {kind(data)} into Go value of type {_RESULT_STRUCT}")
    result_type = _result_type(data or {})
    result = field(data or {}, "result")
    if result is MISSING:
        raise ProviderError(END_OF_INPUT)
    if result_type == "scalar":
        return Decoded("scalar", (({}, (_scalar(result),)),))
    if result is not None and not isinstance(result, list):
        go_type = "model.Vector" if result_type == "vector" else "model.Matrix"
        raise ProviderError(f"json: cannot unmarshal {kind(result)} into Go value of type {go_type}")
    items = [item for item in result or () if item is not None]
    if result_type == "vector":
        return Decoded("vector", tuple(_sample(item) for item in items))
    return Decoded("matrix", tuple(_stream(item) for item in items))


def _result_type(data: Mapping[str, Any]) -> str:
    given = field(data, "resultType")
    if given is MISSING:
        given = "<ValNone>"
    elif given is None:
        given = ""
    elif not isinstance(given, str):
        raise ProviderError(
            f"json: cannot unmarshal {kind(given)} into Go struct field .resultType of type string"
        )
    if given not in _KNOWN_TYPES:
        raise ProviderError(f"unknown value type {go_quote(given)}")
    if given not in ("scalar", "vector", "matrix"):
        raise ProviderError(f"unexpected value type {go_quote(given)}")
    return given


def _scalar(result: Any) -> Pair:
    if result is not None and not isinstance(result, list):
        raise ProviderError(f"json: cannot unmarshal {kind(result)} into Go value of type [2]interface {{}}")
    pair = [*(result or ()), None, None][:2]
    timestamp = _timestamp(pair[0])
    if pair[1] is not None and not isinstance(pair[1], str):
        raise ProviderError(f"json: cannot unmarshal {kind(pair[1])} into Go value of type string")
    try:
        return timestamp, go_parse_float(pair[1] or "")
    except ValueError as error:
        raise ProviderError(f"error parsing sample value: {error}") from None


def _sample(item: Any) -> tuple[Mapping[str, Any], tuple[Pair, ...]]:
    document = _object(item, "model.Sample")
    pair = field(document, "value")
    return _labels(document), (_pair(pair, ".value") if pair is not MISSING else (0.0, 0.0),)


def _stream(item: Any) -> tuple[Mapping[str, Any], tuple[Pair, ...]]:
    document = _object(item, "model.SampleStream")
    values = field(document, "values")
    if values is MISSING or values is None:
        return _labels(document), ()
    if not isinstance(values, list):
        raise ProviderError(
            f"json: cannot unmarshal {kind(values)} into Go struct field .values of type []model.SamplePair"
        )
    return _labels(document), tuple(_pair(pair, "") for pair in values)


def _pair(pair: Any, where: str) -> Pair:
    """A `[timestamp, "value"]` pair; `null` (or a `null` element) leaves Go's zero."""
    if pair is None:
        return 0.0, 0.0
    if not isinstance(pair, list):
        into = f"Go struct field {where} of type" if where else "Go value of type"
        raise ProviderError(f"json: cannot unmarshal {kind(pair)} into {into} [2]json.Unmarshaler")
    timestamp, value = [*pair, None, None][:2]
    return _timestamp(timestamp), _sample_value(value)


def _sample_value(value: Any) -> float:
    if value is None:
        return 0.0
    if not isinstance(value, str):
        raise ProviderError("sample value must be a quoted string")
    try:
        return go_parse_float(value)
    except ValueError as error:
        raise ProviderError(str(error)) from None


def _timestamp(value: Any) -> float:
    if value is None:
        return 0.0
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    raw = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    raise ProviderError(f"strconv.ParseInt: parsing {go_quote(raw)}: invalid syntax")


def _object(item: Any, go_type: str) -> Mapping[str, Any]:
    if not isinstance(item, dict):
        raise ProviderError(f"json: cannot unmarshal {kind(item)} into Go value of type {go_type}")
    return item


def _labels(document: Mapping[str, Any]) -> Mapping[str, Any]:
    labels = field(document, "metric")
    return labels if isinstance(labels, dict) else {}

"""Datadog's v1 API as Argo uses it: `GET /api/v1/query`, the last point of the first series."""

from __future__ import annotations

from typing import Any

from canarykit.errors import ProviderError
from canarykit.providers.base import Observation
from canarykit.providers.datadog_answer import decoded
from canarykit.providers.datadog_gojson import FLOAT, Shape, Tick, no_tick
from canarykit.providers.go_marshal import go_json
from canarykit.values import format_float

PATH = "/api/v1/query"

_POINTLIST = Shape("slice", "[][]float64", Shape("slice", "[]float64", FLOAT))
_SERIES_ITEM = Shape(
    "struct", 'struct { Pointlist [][]float64 "json:\\"pointlist\\"" }', fields=(("pointlist", _POINTLIST),)
)
RESPONSE = Shape(
    "struct",
    "datadog.datadogResponseV1",
    fields=(("Series", Shape("slice", "[]" + _SERIES_ITEM.go, _SERIES_ITEM)),),
    struct_name="datadogResponseV1",
)
"""Argo's `datadogResponseV1`: `Series []struct{ Pointlist [][]float64 }`."""


def v1_params(query: str, now: int, interval: int) -> list[tuple[str, str]]:
    """The query string Argo sends (Go's `url.Values.Encode` sorts the keys)."""
    return [("from", str(now - interval)), ("query", query), ("to", str(now))]


def v1_observation(body: bytes, tick: Tick = no_tick) -> Observation:
    """The last point's value of the first series; no series or no point is a nil result.

    A nil result's text is the series as Go marshals them (`[]`, or `null` when the answer has none). A
    null value in a point is 0, as Go decodes it into a float64.
    """
    series: list[dict[str, Any]] | None = decoded(body, RESPONSE, tick)["Series"]
    if not series or not series[0]["pointlist"]:
        return Observation(value=None, text=go_json(series))
    point = series[0]["pointlist"][-1]
    if point is None or len(point) != 2:
        raise ProviderError("Datapoint does not have 2 values")
    value = float(point[1])
    return Observation(value=value, text=format_float(value))

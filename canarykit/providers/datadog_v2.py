"""Datadog's v2 API as Argo uses it: `POST /api/v2/query/scalar`; a scalar, or a slice for `by {tag}`."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from canarykit.errors import ProviderError
from canarykit.providers.base import Observation
from canarykit.providers.datadog_answer import decoded
from canarykit.providers.datadog_gojson import (
    RAW,
    STRING,
    GoJsonError,
    Shape,
    Tick,
    no_tick,
    raw_text,
    unmarshal_float,
)
from canarykit.providers.go_marshal import go_json
from canarykit.providers.go_text import go_quote
from canarykit.values import PREVIEW_CHARS, format_float, format_floats

PATH = "/api/v2/query/scalar"
DEFAULT_AGGREGATOR = "last"
MAX_GROUPS_IN_METADATA = 100
"""Argo keeps at most this many groups in the `groups` metadata: the lowest and highest halves by value."""

COLUMN = Shape(
    "struct",
    "datadog.datadogV2Column",
    fields=(("name", STRING), ("type", STRING), ("values", Shape("slice", "[]json.RawMessage", RAW))),
    struct_name="datadogV2Column",
)
_ATTRIBUTES = Shape(
    "struct",
    "struct { Columns []datadog.datadogV2Column }",
    fields=(("Columns", Shape("slice", "[]datadog.datadogV2Column", COLUMN)),),
)
_DATA = Shape(
    "struct",
    f"struct {{ Attributes {_ATTRIBUTES.go}; Errors string }}",
    fields=(("Attributes", _ATTRIBUTES), ("Errors", STRING)),
)
RESPONSE = Shape(
    "struct", "datadog.datadogResponseV2", fields=(("Data", _DATA),), struct_name="datadogResponseV2"
)
"""Argo's `datadogResponseV2`: `Data.Attributes.Columns[]` of name, type and raw values; `Data.Errors`."""

Column = Mapping[str, Any]


def v2_body(queries: Mapping[str, str], formula: str, aggregator: str, now: int, interval: int) -> bytes:
    """The scalar request Argo sends: milliseconds, every query with the aggregator, at most one formula."""
    attributes = {
        "from": (now - interval) * 1000,
        "to": now * 1000,
        "queries": [
            {"aggregator": aggregator, "data_source": "metrics", "name": name, "query": query}
            for name, query in queries.items()
        ],
        "formulas": [{"formula": formula}] if formula else [],
    }
    document = {"data": {"attributes": attributes, "type": "scalar_request"}}
    return json.dumps(document, separators=(",", ":")).encode()


def v2_observation(body: bytes, tick: Tick = no_tick) -> Observation:
    """The first number column: a scalar, or every value when a group column is there (with `groups`).

    A fault is found again with numbers kept as written, so its message quotes them as Go does.
    """
    try:
        return _observation(decoded(body, RESPONSE, tick)["Data"])
    except ProviderError:
        return _observation(decoded(body, RESPONSE, tick, exact=True)["Data"])


def _observation(data: Mapping[str, Any]) -> Observation:
    if data["Errors"]:
        raise ProviderError(f"There were errors in your query: {data['Errors']}")
    values, groups, grouped = extract_values(data["Attributes"]["Columns"] or [])
    if not values:
        return Observation(value=None, text="[]")
    if not grouped:
        return Observation(value=values[0], text=format_float(values[0]))
    shown, truncated = groups_metadata(groups)
    metadata = {"groups": shown, **({"groups_truncated": "true"} if truncated else {})}
    return Observation(value=values, text=format_floats(values, PREVIEW_CHARS), metadata=metadata)


def extract_values(columns: Sequence[Column]) -> tuple[list[float], list[tuple[str, float]], bool]:
    """The number column's values (nulls skipped), their group labels, and whether the query was grouped.

    The number column is the first typed `number` (or untyped, as old answers are); every `group` column
    adds its tags to a row's label. A value or label that cannot be read is a `ProviderError`.
    """
    number = next((column for column in columns if column["type"] in ("", "number")), None)
    group_columns = [column for column in columns if column["type"] == "group"]
    grouped = bool(group_columns)
    values: list[float] = []
    groups: list[tuple[str, float]] = []
    if number is None:
        return values, groups, grouped
    for index, raw in enumerate(number["values"] or []):
        if raw is None:
            continue  # no data for this group: the value and its label are both left out
        value = _number(raw, str(number["name"]))
        values.append(value)
        if grouped:
            name = group_name(group_columns, index)
            if name is None:
                raise ProviderError(f"could not parse group label at index {index}")
            groups.append((name, value))
    return values, groups, grouped


def groups_metadata(groups: Sequence[tuple[str, float]]) -> tuple[str, bool]:
    """`groups` as Argo's JSON, and whether it was cut to the lowest and highest halves by value."""
    kept = list(groups)
    truncated = len(kept) > MAX_GROUPS_IN_METADATA
    if truncated:
        ordered = sorted(kept, key=lambda group: group[1])
        low = MAX_GROUPS_IN_METADATA // 2
        kept = ordered[:low] + ordered[len(ordered) - (MAX_GROUPS_IN_METADATA - low) :]
    return go_json([{"name": name, "value": value} for name, value in kept]), truncated


def _number(raw: Any, column: str) -> float:
    try:
        return unmarshal_float(raw)
    except GoJsonError as error:
        text = go_quote(raw_text(raw))
        raise ProviderError(
            f"could not parse numeric value {text} in column {go_quote(column)}: {error}"
        ) from None


def group_name(columns: Sequence[Column], index: int) -> str | None:
    """Row `index`'s tags joined with `,` across the group columns (aliases too); None if unreadable."""
    parts: list[str] = []
    for column in columns:
        tags = _tags(column["values"] or [], index)
        if not tags:
            return None
        parts.extend(tags)
    return ",".join(parts)


def _tags(values: Sequence[Any], index: int) -> list[str]:
    """A group entry as Go's `[]string`: an array of strings (null items are ""); [] for anything else."""
    if index >= len(values):
        return []
    entry = values[index]
    if type(entry) is not list or not all(item is None or _is_string(item) for item in entry):
        return []
    return ["" if item is None else str(item) for item in entry]


def _is_string(item: Any) -> bool:
    return isinstance(item, str) and type(item) is str

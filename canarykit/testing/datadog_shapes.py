"""What Datadog's query endpoints require of a request, as its API reference states it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

AGGREGATORS = ("avg", "min", "max", "sum", "last", "percentile", "mean", "l2norm", "area")


def v1_query_problems(params: Mapping[str, str]) -> list[str]:
    """`GET /api/v1/query`: `from` and `to` in unix seconds (from <= to), and a non-empty `query`."""
    problems = [f"{name} is required" for name in ("from", "to", "query") if not params.get(name)]
    times = [params.get(name, "") for name in ("from", "to")]
    if not problems and not all(_is_int_text(value) for value in times):
        problems.append("from and to must be integers (unix seconds)")
    elif not problems and int(times[0]) > int(times[1]):
        problems.append("from must not be after to")
    return problems


def scalar_request_problems(body: Any, content_type: str) -> list[str]:
    """`POST /api/v2/query/scalar`: a `scalar_request` with from/to in milliseconds, queries, formulas."""
    if not content_type.startswith("application/json"):
        return ["Content-Type must be application/json"]
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict) or data.get("type") != "scalar_request":
        return ['data.type must be "scalar_request"']
    attributes = data.get("attributes")
    if not isinstance(attributes, dict):
        return ["data.attributes is required"]
    problems = _time_problems(attributes)
    queries = attributes.get("queries")
    if not isinstance(queries, list) or not queries:
        problems.append("data.attributes.queries must be a non-empty list")
    else:
        for index, query in enumerate(queries):
            problems.extend(f"queries[{index}]: {problem}" for problem in _query_problems(query))
    formulas = attributes.get("formulas", [])
    if not isinstance(formulas, list) or not all(_is_formula(item) for item in formulas):
        problems.append('data.attributes.formulas must be a list of {"formula": "<text>"}')
    return problems


def _time_problems(attributes: Mapping[str, Any]) -> list[str]:
    start, end = attributes.get("from"), attributes.get("to")
    if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool):
        return ["data.attributes.from and to must be integers (milliseconds)"]
    return ["data.attributes.from must not be after to"] if start > end else []


def _query_problems(query: Any) -> list[str]:
    if not isinstance(query, dict):
        return ["must be an object"]
    problems = []
    if query.get("data_source") != "metrics":
        problems.append('data_source must be "metrics"')
    if not isinstance(query.get("query"), str) or not query["query"]:
        problems.append("query is required")
    if not isinstance(query.get("name"), str) or not query["name"]:
        problems.append("name is required")
    if query.get("aggregator", "avg") not in AGGREGATORS:
        problems.append(f"aggregator must be one of {', '.join(AGGREGATORS)}")
    return problems


def _is_formula(item: Any) -> bool:
    return isinstance(item, dict) and isinstance(item.get("formula"), str) and bool(item["formula"])


def _is_int_text(text: str) -> bool:
    return text.lstrip("-").isdigit()

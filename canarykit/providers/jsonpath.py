"""The Kubernetes JSONPath subset Argo's web metrics use: `{$.a.b}`, `{.a[0].b}`, `{$['a b']}`, `{$.a[-1]}`.

Also `[*]` and `.*` (every element or value); `find_first` returns the first match, as Argo does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from canarykit.errors import SpecError

_TOKEN = re.compile(
    r"""(?P<all>\[\s*\*\s*\]|\.\*)"""
    r"""|\[\s*'(?P<single>(?:[^'\\]|\\.)*)'\s*\]"""
    r"""|\[\s*"(?P<double>(?:[^"\\]|\\.)*)"\s*\]"""
    r"""|\[\s*(?P<index>-?\d+)\s*\]"""
    r"""|\.(?P<field>[^.\[\]'"\s]+)"""
)


class _All:
    """`[*]` / `.*`: every element of a list or value of an object."""


_ALL = _All()
Step = str | int | _All


class NotFound(LookupError):
    """The path matched nothing in the data."""


class JsonPath:
    """A compiled path; raises `SpecError` for syntax outside the subset."""

    def __init__(self, expression: str) -> None:
        self.expression = expression
        self.steps: tuple[Step, ...] = tuple(_parse(expression))

    def __repr__(self) -> str:
        return f"JsonPath({self.expression!r})"

    def find_all(self, data: Any) -> Iterator[Any]:
        """Every match, in document order."""
        return _walk(data, self.steps)

    def find_first(self, data: Any) -> Any:
        """The first match; raises `NotFound` when there is none."""
        for match in self.find_all(data):
            return match
        raise NotFound(self.expression)


def _parse(expression: str) -> Iterator[Step]:
    inner = expression.strip()
    if not (inner.startswith("{") and inner.endswith("}")):
        raise SpecError(f"unsupported JSONPath {expression!r}: expected a single {{...}} expression")
    inner = inner[1:-1].strip()
    inner = inner[1:] if inner.startswith("$") else inner
    position = 0
    while position < len(inner):
        match = _TOKEN.match(inner, position)
        if match is None:
            raise SpecError(f"unsupported JSONPath {expression!r} at {inner[position:]!r}")
        yield _step(match)
        position = match.end()


def _step(match: re.Match[str]) -> Step:
    if match["field"] is not None:
        return match["field"]
    if match["index"] is not None:
        return int(match["index"])
    if match["all"] is not None:
        return _ALL
    quoted = match["single"] if match["single"] is not None else match["double"]
    return re.sub(r"\\(.)", r"\1", quoted)


def _walk(data: Any, steps: tuple[Step, ...]) -> Iterator[Any]:
    if not steps:
        yield data
        return
    for child in _children(data, steps[0]):
        yield from _walk(child, steps[1:])


def _children(data: Any, step: Step) -> Iterator[Any]:
    if isinstance(step, _All):
        if isinstance(data, Mapping):
            yield from data.values()
        elif isinstance(data, list):
            yield from data
    elif isinstance(step, str):
        if isinstance(data, Mapping) and step in data:
            yield data[step]
    elif isinstance(data, list) and -len(data) <= step < len(data):
        yield data[step]

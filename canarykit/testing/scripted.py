"""A provider that returns a script of results, for unit tests of analysis logic."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from canarykit.errors import ProviderError
from canarykit.providers.base import Observation


class ScriptedProvider:
    """Returns the given results in order; an exception instance in the list is raised instead.

    Items may be plain values (a float, a list of floats, any JSON-like value) or `Observation`s. When the
    script runs out the last item repeats; with `repeat_last=False` a `ProviderError` is raised instead.
    Every call is recorded in `calls` as `(query, at)`.
    """

    def __init__(self, values: Iterable[Any], repeat_last: bool = True) -> None:
        self._script = list(values)
        self._repeat_last = repeat_last
        self._position = 0
        self.calls: list[tuple[str | None, float]] = []

    def measure(self, query: str | None, at: float) -> Observation:
        self.calls.append((query, at))
        item = self._next_item()
        if isinstance(item, BaseException):
            raise item
        if isinstance(item, Observation):
            return item
        return Observation.of(item)

    def _next_item(self) -> Any:
        if self._position < len(self._script):
            item = self._script[self._position]
            self._position += 1
            return item
        if self._repeat_last and self._script:
            return self._script[-1]
        raise ProviderError("scripted provider has no more results")

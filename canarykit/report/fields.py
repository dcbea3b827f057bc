"""Typed reads from a JSON object, each failure naming where it is (`audit.json: events[3]: time: ...`)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from canarykit.errors import AuditRecordError

_MISSING = object()


class Fields:
    """A JSON object found at `where`; its getters raise `AuditRecordError` naming the field."""

    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, Mapping):
            raise AuditRecordError(f"{where}: expected an object, found {_kind(data)}")
        self.data: Mapping[str, Any] = data
        self.where = where

    def _get(self, key: str, default: Any) -> Any:
        value = self.data.get(key, default)
        if value is _MISSING:
            raise self.error(key, "missing")
        return value

    def error(self, key: str, problem: str) -> AuditRecordError:
        return AuditRecordError(f"{self.where}: {key}: {problem}")

    def text(self, key: str, default: Any = _MISSING) -> str:
        value = self._get(key, default)
        if not isinstance(value, str):
            raise self.error(key, f"expected text, found {_kind(value)}")
        return value

    def optional_text(self, key: str) -> str | None:
        return None if self.data.get(key) is None else self.text(key)

    def number(self, key: str, default: Any = _MISSING) -> float:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise self.error(key, f"expected a number, found {_kind(value)}")
        return float(value)

    def optional_number(self, key: str) -> float | None:
        return None if self.data.get(key) is None else self.number(key)

    def integer(self, key: str, default: int) -> int:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(key, f"expected a whole number, found {_kind(value)}")
        return value

    def flag(self, key: str) -> bool:
        value = self._get(key, False)
        if not isinstance(value, bool):
            raise self.error(key, f"expected true or false, found {_kind(value)}")
        return value

    def optional_mapping(self, key: str) -> Mapping[str, Any] | None:
        value = self.data.get(key)
        if value is not None and not isinstance(value, Mapping):
            raise self.error(key, f"expected an object, found {_kind(value)}")
        return value

    def strings(self, key: str) -> dict[str, str]:
        """An object of texts (a measurement's metadata); other values are kept as their JSON text."""
        found = self.optional_mapping(key) or {}
        return {str(name): value if isinstance(value, str) else str(value) for name, value in found.items()}

    def items(self, key: str, required: bool = True) -> list[Fields]:
        """The objects of the list at `key` (an absent optional list is empty)."""
        value = self._get(key, _MISSING if required else [])
        if not isinstance(value, list):
            raise self.error(key, f"expected a list, found {_kind(value)}")
        return [Fields(item, f"{self.where}: {key}[{index}]") for index, item in enumerate(value)]


def _kind(value: Any) -> str:
    """How a JSON value is called in an error (never the value itself: it may be long or hostile)."""
    if value is None or value is _MISSING:
        return "null"
    names = {bool: "true/false", str: "text", int: "a number", float: "a number", list: "a list"}
    for kind, name in names.items():
        if isinstance(value, kind):
            return name
    return "an object" if isinstance(value, Mapping) else type(value).__name__

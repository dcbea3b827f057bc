"""RFC 6902 JSON patch (add, remove, replace, move, copy, test) with RFC 6901 JSON pointers."""

from __future__ import annotations

import copy
from typing import Any


class PatchError(ValueError):
    """The patch is malformed or does not apply (a failed `test`, a missing path...)."""


def json_patch(document: Any, operations: Any) -> Any:
    """Apply a list of operations in order; returns the new document (the root may be replaced)."""
    if not isinstance(operations, list):
        raise PatchError("a JSON patch must be a list of operations")
    for operation in operations:
        document = _apply(document, operation)
    return document


def parse_pointer(pointer: str) -> list[str]:
    """`/a/b~1c/~0d` -> `["a", "b/c", "~d"]`; the empty pointer is the whole document."""
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise PatchError(f"JSON pointer must start with '/': {pointer!r}")
    return [token.replace("~1", "/").replace("~0", "~") for token in pointer[1:].split("/")]


def _apply(document: Any, operation: Any) -> Any:
    """Apply one operation such as `{"op": "add", "path": "/a", "value": 1}`."""
    if not isinstance(operation, dict) or "op" not in operation or "path" not in operation:
        raise PatchError(f"not a JSON patch operation: {operation!r}")
    op, path = operation["op"], parse_pointer(operation["path"])
    if op == "test":
        if _get(document, path) != _value(operation):
            raise PatchError(f"test operation failed: {operation['path']} is not {operation['value']!r}")
        return document
    if op == "remove":
        return _remove(document, path)
    if op == "replace":
        return _add(_remove(document, path), path, _value(operation))
    if op == "add":
        return _add(document, path, _value(operation))
    if op in ("move", "copy"):
        source = parse_pointer(operation.get("from", ""))
        value = copy.deepcopy(_get(document, source))
        if op == "move":
            document = _remove(document, source)
        return _add(document, path, value)
    raise PatchError(f"unknown JSON patch operation {op!r}")


def _value(operation: dict[str, Any]) -> Any:
    """A copy of the operation's `value` (PatchError when it has none)."""
    if "value" not in operation:
        raise PatchError(f"{operation['op']} operation needs a value: {operation!r}")
    return copy.deepcopy(operation["value"])


def _get(document: Any, path: list[str]) -> Any:
    """The value at `path`; PatchError when some part is missing."""
    for token in path:
        document = _child(document, token)
    return document


def _child(container: Any, token: str) -> Any:
    """The member or element named by one pointer token; PatchError when missing."""
    if isinstance(container, dict) and token in container:
        return container[token]
    if isinstance(container, list):
        return container[_index(container, token, allow_end=False)]
    raise PatchError(f"path not found: {token!r}")


def _index(array: list[Any], token: str, allow_end: bool) -> int:
    """A list index from a pointer token (`-` is the end when `allow_end`)."""
    if token == "-" and allow_end:
        return len(array)
    limit = len(array) if allow_end else len(array) - 1
    if not token.isdigit() or int(token) > limit or (token.startswith("0") and token != "0"):
        raise PatchError(f"invalid array index {token!r} for a list of {len(array)}")
    return int(token)


def _add(document: Any, path: list[str], value: Any) -> Any:
    """Insert into a list, or set a key of an object (the parent must exist)."""
    if not path:
        return value
    parent, last = _get(document, path[:-1]), path[-1]
    if isinstance(parent, list):
        parent.insert(_index(parent, last, allow_end=True), value)
    elif isinstance(parent, dict):
        parent[last] = value
    else:
        raise PatchError(f"cannot add {last!r} to a {type(parent).__name__}")
    return document


def _remove(document: Any, path: list[str]) -> Any:
    """Remove the value at `path`, which must exist."""
    if not path:
        return None
    parent, last = _get(document, path[:-1]), path[-1]
    _child(parent, last)
    if isinstance(parent, list):
        del parent[int(last)]
    else:
        del parent[last]
    return document

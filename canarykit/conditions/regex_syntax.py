"""The few patterns RE2 accepts but Go's `regexp` refuses, found by a scan of the pattern.

RE2 (C++) and Go's `regexp/syntax` share one grammar except for: the `\\C` escape (any byte; Go refuses it),
capture names beyond ASCII letters, digits and `_` (Go refuses them), and repeat counts too large for an int
(RE2 reads `{99999999999}` as literal text; Go refuses it as an invalid repeat count).
"""

from __future__ import annotations

import re

_MAX_REPEAT = 1000
_REPEAT = re.compile(r"\{(0|[1-9][0-9]*)(?:(,)(0|[1-9][0-9]*)?)?\}", re.ASCII)
_CAPTURE_NAME = re.compile(r"[A-Za-z0-9_]+", re.ASCII)


GoError = tuple[str, str, int]
"""Go's error code, the offending text, and its offset in the pattern."""


def go_only_error(pattern: str) -> GoError | None:
    """The first error Go reports in `pattern` that RE2 would not, or None."""
    position = 0
    while position < len(pattern):
        char = pattern[position]
        if char == "\\":
            if pattern.startswith("\\C", position):
                return "invalid escape sequence", "\\C", position
            position = _after_escape(pattern, position)
        elif char == "[":
            position = _after_class(pattern, position)
        elif char == "(":
            problem = _capture_name_error(pattern, position)
            if problem:
                return problem
            position += 1
        elif char == "{":
            problem = _repeat_error(pattern, position)
            if problem:
                return problem
            position += 1
        else:
            position += 1
    return None


def unmatched_paren(pattern: str) -> int:
    """The offset of the first `)` that closes no group (the length of `pattern` when there is none)."""
    depth = position = 0
    while position < len(pattern):
        char = pattern[position]
        if char == "\\":
            position = _after_escape(pattern, position)
            continue
        if char == "[":
            position = _after_class(pattern, position)
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return position
        position += 1
    return len(pattern)


def _after_escape(pattern: str, position: int) -> int:
    """The offset after the escape at `position`: `\\Q...\\E` quotes, `\\x{...}` and `\\p{...}` are whole."""
    kind = pattern[position + 1 : position + 2]
    if kind == "Q":
        end = pattern.find("\\E", position + 2)
        return len(pattern) if end < 0 else end + 2
    if kind in ("x", "p", "P") and pattern.startswith("{", position + 2):
        end = pattern.find("}", position + 3)
        return len(pattern) if end < 0 else end + 1
    return position + 2


def _after_class(pattern: str, position: int) -> int:
    """The offset after the character class opening at `position` (`]` first in it is a literal)."""
    position += 1
    if pattern.startswith("^", position):
        position += 1
    first = True
    while position < len(pattern) and (first or pattern[position] != "]"):
        first = False
        named_end = pattern.find(":]", position + 2) if pattern.startswith("[:", position) else -1
        if named_end >= 0:
            position = named_end + 2
        elif pattern[position] == "\\":
            position = _after_escape(pattern, position)
        else:
            position += 1
    return position + 1


def _capture_name_error(pattern: str, position: int) -> GoError | None:
    """Go allows only ASCII letters, digits and `_` in `(?P<name>` and `(?<name>`."""
    if pattern.startswith("(?P<", position):
        start = position + 4
    elif pattern.startswith("(?<", position):
        start = position + 3
    else:
        return None
    end = pattern.find(">", start)
    if end < 0 or _CAPTURE_NAME.fullmatch(pattern, start, end):
        return None
    return "invalid named capture", pattern[position : end + 1], position


def _repeat_error(pattern: str, position: int) -> GoError | None:
    """Go refuses `{n}`, `{n,}` and `{n,m}` with a count above 1000, however many digits it has."""
    repeat = _REPEAT.match(pattern, position)
    if repeat is None:
        return None
    counts = [int(text) for text in (repeat.group(1), repeat.group(3)) if text is not None]
    if max(counts) <= _MAX_REPEAT:
        return None
    return "invalid repeat count", repeat.group(), position

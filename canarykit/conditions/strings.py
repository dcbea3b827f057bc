"""String literals as Go writes them: `"..."` and `'...'` with escapes, raw backquotes."""

from __future__ import annotations

from canarykit.conditions.compile_error import CompileError

_SIMPLE_ESCAPES = {
    "a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
    "\\": "\\", "'": "'", '"': '"',
}  # fmt: skip
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


def read_string(source: str, start: int) -> tuple[str, str]:
    """The literal starting at `start`: (its source text, its decoded value)."""
    quote = source[start]
    if quote == "`":
        end = source.find("`", start + 1)
        if end < 0:
            raise CompileError("unterminated string literal", start)
        return source[start : end + 1], source[start + 1 : end]
    decoded: list[str] = []
    pos = start + 1
    while True:
        if pos >= len(source) or source[pos] == "\n":
            raise CompileError("unterminated string literal", start)
        char = source[pos]
        if char == quote:
            return source[start : pos + 1], "".join(decoded)
        if char == "\\":
            text, pos = _escape(source, pos)
            decoded.append(text)
        else:
            decoded.append(char)
            pos += 1


def _escape(source: str, pos: int) -> tuple[str, int]:
    """The escape sequence at `pos` (a backslash): (its character, the offset after it)."""
    kind = source[pos + 1 : pos + 2]
    if kind in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[kind], pos + 2
    if kind in _HEX_ESCAPES:
        width = _HEX_ESCAPES[kind]
        digits = source[pos + 2 : pos + 2 + width]
        if len(digits) == width and set(digits) <= _HEX_DIGITS:
            return _code_point(int(digits, 16), pos), pos + 2 + width
    elif kind in "01234567" and kind:
        digits = source[pos + 1 : pos + 4]
        if len(digits) == 3 and set(digits) <= set("01234567") and int(digits, 8) < 256:
            return chr(int(digits, 8)), pos + 4
    raise CompileError("invalid char escape", pos)


def _code_point(value: int, pos: int) -> str:
    if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
        raise CompileError("invalid char escape", pos)
    return chr(value)

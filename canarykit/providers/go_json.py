"""The syntax error Go's `encoding/json` reports for a body, found by a port of its scanner.

Python's parser says where JSON breaks in its own words; Argo's messages carry Go's (`invalid character '<'
looking for beginning of value`, `unexpected end of JSON input`). `syntax_error` is only run on bodies Python
refused, so it may be slow-ish: runs of string bytes, digits and spaces are skipped by regular expressions.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from canarykit.providers.go_json_valid import FAST_DEPTH, VALID_CONTAINER, VALID_RUN
from canarykit.providers.go_text import go_quote

END_OF_INPUT = "unexpected end of JSON input"
MAX_DEPTH = 10_000
"""Go's `maxNestingDepth`."""

_SPACE = re.compile(rb"[ \t\r\n]*")
_PLAIN = re.compile(rb'[^"\\\x00-\x1f]*')
_DIGITS = re.compile(rb"[0-9]*")
_HEX = b"0123456789abcdefABCDEF"
_LITERALS = {ord("t"): b"true", ord("f"): b"false", ord("n"): b"null"}
_CHECK_EVERY = 4096

_State = Callable[[], "_State | None"]


class _Invalid(Exception):
    """Go's scanner stopped here; the argument is its message."""


def syntax_error(body: bytes, tick: Callable[[], None] = lambda: None, fast: bool = True) -> str | None:
    """Go's syntax error for `body`, or None when Go's scanner accepts it; `tick()` is called now and then.

    `fast=False` walks every byte through the states (the reference the fast path is tested against).
    """
    try:
        _Scanner(body, tick, fast).run()
    except _Invalid as invalid:
        return str(invalid)
    return None


def quote_char(byte: int) -> str:
    """Go's `quoteChar`: a byte in single quotes, escaped as `strconv.Quote` escapes that rune."""
    if byte == ord("'"):
        return "'\\''"
    if byte == ord('"'):
        return "'\"'"
    return "'" + go_quote(chr(byte))[1:-1] + "'"


class _Scanner:
    """Go's scanner states, one method per group; the parse stack holds `key`, `value` or `array`."""

    def __init__(self, data: bytes, tick: Callable[[], None], fast: bool) -> None:
        self.data = data
        self.fast_depth = FAST_DEPTH if fast else MAX_DEPTH + 1
        self.pos = 0
        self.stack: list[str] = []
        self.tick = tick
        self.steps = 0

    def run(self) -> None:
        state: _State | None = self.begin_value
        while state is not None:
            self.steps += 1
            if self.steps % _CHECK_EVERY == 0:
                self.tick()
            state = state()

    def begin_value(self) -> _State | None:
        byte = self.next_structural()
        if byte in (ord("{"), ord("[")):
            valid = VALID_CONTAINER.match(self.data, self.pos)
            if valid is not None and len(self.stack) + 1 + self.fast_depth <= MAX_DEPTH:
                self.pos = valid.end()
                return self.end_value
            return self.open(byte)
        if byte == ord('"'):
            self.pos += 1
            self.string()
        elif byte == ord("-") or ord("0") <= byte <= ord("9"):
            self.number()
        elif byte in _LITERALS:
            self.literal(_LITERALS[byte])
        else:
            raise self.invalid(byte, "looking for beginning of value")
        return self.end_value

    def open(self, byte: int) -> _State | None:
        self.stack.append("key" if byte == ord("{") else "array")
        if len(self.stack) > MAX_DEPTH:
            raise self.invalid(byte, "exceeded max depth")
        self.pos += 1
        closing = ord("}") if byte == ord("{") else ord("]")
        if self.next_structural() == closing:
            self.pos += 1
            self.stack.pop()
            return self.end_value
        return self.begin_key if byte == ord("{") else self.begin_value

    def begin_key(self) -> _State | None:
        byte = self.next_structural()
        if byte != ord('"'):
            raise self.invalid(byte, "looking for beginning of object key string")
        self.pos += 1
        self.string()
        return self.end_value

    def end_value(self) -> _State | None:
        if self.stack and self.stack[-1] == "array" and len(self.stack) + self.fast_depth <= MAX_DEPTH:
            self.pos = VALID_RUN.match(self.data, self.pos).end()
        if not self.stack:
            self.pos = _SPACE.match(self.data, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.data):
                raise self.invalid(self.data[self.pos], "after top-level value")
            return None
        byte = self.next_structural()
        self.pos += 1
        top = self.stack[-1]
        if top == "key" and byte == ord(":"):
            self.stack[-1] = "value"
            return self.begin_value
        if top == "value" and byte == ord(","):
            self.stack[-1] = "key"
            return self.begin_key
        if top == "array" and byte == ord(","):
            return self.begin_value
        if (top, byte) in (("value", ord("}")), ("array", ord("]"))):
            self.stack.pop()
            return self.end_value
        self.pos -= 1
        context = {"key": "after object key", "value": "after object key:value pair"}
        raise self.invalid(byte, context.get(top, "after array element"))

    def string(self) -> None:
        while True:
            self.pos = _PLAIN.match(self.data, self.pos).end()  # type: ignore[union-attr]
            if self.pos >= len(self.data):
                raise _Invalid(END_OF_INPUT)
            byte = self.data[self.pos]
            self.pos += 1
            if byte == ord('"'):
                return
            if byte == ord("\\"):
                self.escape()
            else:
                raise self.invalid(byte, "in string literal")

    def escape(self) -> None:
        byte = self.peek()
        self.pos += 1
        if byte in b'"\\/bfnrt':
            return
        if byte != ord("u"):
            raise self.invalid(byte, "in string escape code")
        for _ in range(4):
            byte = self.peek()
            if byte not in _HEX:
                raise self.invalid(byte, "in \\u hexadecimal character escape")
            self.pos += 1

    def number(self) -> None:
        if self.peek() == ord("-"):
            self.pos += 1
            if not ord("0") <= self.peek() <= ord("9"):
                raise self.invalid(self.peek(), "in numeric literal")
        first = self.peek()
        self.pos += 1
        if first != ord("0"):
            self.digits()
        if self.peek() == ord("."):
            self.pos += 1
            self.required_digits("after decimal point in numeric literal")
        if self.peek() in b"eE":
            self.pos += 1
            if self.peek() in b"+-":
                self.pos += 1
            self.required_digits("in exponent of numeric literal")

    def required_digits(self, context: str) -> None:
        if not ord("0") <= self.peek() <= ord("9"):
            raise self.invalid(self.peek(), context)
        self.digits()

    def digits(self) -> None:
        self.pos = _DIGITS.match(self.data, self.pos).end()  # type: ignore[union-attr]

    def literal(self, word: bytes) -> None:
        self.pos += 1
        for expected in word[1:]:
            if self.peek() != expected:
                name = word.decode()
                raise self.invalid(self.peek(), f"in literal {name} (expecting {quote_char(expected)})")
            self.pos += 1

    def next_structural(self) -> int:
        """The next byte after spaces; the end of the input here is Go's `unexpected end of JSON input`."""
        self.pos = _SPACE.match(self.data, self.pos).end()  # type: ignore[union-attr]
        if self.pos >= len(self.data):
            raise _Invalid(END_OF_INPUT)
        return self.data[self.pos]

    def peek(self) -> int:
        """The next byte; past the end, a space (Go's scanner feeds one at the end of the input)."""
        return self.data[self.pos] if self.pos < len(self.data) else ord(" ")

    @staticmethod
    def invalid(byte: int, context: str) -> _Invalid:
        return _Invalid(f"invalid character {quote_char(byte)} {context}")

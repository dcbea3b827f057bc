"""The tokenizer: condition text -> tokens with their offsets, as expr-lang's lexer splits it."""

from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass

from canarykit.conditions.compile_error import CompileError
from canarykit.conditions.strings import read_string


class Kind(enum.Enum):
    NUMBER = "number"
    STRING = "string"
    IDENT = "identifier"
    OPERATOR = "operator"
    BRACKET = "bracket"
    EOF = "end"


@dataclass(frozen=True, slots=True)
class Token:
    """One token; `value` is the decoded string or the number, `text` the source text."""

    kind: Kind
    text: str
    offset: int
    value: str | int | float = ""

    def is_op(self, *texts: str) -> bool:
        return self.kind is Kind.OPERATOR and self.text in texts

    def is_bracket(self, text: str) -> bool:
        return self.kind is Kind.BRACKET and self.text == text


WORD_OPERATORS = frozenset({"and", "or", "not", "in", "matches", "contains", "startsWith", "endsWith"})
_SYMBOLS = (
    "**", "??", "..", "==", "!=", "<=", ">=", "&&", "||", "?.",
    "!", "<", ">", "+", "-", "*", "/", "%", "^", "?", ":", ",", ".", "#", "|", "=", ";",
)  # fmt: skip
_BRACKETS = "()[]{}"
_NUMBER = re.compile(
    r"0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+"
    r"|(?:[0-9][0-9_]*(?:\.(?!\.)[0-9_]*)?|\.[0-9][0-9_]*)(?:[eE][+-]?[0-9_]+)?",
    re.ASCII,
)
_INT64_MAX = 2**63 - 1


def tokenize(source: str) -> list[Token]:
    """All tokens of `source`, ending with an EOF token. Raises `CompileError`."""
    tokens: list[Token] = []
    pos = 0
    while True:
        pos = _skip_space(source, pos)
        if pos >= len(source):
            tokens.append(Token(Kind.EOF, "", len(source)))
            return tokens
        token = _next_token(source, pos)
        tokens.append(token)
        pos = token.offset + len(token.text)


def _skip_space(source: str, pos: int) -> int:
    while pos < len(source):
        if source[pos].isspace():
            pos += 1
        elif source.startswith("//", pos):
            end = source.find("\n", pos)
            pos = len(source) if end < 0 else end
        elif source.startswith("/*", pos):
            end = source.find("*/", pos + 2)
            if end < 0:
                raise CompileError("unclosed comment", pos)
            pos = end + 2
        else:
            break
    return pos


def _next_token(source: str, pos: int) -> Token:
    char = source[pos]
    if _is_digit(char) or (char == "." and _is_digit(source[pos + 1 : pos + 2])):
        return _number(source, pos)
    if char in "\"'`":
        text, value = read_string(source, pos)
        return Token(Kind.STRING, text, pos, value)
    if _is_ident_start(char):
        end = pos + 1
        while end < len(source) and _is_ident_part(source[end]):
            end += 1
        word = source[pos:end]
        return Token(Kind.OPERATOR if word in WORD_OPERATORS else Kind.IDENT, word, pos)
    if char in _BRACKETS:
        return Token(Kind.BRACKET, char, pos)
    for symbol in _SYMBOLS:
        if source.startswith(symbol, pos) and not (symbol == "?." and source[pos + 2 : pos + 3].isdigit()):
            return Token(Kind.OPERATOR, symbol, pos)
    raise CompileError(f'unrecognized character "{char}"', pos)


def _is_digit(char: str) -> bool:
    return len(char) == 1 and "0" <= char <= "9"


def _is_ident_start(char: str) -> bool:
    return char.isalpha() or char in "_$"


def _is_ident_part(char: str) -> bool:
    return char.isalpha() or char in "_$" or "0" <= char <= "9"


def _number(source: str, pos: int) -> Token:
    match = _NUMBER.match(source, pos)
    if match is None:  # pragma: no cover - the caller saw a digit
        raise CompileError("bad number syntax", pos)
    text = match.group()
    end = match.end()
    if end < len(source) and _is_ident_part(source[end]):
        raise CompileError(f'bad number syntax: "{text}{source[end]}"', pos)
    return Token(Kind.NUMBER, text, pos, _number_value(text, pos))


def _number_value(text: str, pos: int) -> int | float:
    if text.endswith("_") or "__" in text or "_." in text or "._" in text:
        raise CompileError(f'bad number syntax: "{text}"', pos)
    prefixed = text[:2].lower() in ("0x", "0b", "0o")
    if not prefixed and ("." in text or "e" in text.lower()):
        number = float(text.replace("_", ""))
        if math.isinf(number):
            raise CompileError(f'invalid float literal: value out of range: "{text}"', pos)
        return number
    value = int(text.replace("_", ""), 0 if prefixed else 10)
    if value > _INT64_MAX:
        raise CompileError(f'invalid integer literal: value out of range: "{text}"', pos)
    return value

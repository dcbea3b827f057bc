"""Go's text conventions in Argo's messages: `strconv.Quote`, `strconv.ParseFloat`/`ParseInt` errors."""

from __future__ import annotations

import math
import re

_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")
_HEX = re.compile(r"[+-]?0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?[0-9]+\Z")
_INFINITY = re.compile(r"[+-]?(?:inf|infinity)\Z", re.IGNORECASE)


def go_quote(text: str) -> str:
    """Go's `strconv.Quote`: double quotes, Go escapes, printable Unicode kept as is."""
    out = ['"']
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif char.isprintable():
            out.append(char)
        elif ord(char) < 0x20 or char == "\x7f":
            out.append(f"\\x{ord(char):02x}")
        elif ord(char) < 0x10000:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    out.append('"')
    return "".join(out)


def go_parse_float(text: str) -> float:
    """Go's `strconv.ParseFloat(text, 64)`; raises `ValueError` with Go's message.

    Unlike Python's `float`, no spaces or underscores, no signed NaN, hexadecimal only with a `p` exponent,
    and a finite number too large for a float64 is `value out of range`.
    """
    if re.fullmatch(r"nan", text, re.IGNORECASE):
        return math.nan
    if _INFINITY.match(text):
        return -math.inf if text.startswith("-") else math.inf
    if _DECIMAL.match(text):
        value = float(text)
    elif _HEX.match(text):
        value = _hex_float(text)
    else:
        raise ValueError(f"strconv.ParseFloat: parsing {go_quote(text)}: invalid syntax")
    if math.isinf(value):
        raise ValueError(f"strconv.ParseFloat: parsing {go_quote(text)}: value out of range")
    return value


def go_parse_int(text: str, bits: int = 64) -> int:
    """Go's `strconv.ParseInt(text, 10, bits)`; raises `ValueError` with Go's message."""
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        raise ValueError(f"strconv.ParseInt: parsing {go_quote(text)}: invalid syntax")
    value = int(text)
    if not -(2 ** (bits - 1)) <= value < 2 ** (bits - 1):
        raise ValueError(f"strconv.ParseInt: parsing {go_quote(text)}: value out of range")
    return value


def _hex_float(text: str) -> float:
    sign = -1.0 if text.startswith("-") else 1.0
    try:
        return sign * float.fromhex(text.lstrip("+-"))
    except OverflowError:
        return sign * math.inf

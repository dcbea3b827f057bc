"""Literals: numbers in every notation expr accepts, strings with Go escapes, arrays, maps, comments."""

from __future__ import annotations

import math

import pytest
from condition_support import value


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("42", 42),
        ("0", 0),
        ("1_000_000", 1_000_000),
        ("0x1F", 31),
        ("0XfF", 255),
        ("0b101", 5),
        ("0o17", 15),
        ("9223372036854775807", 2**63 - 1),
    ],
)
def test_integers(source: str, expected: int) -> None:
    result = value(source)
    assert result == expected and type(result) is int


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("0.90", 0.9),
        ("1e3", 1000.0),
        ("1E-2", 0.01),
        (".5", 0.5),
        ("2.", 2.0),
        ("1_0.5", 10.5),
        ("3.5e+2", 350.0),
    ],
)
def test_floats(source: str, expected: float) -> None:
    result = value(source)
    assert result == expected and type(result) is float


def test_a_range_is_not_a_float() -> None:
    assert value("1..3") == (1, 2, 3)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('"double"', "double"),
        ("'single'", "single"),
        ("'it\\'s'", "it's"),
        ('"say \\"hi\\""', 'say "hi"'),
        ('"tab\\tnew\\nline"', "tab\tnew\nline"),
        ('"\\\\"', "\\"),
        ('"\\x41\\u00e9\\U0001F600"', "Aé😀"),
        ('"\\101"', "A"),
        ('"\\a\\b\\f\\r\\v"', "\a\b\f\r\v"),
        ("`raw \\n stays`", "raw \\n stays"),
        ("`two\nlines`", "two\nlines"),
        ('""', ""),
        ('"ünïcödé"', "ünïcödé"),
    ],
)
def test_strings(source: str, expected: str) -> None:
    assert value(source) == expected


def test_true_false_nil() -> None:
    assert value("true") is True
    assert value("false") is False
    assert value("nil") is None


def test_arrays() -> None:
    assert value("[1, 2.5, 'x', nil, true]") == [1, 2.5, "x", None, True]
    assert value("[]") == []
    assert value("[1, 2,]") == [1, 2]
    assert value("[[1], [2, [3]]]") == [[1], [2, [3]]]


def test_maps() -> None:
    assert value('{"a": 1, b: 2, 3: "c", (1 + 1): "two"}') == {"a": 1, "b": 2, 3: "c", 2: "two"}
    assert value("{}") == {}
    assert value("{a: 1,}") == {"a": 1}
    assert value("{in: 1}.in") == 1


def test_comments_are_ignored() -> None:
    assert value("1 + // one\n 2") == 3
    assert value("1 /* a block */ + 2") == 3


def test_whitespace_and_newlines_are_ignored() -> None:
    assert value("\n  1\t+\r\n2  ") == 3


def test_float_literal_keeps_ieee_values() -> None:
    assert math.isinf(value("1e308 * 10"))

"""expr-lang builtins and Argo's helpers, one by one."""

from __future__ import annotations

import math

import pytest
from condition_support import INF, NAN, error_of, value


def test_len() -> None:
    assert value("len(result)", [1, 2, 3]) == 3
    assert value("len(result)", []) == 0
    assert value("len(result)", {"a": 1}) == 1
    assert value("len('héllo')") == 5
    assert error_of("len(result)") == "invalid argument for len (type <nil>)"
    assert error_of("len(1.5)") == "invalid argument for len (type float64)"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("abs(-3)", 3),
        ("abs(3)", 3),
        ("abs(-2.5)", 2.5),
        ("ceil(1.2)", 2.0),
        ("ceil(-1.2)", -1.0),
        ("ceil(3)", 3.0),
        ("floor(1.8)", 1.0),
        ("floor(-1.2)", -2.0),
        ("round(2.5)", 3.0),
        ("round(-2.5)", -3.0),
        ("round(2.4)", 2.0),
        ("round(0.49999999999999994)", 0.0),
        ("round(7)", 7.0),
    ],
)
def test_math(source: str, expected: float) -> None:
    result = value(source)
    assert result == expected and type(result) is type(expected)


def test_math_keeps_nan_and_infinity() -> None:
    assert math.isnan(value("ceil(result)", NAN))
    assert value("floor(result)", INF) == INF
    assert value("round(result)", -INF) == -INF
    assert value("abs(result)", -INF) == INF


def test_math_needs_numbers() -> None:
    assert error_of("abs('x')") == "invalid argument for abs (type string)"
    assert error_of("ceil(nil)") == "invalid argument for ceil (type <nil>)"
    assert error_of("round(true)") == "invalid argument for round (type bool)"


def test_first_and_last() -> None:
    assert value("first(result)", [1, 2]) == 1
    assert value("last(result)", [1, 2]) == 2
    assert value("first(result)", []) is None
    assert value("last(result)") is None


def test_keys_and_values() -> None:
    assert value("keys(result)", {"a": 1, "b": 2}) == ("a", "b")
    assert value("values(result)", {"a": 1, "b": 2}) == (1, 2)
    assert error_of("keys(result)", [1]) == "invalid argument for keys (type []interface {})"
    assert error_of("values(nil)") == "invalid argument for values (type <nil>)"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("int(3.9)", 3),
        ("int(-3.9)", -3),
        ("int(4)", 4),
        ("int('42')", 42),
        ("int('-7')", -7),
        ("float(2)", 2.0),
        ("float('1.5')", 1.5),
        ("float('1e3')", 1000.0),
    ],
)
def test_conversions(source: str, expected: float) -> None:
    result = value(source)
    assert result == expected and type(result) is type(expected)


def test_conversion_errors() -> None:
    # expr's run-time words (builtin/lib.go Int and Float), as for `int(result.text)` on a web result
    assert error_of("int('4.2')") == "invalid operation: int(4.2)"
    assert error_of("int(nil)") == "invalid operation: int(<nil>)"
    assert error_of("float('abc')") == "invalid operation: float(abc)"
    assert error_of("float([1])") == "invalid operation: float([]interface {})"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("string(1)", "1"),
        ("string(0.95)", "0.95"),
        ("string(100.0)", "100"),
        ("string(123456.0)", "123456"),
        ("string(1000000.0)", "1e+06"),
        ("string(0.0001)", "0.0001"),
        ("string(0.00001)", "1e-05"),
        ("string(-1.5e-7)", "-1.5e-07"),
        ("string(1e21)", "1e+21"),
        ("string(-0.0)", "-0"),
        ("string(0 / 0)", "NaN"),
        ("string(1 / 0)", "+Inf"),
        ("string(-1 / 0)", "-Inf"),
        ("string(true)", "true"),
        ("string(nil)", "<nil>"),
        ("string('s')", "s"),
        ("string([1, 'a', nil, 2.5])", "[1 a <nil> 2.5]"),
        ("string({'b': 1, 'a': [true]})", "map[a:[true] b:1]"),
    ],
)
def test_string_formats_like_go(source: str, expected: str) -> None:
    assert value(source) == expected


def test_sum_mean_median() -> None:
    assert value("sum(result)", [1, 2, 3]) == 6 and type(value("sum(result)", [1, 2, 3])) is int
    assert value("sum(result)", [1, 2.5]) == 3.5
    assert value("sum(result)", []) == 0
    assert value("mean(result)", [1, 2]) == 1.5
    assert value("mean(result)", []) == 0.0
    assert value("mean(1, 2, 3)") == 2.0
    assert value("median(result)", [3, 1, 2]) == 2.0
    assert value("median(result)", [4, 1, 3, 2]) == 2.5
    assert value("median(result)", []) == 0.0
    assert math.isnan(value("mean(result)", [1, NAN]))


def test_min_and_max() -> None:
    assert value("min(result)", [3, 1, 2]) == 1
    assert value("max(result)", [3, 1, 2]) == 3
    assert value("min(4, 2.5, 3)") == 2.5
    assert value("max(1, [5, 2], 3)") == 5
    assert value("min(result)", []) is None
    assert value("max(result)", [INF, 1]) == INF


def test_aggregates_need_numbers() -> None:
    # sum adds each element to the running total with `+` (expr's compiler), so `"a" + 1` fails
    assert error_of("sum(result)", [1, "a"]) == "invalid operation: string + int"
    assert error_of("min('a', 'b')") == "invalid argument for min (type string)"
    assert error_of("mean(result)", [None]) == "invalid argument for mean (type <nil>)"
    assert error_of("sum(result)") == "reflect: call of reflect.Value.Len on zero Value"
    assert error_of("count(result)", 1.5) == "reflect: call of reflect.Value.Len on float64 Value"


def test_count_without_predicate_counts_true() -> None:
    assert value("count(result)", [True, False, True]) == 2
    assert value("count(result)", []) == 0
    assert error_of("count(result)", [1.0]) == "interface conversion: interface {} is float64, not bool"


def test_is_nan_and_is_inf() -> None:
    assert value("isNaN(result[0])", [NAN]) is True
    assert value("isNaN(result[0])", [0.5]) is False
    assert value("isNaN(1)") is False
    assert value("isInf(result[0])", [INF]) is True
    assert value("isInf(result[0])", [-INF]) is True
    assert value("isInf(result[0])", [1e308]) is False
    # what the type check lets through (an `interface {}`) fails Go's type assertion at run time
    assert error_of("isNaN('x')") == "interface conversion: interface {} is string, not float64"
    assert error_of("isInf(result)") == "interface conversion: interface {} is nil, not float64"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("asInt(4.9)", 4),
        ("asInt(-4.9)", -4),
        ("asInt(7)", 7),
        ("asInt('42')", 42),
        ("asInt('+42')", 42),
        ("asInt('-42')", -42),
        ("asFloat(2)", 2.0),
        ("asFloat(2.5)", 2.5),
        ("asFloat('0.95')", 0.95),
        ("asFloat('1e3')", 1000.0),
        ("asFloat('.5')", 0.5),
        ("asFloat('-Inf')", -INF),
        ("asFloat('+infinity')", INF),
    ],
)
def test_argo_conversions(source: str, expected: float) -> None:
    result = value(source)
    assert result == expected and type(result) is type(expected)


def test_as_float_nan() -> None:
    assert math.isnan(value("asFloat('NaN')"))


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("asInt('4.2')", 'strconv.ParseInt: parsing "4.2": invalid syntax'),
        ("asInt(' 4')", 'strconv.ParseInt: parsing " 4": invalid syntax'),
        ("asInt('1_000')", 'strconv.ParseInt: parsing "1_000": invalid syntax'),
        ("asInt('٣')", 'strconv.ParseInt: parsing "٣": invalid syntax'),
        (
            "asInt('9223372036854775808')",
            'strconv.ParseInt: parsing "9223372036854775808": value out of range',
        ),
        ("asInt(nil)", "asInt() not supported on <nil> <nil>"),  # Argo's panic text, as expr reports it
        ("asInt(true)", "asInt() not supported on bool true"),
        ("asFloat('abc')", 'strconv.ParseFloat: parsing "abc": invalid syntax'),
        ("asFloat('1e400')", 'strconv.ParseFloat: parsing "1e400": value out of range'),
        ("asFloat('1_0')", 'strconv.ParseFloat: parsing "1_0": invalid syntax'),
        ("asFloat([1])", "asFloat() not supported on []interface {} [1]"),
    ],
)
def test_argo_conversion_errors(source: str, message: str) -> None:
    assert error_of(source) == message


def test_as_int_of_nan_is_min_int64_like_go_on_amd64() -> None:
    assert value("asInt(result)", NAN) == -(2**63)

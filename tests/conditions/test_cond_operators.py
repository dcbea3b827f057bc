"""Operators with expr-lang (Go) semantics: int64 arithmetic, float division, typed comparisons."""

from __future__ import annotations

import math
import re
from typing import Any

import pytest
from condition_support import INF, NAN, error_of, value

from canarykit.conditions import compile_condition
from canarykit.errors import ConditionEvaluationError


def checked_error(source: str, result: Any = None) -> str:
    """The error of evaluating a whole condition: expr's type check first, then its run time."""
    with pytest.raises(ConditionEvaluationError) as caught:
        compile_condition(source).evaluate(result)
    return str(caught.value)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 + 2", 3),
        ("1 + 2.5", 3.5),
        ("5 - 7", -2),
        ("3 * 4", 12),
        ("3 * 0.5", 1.5),
        ("7 % 3", 1),
        ("-7 % 3", -1),
        ("7 % -3", 1),
        ("-7 % -3", -1),
        ("-3", -3),
        ("+3", 3),
        ("--3", 3),
        ("-(1.5)", -1.5),
        ("'con' + 'cat'", "concat"),
    ],
)
def test_arithmetic(source: str, expected: Any) -> None:
    result = value(source)
    assert result == expected and type(result) is type(expected)


def test_division_is_always_float() -> None:
    assert value("1 / 2") == 0.5
    assert value("4 / 2") == 2.0 and type(value("4 / 2")) is float


def test_division_by_zero_follows_ieee() -> None:
    assert value("1 / 0") == INF
    assert value("-1 / 0") == -INF
    assert value("1 / -0.0") == -INF
    assert math.isnan(value("0 / 0"))
    assert math.isnan(value("0.0 / 0.0"))


def test_modulo_by_zero_is_an_error() -> None:
    assert error_of("1 % 0") == "integer divide by zero"


def test_modulo_needs_integers() -> None:
    assert error_of("1.5 % 1") == "invalid operation: float64 % int"


def test_power_is_float_and_right_associative() -> None:
    assert value("2 ** 10") == 1024.0 and type(value("2 ** 10")) is float
    assert value("2 ** 3 ** 2") == 512.0
    assert value("2 ^ 3") == 8.0
    assert value("4 ** 0.5") == 2.0
    assert value("2 ** -1") == 0.5


def test_power_special_cases_follow_go() -> None:
    assert value("0 ** -1") == INF
    assert math.isnan(value("(-8) ** (1 / 3)"))
    assert value("10.0 ** 400") == INF
    assert value("(-10.0) ** 401") == -INF


def test_int64_overflow_wraps_like_go() -> None:
    assert value("9223372036854775807 + 1") == -(2**63)
    assert value("-9223372036854775807 - 2") == 2**63 - 1
    assert value("4611686018427387904 * 4") == 0


@pytest.mark.parametrize(
    ("source", "checked", "at_run_time"),
    [
        (
            "'a' + 1",
            "invalid operation: + (mismatched types string and int)",
            "invalid operation: string + int",
        ),
        (
            "nil + 1",
            "invalid operation: + (mismatched types unknown and int)",
            "invalid operation: <nil> + int",
        ),
        (
            "[1] + [2]",
            "invalid operation: + (mismatched types []interface {} and []interface {})",
            "invalid operation: []interface {} + []interface {}",
        ),
        (
            "'a' - 'b'",
            "invalid operation: - (mismatched types string and string)",
            "invalid operation: string - string",
        ),
        ("true * 2", "invalid operation: * (mismatched types bool and int)", "invalid operation: bool * int"),
        (
            "'a' / 2",
            "invalid operation: / (mismatched types string and int)",
            "invalid operation: string / int",
        ),
        (
            "'a' ** 2",
            "invalid operation: ** (mismatched types string and int)",
            "invalid operation: float(string)",
        ),
        ("-'a'", "invalid operation: - (mismatched type string)", "invalid operation: - string"),
        (
            "!1",
            "invalid operation: ! (mismatched type int)",
            "interface conversion: interface {} is int, not bool",
        ),
        (
            "not 'x'",
            "invalid operation: not (mismatched type string)",
            "interface conversion: interface {} is string, not bool",
        ),
    ],
)
def test_type_errors(source: str, checked: str, at_run_time: str) -> None:
    """Literals are refused by expr's type check; the same values reached at run time (through a JSON field,
    typed `interface {}`) fail with the words of expr's machine (vm/runtime), as the Go oracle showed."""
    with pytest.raises(ConditionEvaluationError) as caught:
        compile_condition(f"({source}) == nil").evaluate(None)
    assert str(caught.value) == checked
    assert error_of(source) == at_run_time


def test_unary_plus_is_checked_but_not_run() -> None:
    with pytest.raises(
        ConditionEvaluationError, match=r"^invalid operation: \+ \(mismatched type unknown\)$"
    ):
        compile_condition("+nil == nil").evaluate(None)
    assert value("+result", "x") == "x"  # expr's machine leaves the operand as it is


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 == 1.0", True),
        ("1 != 1.0", False),
        ("'a' == 'a'", True),
        ("nil == nil", True),
        ("nil == 0", False),
        ("nil != false", True),
        ("[1, 2] == [1.0, 2]", True),
        ("[1, 2] == [1, 2, 3]", False),
        ("[1, [2]] == [1, [2]]", True),
        ("{'a': 1} == {'a': 1.0}", True),
        ("{'a': 1} == {'b': 1}", False),
        ("1 < 2", True),
        ("2 <= 2", True),
        ("3 > 2.5", True),
        ("2 >= 3", False),
        ("'abc' < 'abd'", True),
        ("'b' > 'a'", True),
    ],
)
def test_comparisons(source: str, expected: bool) -> None:
    assert compile_condition(source).evaluate(None) is expected


@pytest.mark.parametrize(
    ("source", "mismatched"),
    [
        ("'a' == 1", "string and int"),
        ("true == 1", "bool and int"),
        ("{'a': 1} == [1]", "map[string]interface {} and []interface {}"),
    ],
)
def test_comparing_different_types_is_an_error_unless_one_is_unknown(source: str, mismatched: str) -> None:
    """Literal types are known, so expr's checker refuses the comparison; values of `interface {}`
    (JSON fields) compare to false at run time."""
    with pytest.raises(
        ConditionEvaluationError, match=re.escape(f"invalid operation: == (mismatched types {mismatched})")
    ):
        compile_condition(source).evaluate(None)
    assert value(source) is False


def test_chained_comparisons_mean_and() -> None:
    assert value("1 < 2 < 3") is True
    assert value("1 < 3 < 2") is False
    assert value("3 > 2 >= 2") is True
    assert value("1 < result <= 5", 5) is True
    assert value("1 < result <= 5", 6) is False


def test_nan_compares_false_with_everything() -> None:
    for source in ("result > 0", "result < 0", "result >= 0", "result <= 0", "result == result"):
        assert value(source, NAN) is False
    assert value("result != result", NAN) is True
    assert value("result in [result]", NAN) is False


def test_infinity_compares_as_a_number() -> None:
    assert value("result >= 0.9", INF) is True
    assert value("result < 0", -INF) is True


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("nil > 0.9", "invalid operation: <nil> > float64"),
        ("'a' < 1", "invalid operation: string < int"),
        ("[1] <= [2]", "invalid operation: []interface {} <= []interface {}"),
        ("true >= false", "invalid operation: bool >= bool"),
    ],
)
def test_ordering_incompatible_types_is_an_error(source: str, message: str) -> None:
    assert error_of(source) == message


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("true && true", True),
        ("true && false", False),
        ("false || true", True),
        ("false or false", False),
        ("true and true", True),
        ("!false", True),
        ("not true", False),
        ("!!true", True),
        ("true && true && false", False),
        ("false || false || true", True),
    ],
)
def test_logic(source: str, expected: bool) -> None:
    assert value(source) is expected


def test_logic_short_circuits() -> None:
    assert value("false && result[5] > 1", []) is False
    assert value("true || result[5] > 1", []) is True


def test_logic_needs_bools() -> None:
    assert checked_error("1 && true") == "invalid operation: && (mismatched types int and bool)"
    assert checked_error("false or 'x'") == "invalid operation: or (mismatched types bool and string)"
    assert checked_error("nil ? 1 : 2") == "non-bool expression (type unknown) used as condition"
    # at run time expr's machine asserts the left operand only: `false or x` is x, whatever x holds
    assert error_of("1 && true") == "interface conversion: interface {} is int, not bool"
    assert value("false or 'x'") == "x"
    assert error_of("nil ? 1 : 2") == "interface conversion: interface {} is nil, not bool"
    assert checked_error("false or result.x", {"x": "x"}) == "expected bool, but got string"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("2 in [1, 2]", True),
        ("2.0 in [1, 2]", True),
        ("3 in [1, 2]", False),
        ("3 not in [1, 2]", True),
        ("'a' in {'a': 1}", True),
        ("'b' in {'a': 1}", False),
        ("'b' not in {'a': 1}", True),
        ("1 in nil", False),
        ("nil in [nil]", True),
        ("[1] in [[1], [2]]", True),
        ("2 in 1..3", True),
    ],
)
def test_membership(source: str, expected: bool) -> None:
    assert value(source) is expected


def test_membership_in_a_string_is_an_error() -> None:
    assert error_of("'a' in 'abc'") == 'operator "in" not defined on string'


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("'abc' matches '^a.c$'", True),
        ("'xabcx' matches 'b'", True),
        ("'abc' matches '^b'", False),
        ("'abc' not matches '^b'", True),
        ("'abc' contains 'bc'", True),
        ("'abc' not contains 'x'", True),
        ("'abc' startsWith 'ab'", True),
        ("'abc' not startsWith 'ab'", False),
        ("'abc' endsWith 'bc'", True),
        ("'abc' not endsWith 'bc'", False),
    ],
)
def test_string_operators(source: str, expected: bool) -> None:
    assert value(source) is expected


def test_string_operators_need_strings() -> None:
    assert checked_error("1 contains 'a'") == "invalid operation: contains (mismatched types int and string)"
    assert (
        checked_error("'a' startsWith nil")
        == "invalid operation: startsWith (mismatched types string and unknown)"
    )
    assert checked_error("'a' matches 1") == "invalid operation: matches (mismatched types string and int)"
    # values typed `interface {}` reach expr's machine: a nil operand gives false, another type fails
    assert error_of("1 contains 'a'") == "interface conversion: interface {} is int, not string"
    assert value("'a' startsWith nil") is False
    assert error_of("'a' matches 1") == "interface conversion: interface {} is int, not string"
    assert error_of("'x' matches result", "(").startswith("error parsing regexp:")


def test_dynamic_regex() -> None:
    assert value("'status=200' matches result", "=2\\d\\d$") is True


def test_ternary() -> None:
    assert value("true ? 1 : 2") == 1
    assert value("false ? 1 : 2") == 2
    assert value("false ? 1 : true ? 2 : 3") == 2
    assert value("false ? result[9] : 0", []) == 0  # the branch not taken is not evaluated


def test_elvis() -> None:
    assert value("true ?: false") is True
    assert value("false ?: 7") == 7


def test_nil_coalescing() -> None:
    assert value("nil ?? 3") == 3
    assert value("1 ?? 3") == 1
    assert value("false ?? 3") is False
    assert value("nil ?? nil ?? 4") == 4
    assert value("result.missing ?? 'x'", {}) == "x"
    assert value("result ?? result[0]", 5) == 5  # the right side is not evaluated


def test_range() -> None:
    assert value("1..3") == (1, 2, 3)
    assert value("3..1") == ()
    assert value("-1..1") == (-1, 0, 1)
    assert checked_error("(1.5..3) == nil") == "invalid operation: .. (mismatched types float64 and int)"
    assert value("result .. 3", 1.5) == (1, 2, 3)  # at run time expr's ToInt truncates

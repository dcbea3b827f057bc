"""Operator precedence and associativity, as in expr-lang's operator table (v1.17)."""

from __future__ import annotations

import pytest
from condition_support import value

from canarykit.conditions import compile_condition
from canarykit.errors import ConditionEvaluationError, ConditionSyntaxError


@pytest.mark.parametrize(
    ("implicit", "explicit"),
    [
        ("1 + 2 * 3", "1 + (2 * 3)"),
        ("10 - 4 - 3", "(10 - 4) - 3"),
        ("2 * 3 % 4", "(2 * 3) % 4"),
        ("12 / 2 / 3", "(12 / 2) / 3"),
        ("2 ** 3 ** 2", "2 ** (3 ** 2)"),
        ("-2 ** 2", "-(2 ** 2)"),
        ("2 * 3 ** 2", "2 * (3 ** 2)"),
        ("-2 * 3", "(-2) * 3"),
        ("1 + 2 == 3", "(1 + 2) == 3"),
        ("1 + 1 .. 2 + 1", "(1 + 1) .. (2 + 1)"),
        ("2 in 1..3", "2 in (1..3)"),
        ("1 < 2 == true", "(1 < 2) == true"),
        ("true || false && false", "true || (false && false)"),
        ("true or false and false", "true or (false and false)"),
        ("false && true || true", "(false && true) || true"),
        ("1 == 1 && 2 == 2", "(1 == 1) && (2 == 2)"),
        ("!false && false", "(!false) && false"),
        ("not true == false", "(not true) == false"),
        ("!true || true", "(!true) || true"),
        ("nil ?? 1 + 2", None),  # mixing ?? with + is a syntax error, checked below
        ("1 + nil ?? 2", "1 + (nil ?? 2)"),
        ("true ? 1 : 2 + 3", "true ? 1 : (2 + 3)"),
        ("false ? 1 : 2 + 3", "false ? 1 : (2 + 3)"),
        ("1 > 2 ? 'a' : 'b'", "(1 > 2) ? 'a' : 'b'"),
        ("true || false ? 1 : 2", "(true || false) ? 1 : 2"),
        ("'a' + 'b' contains 'ab'", "('a' + 'b') contains 'ab'"),
        ("'ab' matches 'a' && true", "('ab' matches 'a') && true"),
        ("-result[0]", "-(result[0])"),
        ("2 * result.a", "2 * (result.a)"),
    ],
)
def test_precedence(implicit: str, explicit: str | None) -> None:
    if explicit is None:
        with pytest.raises(ConditionSyntaxError, match="cannot be mixed"):
            compile_condition(implicit)
        return
    result = {"a": 4, 0: 1} if "result.a" in implicit else [3]
    assert value(implicit, result) == value(explicit, result)


def test_unary_not_binds_tighter_than_comparison_so_not_x_in_y_fails() -> None:
    """expr parses `not 1 in [1]` as `(not 1) in [1]`, an error; `1 not in [1]` is the way."""
    with pytest.raises(ConditionEvaluationError, match=r"^invalid operation: not \(mismatched type int\)$"):
        compile_condition("not 1 in [1]").evaluate(None)
    with pytest.raises(ConditionEvaluationError, match=r"interface {} is int, not bool"):
        value("not 1 in [1]")
    assert value("1 not in [1]") is False


def test_coalesce_binds_tightest_and_does_not_mix() -> None:
    assert value("1 + result.a ?? 0", {"a": 5}) == 6
    assert value("(result.a ?? 0) > 1", {}) is False
    with pytest.raises(ConditionSyntaxError) as caught:
        compile_condition("result.a ?? 0 > 1")
    assert caught.value.reason == (
        "Operator (>) and coalesce expressions (??) cannot be mixed. Wrap either by parentheses. (1:15)"
    )
    assert caught.value.column == 15


def test_condition_with_every_level() -> None:
    condition = compile_condition(
        "len(result) > 0 && result[0] * 100 >= 90 || (result[0] ?? 0) == 1 ? true : false"
    )
    assert condition.evaluate([0.95]) is True
    assert condition.evaluate([0.5]) is False

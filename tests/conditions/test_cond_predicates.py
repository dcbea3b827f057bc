"""Predicate functions: `all any none one filter map count sum` with `#`, `{...}`, `.field` and nesting."""

from __future__ import annotations

import pytest
from condition_support import value

from canarykit.conditions import compile_condition
from canarykit.conditions.gotypes import Float64s, freeze
from canarykit.errors import ConditionEvaluationError, ConditionSyntaxError

PODS = [{"name": "a", "ready": True, "rate": 0.99}, {"name": "b", "ready": False, "rate": 0.5}]


@pytest.mark.parametrize(
    ("source", "result", "expected"),
    [
        ("all(result, # > 1)", [2, 3], True),
        ("all(result, # > 1)", [1, 3], False),
        ("all(result, # > 1)", [], True),
        ("any(result, # > 2)", [1, 3], True),
        ("any(result, # > 3)", [1, 3], False),
        ("any(result, # > 3)", [], False),
        ("none(result, # > 3)", [1, 3], True),
        ("none(result, # > 2)", [1, 3], False),
        ("one(result, # > 2)", [1, 3], True),
        ("one(result, # > 0)", [1, 3], False),
        ("one(result, # > 5)", [1, 3], False),
    ],
)
def test_boolean_predicates(source: str, result: list[int], expected: bool) -> None:
    assert compile_condition(source).evaluate(result) is expected


def test_braced_predicates() -> None:
    assert value("all(result, {# > 1})", [2, 3]) is True
    assert value("filter(result, {# % 2 == 0})", [1, 2, 3, 4]) == [2, 4]
    assert value("map(result, {# * 10})", [1, 2]) == [10, 20]


def test_filter_map_count_sum() -> None:
    assert value("filter(result, # > 1)", [1, 2, 3]) == [2, 3]
    assert value("map(result, # * 2)", [1, 2, 3]) == [2, 4, 6]
    assert value("count(result, # > 1)", [1, 2, 3]) == 2
    assert value("sum(result, # * 2)", [1, 2]) == 6
    assert value("len(filter(result, # > 0.9)) >= 2", [0.95, 0.91, 0.2]) is True


def test_field_shorthand_and_pointer_members() -> None:
    assert value("filter(result, .ready)", PODS) == [freeze(PODS[0])]
    assert value("map(result, .name)", PODS) == ["a", "b"]
    assert value("all(result, #.rate > 0.4)", PODS) is True
    assert value("any(result, .rate < 0.9 && !.ready)", PODS) is True


def test_nested_predicates_use_the_innermost_element() -> None:
    assert value("all(result, all(#, # > 0))", [[1, 2], [3]]) is True
    assert value("all(result, all(#, # > 1))", [[1, 2], [3]]) is False
    assert value("map(result, map(#, # + 1))", [[1], [2, 3]]) == [[2], [3, 4]]
    assert value("map(result, count(#, # > 1))", [[1], [2, 3]]) == [0, 2]
    assert value("any(result, any(#.items, # == 'x'))", [{"items": ["y"]}, {"items": ["x"]}]) is True


def test_predicates_over_literals_and_ranges() -> None:
    assert value("all(1..5, # > 0)") is True
    assert value("filter([1, 'a', nil], # != nil)") == [1, "a"]
    assert value("map(1..3, # ** 2)") == [1.0, 4.0, 9.0]


def test_predicate_must_give_bool() -> None:
    with pytest.raises(ConditionEvaluationError, match=r"^predicate should return boolean \(got int\)$"):
        compile_condition("all([1, 2], #)").evaluate(None)
    with pytest.raises(ConditionEvaluationError, match=r"^predicate should return boolean \(got float64\)$"):
        compile_condition("filter(result, # * 2) == []").evaluate(Float64s([1.5]))
    # elements of `[]interface {}` are checked at run time, in the words of expr's machine
    with pytest.raises(
        ConditionEvaluationError, match=r"interface conversion: interface \{\} is int, not bool"
    ):
        value("all(result, #)", [1])
    with pytest.raises(
        ConditionEvaluationError, match=r"interface conversion: interface \{\} is float64, not bool"
    ):
        value("filter(result, # * 2)", [1.5])


def test_predicate_needs_an_array() -> None:
    with pytest.raises(ConditionEvaluationError, match=r"^builtin all takes only array \(got unknown\)$"):
        compile_condition("all(result, # > 0)").evaluate(None)
    with pytest.raises(ConditionEvaluationError, match=r"^builtin map takes only array \(got string\)$"):
        compile_condition("map('abc', #) == []").evaluate(None)
    with pytest.raises(ConditionEvaluationError, match=r"reflect: call of reflect.Value.Len on zero Value"):
        value("all(result, # > 0)")
    with pytest.raises(ConditionEvaluationError, match=r"invalid argument for map \(type string\)"):
        value("map('abc', #)")


def test_errors_inside_predicates_are_evaluation_errors() -> None:
    with pytest.raises(ConditionEvaluationError, match="index out of range"):
        value("all(result, #[0] > 0)", [[1], []])


@pytest.mark.parametrize(
    ("source", "message", "column"),
    [
        ("# > 1", "cannot use pointer accessor outside predicate", 1),
        ("result[0] > .x", "cannot use pointer accessor outside predicate", 13),
        ("all(result)", "expected at least 2 arguments", 1),
        ("filter()", "expected at least 2 arguments", 1),
        ("count()", "expected at least 2 arguments", 1),
        ("all(result, # > 1, 3)", "too many arguments to call all", 1),
        ("map(result, #index)", "unknown pointer #index", 13),
        ("all(result, {# > 1)", 'unexpected token ")"', 19),
    ],
)
def test_predicate_syntax_errors(source: str, message: str, column: int) -> None:
    with pytest.raises(ConditionSyntaxError) as caught:
        compile_condition(source)
    assert caught.value.reason == f"{message} (1:{column})"
    assert caught.value.column == column

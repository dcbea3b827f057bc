"""Safety limits: every abuse ends quickly in a clear `ConditionEvaluationError`."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from canarykit.conditions import (
    MAX_ITERATIONS,
    MAX_LIST_LENGTH,
    MAX_POWER,
    MAX_STRING_LENGTH,
    compile_condition,
)
from canarykit.conditions.limits import MAX_RESULT_DEPTH, MAX_WORK
from canarykit.errors import ConditionEvaluationError


def evaluation_error(expression: str, result: Any = None) -> str:
    condition = compile_condition(expression)
    with pytest.raises(ConditionEvaluationError) as caught:
        condition.evaluate(result)
    return str(caught.value)


def test_power_tower_is_refused_at_once() -> None:
    assert evaluation_error("9**9**9 > 0") == f"exponent 3.87420489e+08 is too large (limit {MAX_POWER})"


def test_exponent_limit_is_inclusive() -> None:
    assert compile_condition(f"2 ** {MAX_POWER} > 0").evaluate(None) is True
    assert evaluation_error(f"2 ** {MAX_POWER + 1} > 0").startswith(f"exponent {MAX_POWER + 1} is too large")
    assert evaluation_error("2 ** result > 0", float("inf")).startswith("exponent +Inf is too large")


def test_string_concatenation_is_capped() -> None:
    half = "x" * (MAX_STRING_LENGTH // 2)
    assert compile_condition(f"len(result + result) == {MAX_STRING_LENGTH}").evaluate(half) is True
    message = evaluation_error("len(result + result + 'y') > 0", half)
    assert message == f"string longer than {MAX_STRING_LENGTH} characters"


def test_string_conversion_is_capped() -> None:
    assert evaluation_error("len(string(result)) > 0", ["x" * 60_000, "y" * 60_000]).startswith(
        "string longer than"
    )


def test_range_length_is_capped() -> None:
    assert compile_condition(f"len(1..{MAX_LIST_LENGTH}) == {MAX_LIST_LENGTH}").evaluate(None) is True
    message = evaluation_error(f"len(1..{MAX_LIST_LENGTH + 1}) > 0")
    assert message == f"range 1..{MAX_LIST_LENGTH + 1} is longer than {MAX_LIST_LENGTH} elements"


def test_predicate_iterations_are_capped_in_total() -> None:
    assert compile_condition("all(result, # >= 0)").evaluate([1] * MAX_ITERATIONS) is True
    message = evaluation_error("all(result, # >= 0)", [1] * (MAX_ITERATIONS + 1))
    assert message == f"too many elements to iterate over (limit {MAX_ITERATIONS} in total)"
    half = [1] * (MAX_ITERATIONS // 2 + 1)
    assert evaluation_error("all(result, # >= 0) && any(result, # > 5)", half).startswith("too many elements")


def test_nested_ranges_cannot_build_huge_lists() -> None:
    message = evaluation_error("len(map(1..10000, 1..10000)) > 0")
    assert message == f"condition needs too much work (limit {MAX_WORK} elements per evaluation)"


@pytest.mark.parametrize(
    "expression",
    [
        "all(result, # in result)",
        "all(result, # <= max(result))",
        "all(result, result == result)",
        "all(result, len(result[1:]) > 0)",
        "len(map(result, string(result))) > 0",
    ],
)
def test_quadratic_conditions_stop_early(expression: str) -> None:
    assert evaluation_error(expression, [0.5] * 5000).startswith("condition needs too much work")


def test_the_work_budget_is_per_evaluation() -> None:
    condition = compile_condition("all(result, # in result)")
    small = [0.5] * 500  # 250 000 units each time
    for _ in range(10):
        assert condition.evaluate(small) is True


def test_result_nesting_is_capped() -> None:
    nested: Any = 1
    for _ in range(MAX_RESULT_DEPTH + 1):
        nested = [nested]
    message = evaluation_error("result != nil", nested)
    assert message == f"result is nested more than {MAX_RESULT_DEPTH} levels deep"


def test_cyclic_result_is_refused() -> None:
    cyclic: list[Any] = [1]
    cyclic.append(cyclic)
    assert evaluation_error("len(result) == 2", cyclic).startswith("result is nested more than")


def test_unsupported_result_values_are_refused() -> None:
    assert evaluation_error("result != nil", object()) == "unsupported result value of type object"
    assert evaluation_error("result != nil", [print]).startswith("unsupported result value of type")


def test_python_recursion_limit_becomes_an_evaluation_error() -> None:
    condition = compile_condition("abs(" * 45 + "-1" + ")" * 45 + " == 1")
    assert condition.evaluate(None) is True
    limit = sys.getrecursionlimit()

    def deep(levels: int) -> None:
        if levels:
            deep(levels - 1)
            return
        sys.setrecursionlimit(len_of_stack() + 60)
        try:
            condition.evaluate(None)
        finally:
            sys.setrecursionlimit(limit)

    with pytest.raises(ConditionEvaluationError, match="nested too deeply to evaluate"):
        deep(10)
    assert condition.evaluate(None) is True  # the evaluator still works afterwards


def len_of_stack() -> int:
    frame = sys._getframe()
    depth = 0
    while frame is not None:
        depth += 1
        frame = frame.f_back  # type: ignore[assignment]
    return depth

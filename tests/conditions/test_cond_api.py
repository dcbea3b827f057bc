"""The public API: `compile_condition`, `Condition` (immutable, reusable, thread-safe), Python callables."""

from __future__ import annotations

import copy
import math
import pickle
import threading
import time
from typing import Any

import pytest

import canarykit.conditions as conditions
from canarykit.conditions import Condition, compile_condition
from canarykit.errors import ConditionEvaluationError


def test_public_names() -> None:
    assert {"Condition", "compile_condition", "MAX_EXPRESSION_LENGTH", "MAX_POWER"} <= set(conditions.__all__)
    assert all(hasattr(conditions, name) for name in conditions.__all__)


def test_compile_and_evaluate() -> None:
    condition = compile_condition("result[0] > 0.90")
    assert isinstance(condition, Condition)
    assert condition.source == "result[0] > 0.90"
    assert condition.evaluate([0.95]) is True
    assert condition([0.85]) is False
    assert repr(condition) == "Condition('result[0] > 0.90')"


def test_a_condition_compiles_to_itself() -> None:
    condition = compile_condition("true")
    assert compile_condition(condition) is condition


def test_conditions_are_immutable() -> None:
    condition = compile_condition("true")
    with pytest.raises(AttributeError):
        condition.source = "false"
    with pytest.raises(AttributeError):
        del condition.source
    with pytest.raises(AttributeError):
        condition.extra = 1
    assert condition.source == "true" and condition.evaluate(None) is True


def test_a_condition_is_reusable_after_errors() -> None:
    condition = compile_condition("result[0] > 0.90")
    with pytest.raises(ConditionEvaluationError):
        condition.evaluate([])
    with pytest.raises(ConditionEvaluationError):
        condition.evaluate(["x"])
    assert condition.evaluate([0.95]) is True


def test_errors_inside_predicates_leave_the_evaluator_clean() -> None:
    failing = compile_condition("all(result, # > 0)")
    with pytest.raises(ConditionEvaluationError):
        failing.evaluate([1, None])
    assert compile_condition("map(result, #)[0] == 7").evaluate([7]) is True


def test_same_text_compiles_to_equivalent_conditions() -> None:
    first, second = compile_condition("result > 1"), compile_condition("result > 1")
    assert first.evaluate(2) is second.evaluate(2) is True


def named_check(result: Any) -> bool:
    return bool(result[0] > 0.9)


class TestCallables:
    def test_a_function_is_wrapped(self) -> None:
        condition = compile_condition(named_check)
        assert condition.source == "<named_check>"
        assert condition.evaluate([0.95]) is True
        assert condition([0.5]) is False

    def test_a_lambda_is_wrapped(self) -> None:
        condition = compile_condition(lambda r: len(r) == 0)
        assert condition.source == "<lambda>"
        assert condition.evaluate([]) is True

    def test_a_callable_object_is_wrapped(self) -> None:
        class Threshold:
            def __call__(self, result: Any) -> bool:
                return bool(result > 1)

        condition = compile_condition(Threshold())
        assert condition.source == "<Threshold>" and condition.evaluate(2) is True

    def test_the_callable_gets_the_result_as_read_only_data(self) -> None:
        seen: list[Any] = []

        def capture(result: Any) -> bool:
            seen.append(result)
            return True

        compile_condition(capture).evaluate([1, 2])
        assert seen == [(1, 2)]

    def test_a_non_bool_return_is_an_evaluation_error(self) -> None:
        with pytest.raises(ConditionEvaluationError, match=r"^expected bool, but got float64$"):
            compile_condition(lambda r: r[0]).evaluate([0.95])

        def constant(value: Any) -> Any:
            return lambda _: value

        with pytest.raises(ConditionEvaluationError, match=r"^expected bool, but got <nil>$"):
            compile_condition(constant(None)).evaluate([0.95])
        with pytest.raises(ConditionEvaluationError, match=r"^expected bool, but got int$"):
            compile_condition(constant(1)).evaluate([0.95])

    def test_exceptions_become_evaluation_errors(self) -> None:
        with pytest.raises(ConditionEvaluationError, match=r"^<named_check> raised IndexError: "):
            compile_condition(named_check).evaluate([])

    def test_evaluation_errors_pass_through(self) -> None:
        inner = compile_condition("result[0] > 1")
        with pytest.raises(ConditionEvaluationError, match=r"^index out of range: 0 \(array length is 0\)$"):
            compile_condition(inner.evaluate).evaluate([])

    def test_a_callable_may_evaluate_other_conditions(self) -> None:
        inner = compile_condition("all(result, # > 0)")
        outer = compile_condition(lambda r: inner.evaluate(r) and len(r) == 2)
        assert outer.evaluate([1, 2]) is True


CASES: list[tuple[Condition, Any, Any]] = [
    (compile_condition("result[0] > 0.90"), [0.95], True),
    (compile_condition("result[0] > 0.90"), [0.5], False),
    (compile_condition("result[0] > 0.90"), [math.nan], False),
    (compile_condition("all(result, # > 1) && len(result) == 3"), [2, 3, 4], True),
    (compile_condition("count(map(result, # * 2), # > 4) == 1"), [1, 2, 3], True),
    (compile_condition("(result.a ?? 0) == 2"), {"a": 2}, True),
    (compile_condition("isNil(result)"), None, True),
    (compile_condition("result[0] > 0.90"), [], ConditionEvaluationError),
    (compile_condition("len(1..20000) > 0"), None, ConditionEvaluationError),
]


def test_thread_safety() -> None:
    failures: list[str] = []
    start = threading.Barrier(8)

    def worker(offset: int) -> None:
        start.wait()
        for index in range(1500):
            condition, result, expected = CASES[(index + offset) % len(CASES)]
            try:
                outcome: Any = condition.evaluate(result)
            except ConditionEvaluationError:
                outcome = ConditionEvaluationError
            if outcome is not expected:
                failures.append(f"{condition.source} with {result!r}: {outcome!r} != {expected!r}")

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


def test_evaluation_is_fast() -> None:
    """The goal is <= 20 us per evaluation; this smoke test allows 10x that for slow machines."""
    condition, result = compile_condition("result[0] > 0.90"), [0.95]
    rounds = 2000
    started = time.perf_counter()
    for _ in range(rounds):
        condition.evaluate(result)
    assert (time.perf_counter() - started) / rounds < 200e-6


def test_a_condition_needs_a_tree_or_a_function() -> None:
    with pytest.raises(TypeError, match="compile_condition"):
        Condition("result > 1")


def test_copies_and_pickles() -> None:
    condition = compile_condition("result[0] > 0.90")
    assert copy.copy(condition) is condition
    assert copy.deepcopy({"c": condition})["c"] is condition
    restored = pickle.loads(pickle.dumps(condition))
    assert restored.source == condition.source and restored.evaluate([0.95]) is True
    wrapped = pickle.loads(pickle.dumps(compile_condition(named_check)))
    assert wrapped.source == "<named_check>" and wrapped.evaluate([0.95]) is True

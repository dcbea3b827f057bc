"""Fuzzing the condition compiler and evaluator: whatever the text and the result, the answer is a bool or a
`CanaryError`, never another exception and never a hang (the 10,000-case run lives in the benchmark)."""

from __future__ import annotations

from typing import Any

from condition_fuzz_support import Case, cases, escaped, fuzz_conditions, outcome
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from canarykit.conditions import Condition, compile_condition
from canarykit.errors import CanaryError

FUZZ = settings(
    max_examples=300,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
JSON_LIKE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
)
TYPICAL = [
    "result[0] > 0.90",
    "len(result) == 0 || all(result, # >= 0.95)",
    "isNaN(result) || result < 5",
    "result.data.ok == true && result.count >= 3",
    "any(result, string(#) matches '^[0-9]+$')",
    "asFloat(result) >= 0.5",
    "default(result, 0) > 1 ?: false",
    "sum(map(result, #.value ?? 0)) > mean(result)",
]


@FUZZ
@given(cases())
def test_grammar_aware_conditions_give_a_bool_or_a_canary_error(case: Case) -> None:
    name = outcome(case)
    assert not escaped({name: 1}), f"{case!r} gave {name}"


@FUZZ
@given(st.text(max_size=300))
def test_arbitrary_text_compiles_or_raises_a_canary_error(text: str) -> None:
    try:
        condition = compile_condition(text)
    except CanaryError:
        return
    assert isinstance(condition, Condition)
    for result in (None, [0.5], {"x": "y"}):
        assert evaluated(condition, result) in {"bool", "CanaryError"}


@settings(FUZZ, max_examples=200)
@given(JSON_LIKE)
def test_any_result_gives_a_bool_or_a_canary_error(result: Any) -> None:
    for text in TYPICAL:
        assert evaluated(compile_condition(text), result) in {"bool", "CanaryError"}


def evaluated(condition: Condition, result: Any) -> str:
    try:
        value = condition.evaluate(result)
    except CanaryError:
        return "CanaryError"
    return "bool" if type(value) is bool else type(value).__name__


def test_seeded_fuzz_run_counts_every_case_and_finds_no_escape() -> None:
    outcomes = fuzz_conditions(300, seed=12)
    assert sum(outcomes.values()) == 300
    assert escaped(outcomes) == {}
    assert {"true", "false", "ConditionSyntaxError", "ConditionEvaluationError"} <= set(outcomes)

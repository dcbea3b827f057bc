"""Bad results and hostile conditions found by fuzzing: each ends in a `ConditionEvaluationError`, quickly."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from canarykit.conditions import MAX_STRING_LENGTH, compile_condition
from canarykit.conditions.limits import MAX_RESULT_ELEMENTS, MAX_WORK
from canarykit.errors import ConditionEvaluationError

TOO_MUCH_WORK = f"condition needs too much work (limit {MAX_WORK} elements per evaluation)"


def evaluation_error(expression: str, result: Any) -> str:
    with pytest.raises(ConditionEvaluationError) as caught:
        compile_condition(expression).evaluate(result)
    return str(caught.value)


@pytest.mark.parametrize(
    ("result", "message"),
    [
        (Decimal("sNaN"), "result cannot be read: ValueError: cannot convert signaling NaN to float"),
        ([Decimal("sNaN")], "result cannot be read: ValueError: cannot convert signaling NaN to float"),
        (range(10**20), "result cannot be read: OverflowError: Python int too large to convert to C ssize_t"),
        (range(10**12), f"result has more than {MAX_RESULT_ELEMENTS} elements"),
    ],
)
def test_results_python_cannot_read_are_evaluation_errors(result: Any, message: str) -> None:
    assert evaluation_error("result != nil", result) == message


def test_a_result_sharing_one_list_billions_of_times_is_refused() -> None:
    level: list[Any] = ["lol"] * 9
    for _ in range(9):
        level = [level] * 9  # 9**10 elements once copied, in a few kilobytes
    assert (
        evaluation_error("len(result) > 0", level) == f"result has more than {MAX_RESULT_ELEMENTS} elements"
    )


def test_long_digit_strings_are_parsed_in_linear_time() -> None:
    message = evaluation_error("asFloat(result) > 0", "1" * 100_000 + "x")
    assert message.startswith('strconv.ParseFloat: parsing "111') and message.endswith('x": invalid syntax')


def test_integers_past_int64_are_out_of_range_however_long() -> None:
    digits = "1" * 5000  # past Python's 4300-digit conversion limit
    expected = f'strconv.ParseInt: parsing "{digits}": value out of range'
    assert evaluation_error("asInt(result) > 0", digits) == expected
    # expr's int() words its own error, quoting the text (cut to a preview here)
    assert evaluation_error("int(result) > 0", digits) == f"invalid operation: int({digits[:200]}...)"


def test_string_of_a_huge_result_stops_early() -> None:
    message = f"string longer than {MAX_STRING_LENGTH} characters"
    assert evaluation_error("len(string(result)) > 0", ["x" * 100_000] * 20_000) == message
    assert evaluation_error("len(string(result)) > 0", [[]] * 1_000_000) == message


def test_string_of_an_integer_python_cannot_print_is_an_error() -> None:
    assert evaluation_error("string(result) != ''", 10**5000) == "integer too large to format (16610 bits)"


def test_error_messages_show_a_bounded_preview() -> None:
    assert evaluation_error("result[0][result[1]] == 1", [1.5, ["x" * 100_000] * 10]) == (
        "cannot fetch []interface {} (too long to show) from float64"
    )
    long_key = evaluation_error("result[0][result[1]] == 1", [1.5, "y" * 100_000])
    assert long_key == "cannot fetch " + "y" * 200 + "... from float64"


@pytest.mark.parametrize(
    "expression",
    [
        "all(1..10000, result contains 'zzz') || true",
        "all(1..10000, result[0] == result[1])",
        "all(1..10000, result matches 'zzz') || true",
    ],
)
def test_repeated_searches_of_a_long_text_spend_the_work_budget(expression: str) -> None:
    text = "a" * 2_000_000
    equal_copy = text[:-1] + "a"  # equal but another object, so `==` compares every character
    assert evaluation_error(expression, [text, equal_copy] if "[0]" in expression else text) == TOO_MUCH_WORK


def test_one_search_of_a_long_text_is_cheap() -> None:
    text = "a" * 2_000_000
    assert compile_condition("result contains 'zzz' || result endsWith 'a'").evaluate(text) is True
    assert compile_condition("result[0] == result[1]").evaluate([text, text[:-1] + "a"]) is True

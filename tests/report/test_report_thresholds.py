"""Thresholds read from simple conditions, numbers from measurement values; nothing else is guessed."""

from __future__ import annotations

import pytest

from canarykit.report.thresholds import Threshold, number_in, threshold_of


@pytest.mark.parametrize(
    ("condition", "operator", "value"),
    [
        ("result[0] > 0.90", ">", 0.9),
        ("result[0] >= 0.95", ">=", 0.95),
        ("result < 5", "<", 5.0),
        ("result[0]<=1e3", "<=", 1000.0),
        ("0.9 < result[0]", ">", 0.9),
        ("100 >= result", "<=", 100.0),
        ("(result[0] > -2.5)", ">", -2.5),
        ("len(result) == 0 || result[0] >= 0.95", ">=", 0.95),
        ("isNaN(result[0]) || result[0] < .5", "<", 0.5),
    ],
)
def test_a_simple_comparison_gives_its_threshold(condition: str, operator: str, value: float) -> None:
    assert threshold_of(condition, "success") == Threshold("success", operator, value)


@pytest.mark.parametrize(
    "condition",
    [
        None,
        "",
        "result[0] > 0.9 && result[1] < 3",
        "result[0] > 0.9 || result[0] < 0.1",
        "result[1] > 0.9",
        "result[0] > threshold",
        "all(result, {# > 0.9})",
        "result[0] == 0.9",
        "result[0] > 1e999",
        "asFloat(result) > 0.9",
    ],
)
def test_anything_else_has_no_threshold(condition: str | None) -> None:
    assert threshold_of(condition, "failure") is None


def test_a_threshold_says_which_condition_it_belongs_to() -> None:
    assert Threshold("failure", "<", 0.5).describe() == "failureCondition: result < 0.5"


@pytest.mark.parametrize(
    ("text", "number"),
    [("[0.85]", 0.85), ("0.97", 0.97), ("[0.5, 12]", 0.5), ("[1e-3]", 0.001), ("[ 3 ]", 3.0), ("-4", -4.0)],
)
def test_a_value_gives_its_first_number(text: str, number: float) -> None:
    assert number_in(text) == number


@pytest.mark.parametrize("text", ["", "[]", "NaN", "[NaN]", "fail e=1.7e+15 canary 40/1000", "{}", "[1e999]"])
def test_a_value_without_a_number_gives_none(text: str) -> None:
    assert number_in(text) is None

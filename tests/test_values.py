"""Values written as Argo writes them."""

from __future__ import annotations

import math

import pytest

from canarykit.values import format_float, format_floats, format_value


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.95, "0.95"),
        (1.0, "1"),
        (0.9090909090909091, "0.9090909090909091"),
        (1e-7, "0.0000001"),
        (1e21, "1000000000000000000000"),
        (-2.5, "-2.5"),
        (-0.0, "0"),
        (math.nan, "NaN"),
        (math.inf, "+Inf"),
        (-math.inf, "-Inf"),
    ],
)
def test_format_float(value: float, text: str) -> None:
    assert format_float(value) == text


def test_vectors_and_other_values() -> None:
    assert format_floats([0.95, 0.9]) == "[0.95,0.9]"
    assert format_floats([]) == "[]"
    assert format_value([0.95]) == "[0.95]"
    assert format_value(3) == "3"
    assert format_value(True) == "true"
    assert format_value("ok") == "ok"
    assert format_value({"ok": True, "n": [1, "a"]}) == '{"ok":true,"n":[1,"a"]}'
    assert format_value(None) == ""

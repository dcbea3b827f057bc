"""Helpers shared by the condition tests: evaluate an expression to its raw value, or to its error."""

from __future__ import annotations

import math
from typing import Any

import pytest

from canarykit.conditions.evaluator import run
from canarykit.conditions.gotypes import freeze
from canarykit.conditions.parser import parse
from canarykit.errors import ConditionEvaluationError

NAN = math.nan
INF = math.inf


def value(expression: str, result: Any = None) -> Any:
    """The raw value of an expression (a Condition itself must give a bool)."""
    return run(expression, parse(expression), freeze(result))


def error_of(expression: str, result: Any = None) -> str:
    with pytest.raises(ConditionEvaluationError) as caught:
        value(expression, result)
    return str(caught.value)

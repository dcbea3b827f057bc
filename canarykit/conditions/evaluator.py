"""Runs a compiled tree with simpleeval: one evaluator per thread, `result` swapped in for each call."""

from __future__ import annotations

import ast
import threading
import types
from typing import Any

import simpleeval

from canarykit.conditions import budget
from canarykit.conditions.builtins import evaluator_functions
from canarykit.conditions.limits import MAX_ITERATIONS
from canarykit.conditions.operators import OPERATORS
from canarykit.errors import ConditionEvaluationError


class _Evaluator(simpleeval.EvalWithCompoundTypes):  # type: ignore[misc]
    """simpleeval's evaluator, minus its walk through every container each node returns.

    That walk looks for functions and modules hidden in data; `result` is frozen plain data and the helpers
    return only data, so it found nothing and cost O(n) per use of `result` (quadratic inside predicates).
    A value that is itself callable or a module is still refused.
    """

    def _check_disallowed_items(self, item: Any) -> None:
        if callable(item) or isinstance(item, types.ModuleType):
            super()._check_disallowed_items(item)


class _PerThread(threading.local):
    evaluator: _Evaluator | None = None
    busy: bool = False


_LOCAL = _PerThread()


def _new_evaluator() -> _Evaluator:
    return _Evaluator(operators=dict(OPERATORS), functions=evaluator_functions(), names={"result": None})


def run(source: str, tree: ast.expr, result: Any) -> Any:
    """The value of `tree` with `result` bound; `result` must already be frozen. Raises only
    `ConditionEvaluationError`."""
    local = _LOCAL
    evaluator = local.evaluator
    if evaluator is None:
        evaluator = local.evaluator = _new_evaluator()
    elif local.busy:  # re-entered on this thread (a signal handler, say): use a private evaluator
        evaluator = _new_evaluator()
    previous_busy, local.busy = local.busy, True
    previous_budget = budget.start()
    evaluator.names["result"] = result
    try:
        return evaluator.eval(source, previously_parsed=tree)
    except ConditionEvaluationError:
        raise
    except Exception as error:
        raise _translate(error) from error
    finally:
        evaluator.names["result"] = None
        local.busy = previous_busy
        budget.restore(previous_budget)


def _translate(error: Exception) -> ConditionEvaluationError:
    """A readable error for what escaped the helpers (they raise `ConditionEvaluationError` themselves)."""
    if isinstance(error, simpleeval.IterableTooLong):
        return ConditionEvaluationError(
            f"too many elements to iterate over (limit {MAX_ITERATIONS} in total)"
        )
    if isinstance(error, RecursionError):
        return ConditionEvaluationError("expression is nested too deeply to evaluate")
    if isinstance(error, TypeError) and "unhashable" in str(error):
        return ConditionEvaluationError(f"invalid map key: {error}")
    return ConditionEvaluationError(f"{type(error).__name__}: {error}")

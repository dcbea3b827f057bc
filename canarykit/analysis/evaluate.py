"""One measurement's value -> a phase, exactly as Argo's `EvaluateResult` decides it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from canarykit.analysis.phases import Phase
from canarykit.conditions import Condition, compile_condition
from canarykit.errors import ConditionEvaluationError

ConditionLike = str | Condition | Callable[[Any], bool]


@dataclass(frozen=True)
class Outcome:
    """The phase a value earns, and the message when it is an Error."""

    phase: Phase
    message: str = ""


def evaluate_result(
    result: Any,
    success_condition: ConditionLike | None = None,
    failure_condition: ConditionLike | None = None,
) -> Outcome:
    """Judge one metric value against its conditions (§3.3 of Argo's semantics).

    A failure condition that holds wins; with both set and neither holding, the outcome is Inconclusive;
    with neither set, Successful. An evaluation error (a type mismatch expr's check finds against `result`,
    or a run-time error) gives an Error outcome with Argo's message, `could not evaluate successCondition
    "<expr>": <error>`; the success condition is evaluated first.
    Conditions that do not compile raise `ConditionSyntaxError`: that is bad input, not a measurement.
    """
    success = compile_optional(success_condition, "successCondition")
    failure = compile_optional(failure_condition, "failureCondition")
    try:
        success_holds = _holds(success, result, "successCondition")
        failure_holds = _holds(failure, result, "failureCondition")
    except _EvaluationFailed as failed:
        return Outcome(Phase.ERROR, str(failed))
    return Outcome(_decide(success, failure, success_holds, failure_holds))


def _decide(success: Condition | None, failure: Condition | None, succeeded: bool, failed: bool) -> Phase:
    if success is None and failure is None:
        return Phase.SUCCESSFUL
    if failure is None:
        failed = not succeeded
    elif success is None:
        succeeded = not failed
    if failed:
        return Phase.FAILED
    return Phase.SUCCESSFUL if succeeded else Phase.INCONCLUSIVE


class _EvaluationFailed(Exception):
    pass


def compile_optional(condition: ConditionLike | None, kind: str) -> Condition | None:
    """The compiled condition, or None when it is unset or blank; `kind` names it in errors."""
    if condition is None or (isinstance(condition, str) and not condition.strip()):
        return None
    return compile_condition(condition, path=kind)


def _holds(condition: Condition | None, result: Any, kind: str) -> bool:
    if condition is None:
        return False
    try:
        return condition.evaluate(result)
    except ConditionEvaluationError as error:
        raise _EvaluationFailed(_error_message(error, kind, condition.source, result)) from error


NO_DATA_MESSAGE = "no data returned from the metric provider"
"""The tail of the Error message Argo writes when a condition meets a nil or empty result."""


def _error_message(error: Exception, kind: str, source: str, result: Any) -> str:
    if _is_nil_or_empty(result):
        return f'could not evaluate {kind} "{source}": metric result is nil or empty: {NO_DATA_MESSAGE}'
    return f'could not evaluate {kind} "{source}": {error}'


def _is_nil_or_empty(result: Any) -> bool:
    return result is None or (isinstance(result, list | tuple) and len(result) == 0)

"""`Condition` and `compile_condition`: the package's public face."""

from __future__ import annotations

import ast
import functools
from collections.abc import Callable
from typing import Any

from canarykit.conditions import evaluator, natures, typecheck
from canarykit.conditions.compile_error import CompileError
from canarykit.conditions.gotypes import freeze, go_type
from canarykit.conditions.parser import parse
from canarykit.errors import ConditionEvaluationError, ConditionSyntaxError

Predicate = Callable[[Any], bool]


class Condition:
    """A compiled condition: immutable, thread-safe and reusable. Call it (or `evaluate`) with a result."""

    __slots__ = ("_checked", "_function", "_tree", "source")

    source: str
    _tree: ast.expr | None
    _function: Predicate | None
    _checked: dict[str, str]

    def __init__(self, source: str, tree: ast.expr | None = None, function: Predicate | None = None) -> None:
        if (tree is None) == (function is None):
            raise TypeError("a Condition needs a tree or a function: build it with compile_condition()")
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "_tree", tree)
        object.__setattr__(self, "_function", function)
        object.__setattr__(self, "_checked", {})

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError(f"Condition is immutable (cannot set {key})")

    def __delattr__(self, key: str) -> None:
        raise AttributeError(f"Condition is immutable (cannot delete {key})")

    def __repr__(self) -> str:
        return f"Condition({self.source!r})"

    def __copy__(self) -> Condition:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Condition:
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its text (recompiled on load) or as its callable."""
        if self._function is not None:
            return (compile_condition, (self._function,))
        return (compile_condition, (self.source,))

    def evaluate(self, result: Any) -> bool:
        """Whether the condition holds for `result`; raises `ConditionEvaluationError` when it cannot tell."""
        frozen = freeze(result)
        if self._tree is not None:
            signature = natures.signature(frozen)
            if self._checked.get(signature) != "":  # "" once it passed for this type: nothing more to do
                self._type_check(self._tree, signature)
            value = evaluator.run(self.source, self._tree, frozen)
        else:
            value = self._call(frozen)
        if type(value) is not bool:
            raise ConditionEvaluationError(f"expected bool, but got {go_type(value)}")
        return value

    __call__ = evaluate

    def _type_check(self, tree: ast.expr, signature: str) -> None:
        """expr's compile-time check against the Go type of `result`, done once per type ("" = it passed)."""
        message = self._checked.get(signature)
        if message is None:
            message = self._checked[signature] = _type_error(tree, signature)
        if message:
            raise ConditionEvaluationError(message)

    def _call(self, frozen: Any) -> Any:
        assert self._function is not None
        try:
            return self._function(frozen)
        except ConditionEvaluationError:
            raise
        except Exception as error:
            raise ConditionEvaluationError(f"{self.source} raised {type(error).__name__}: {error}") from error


def compile_condition(condition: str | Predicate | Condition, path: str = "") -> Condition:
    """A `Condition` from expr-lang text, a Python callable `f(result) -> bool` or a `Condition` (kept).

    Raises `ConditionSyntaxError` (with 1-based line and column) when the text does not compile.
    """
    if isinstance(condition, Condition):
        return condition
    if isinstance(condition, str):
        try:
            return Condition(condition, tree=_parse_cached(condition))
        except CompileError as error:
            line, column = _position(condition, error.offset)
            raise ConditionSyntaxError(error.message, condition, line, column, path) from None
    if callable(condition):
        return Condition(_callable_name(condition), function=condition)
    raise ConditionSyntaxError(
        f"a condition must be a string or a callable, not {type(condition).__name__}",
        repr(condition),
        path=path,
    )


@functools.lru_cache(maxsize=1024)
def _parse_cached(source: str) -> ast.expr:
    """Parsed trees are only read while evaluating, so conditions with the same text may share one."""
    return parse(source)


@functools.lru_cache(maxsize=4096)
def _type_error(tree: ast.expr, signature: str) -> str:
    """expr's compile error for `tree` when `result` has the Go type `signature`, or "" when there is none."""
    try:
        typecheck.check(tree, natures.of_signature(signature))
    except ConditionEvaluationError as error:
        return str(error)
    except Exception as error:  # pragma: no cover - a checker bug shows as an Error, never as a crash
        return f"type check failed: {type(error).__name__}: {error}"
    return ""


def _position(source: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset."""
    line = source.count("\n", 0, offset) + 1
    column = offset - (source.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _callable_name(function: Predicate) -> str:
    label = getattr(function, "__name__", None) or type(function).__name__
    return label if label.startswith("<") else f"<{label}>"

"""Sandbox: no Python escapes, no attribute access, no mutation of the caller's data, no `eval`."""

from __future__ import annotations

import ast
import builtins
import copy
from typing import Any

import pytest

from canarykit.conditions import compile_condition
from canarykit.conditions.parser import parse
from canarykit.errors import ConditionEvaluationError, ConditionSyntaxError


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("__import__('os')", "unknown name __import__"),
        ("open('/etc/passwd')", "unknown name open"),
        ("eval('1')", "unknown name eval"),
        ("exec('1')", "unknown name exec"),
        ("getattr(result, 'x')", "unknown name getattr"),
        ("globals()", "unknown name globals"),
        ("type(result)", "function type is not supported"),
        ("$fetch(result, 0)", "unknown name $fetch"),
        ("().__class__", 'unexpected token ")"'),
        ("result.append(1)", "method calls are not supported (append)"),
        ("'{0.__class__}'.format(result)", "method calls are not supported (format)"),
        ("result.__class__.__mro__()", "method calls are not supported (__mro__)"),
        ("f'{result}'", "unknown name f"),
        ("lambda: 1", "unknown name lambda"),
        ("[x for x in result]", "unknown name x"),
        ("result if true else 0", 'unexpected token "if"'),
        ("x := 1", "unknown name x"),
        ("import os", "unknown name import"),
        ("all(result, #1 > 0)", 'unexpected token "1"'),
    ],
)
def test_python_escapes_do_not_compile(source: str, message: str) -> None:
    with pytest.raises(ConditionSyntaxError) as caught:
        compile_condition(source)
    assert caught.value.reason.startswith(message + " (")


def test_dunder_members_are_map_lookups_not_attributes() -> None:
    assert compile_condition("result.__class__ == nil").evaluate({"a": 1}) is True
    assert compile_condition("result.__dict__ == 'x'").evaluate({"__dict__": "x"}) is True
    with pytest.raises(ConditionEvaluationError, match=r"integer \(got string\)"):
        compile_condition("result.__class__ != nil").evaluate([1])
    with pytest.raises(ConditionEvaluationError, match="type string has no field __globals__"):
        compile_condition("'abc'.__globals__ != nil").evaluate(None)
    with pytest.raises(ConditionEvaluationError, match=r"^invalid operation: int\(string\)$"):
        compile_condition("result.x.__globals__ != nil").evaluate({"x": "abc"})


FEATURES = [
    "result[0] > 0.90",
    "(result.a.b?.c ?? 1) > 0 ? true : false",
    "all(result, {# > 1}) && map(result, .x)[0:2] == [1] || none(1..3, # in result)",
    "len(filter(result, # matches '^a' and not (# contains 'b'))) == count(result, true)",
    "isNil(result) || default(result, 1) != nil || asInt('1') + asFloat('2') ** 2 % 3 > -1",
    "{'a': [1, 2]}.a[-1] == sum(result, #) && min(1, 2) < max(result) && string(1) startsWith '1'",
    "(result ?: false) != nil",
]


@pytest.mark.parametrize("source", FEATURES)
def test_trees_hold_no_attribute_access_or_lambdas(source: str) -> None:
    forbidden = (ast.Attribute, ast.Lambda, ast.NamedExpr, ast.Starred, ast.JoinedStr, ast.Await, ast.Yield)
    nodes = list(ast.walk(parse(source)))
    assert nodes, "the tree is not empty"
    assert not [node for node in nodes if isinstance(node, forbidden)]
    names = {node.id for node in nodes if isinstance(node, ast.Name)}
    assert all(name == "result" or name.startswith(("$", "#")) or name.isidentifier() for name in names)


def test_eval_compile_and_exec_are_never_called(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: Any, **__: Any) -> Any:
        raise AssertionError("Python's eval/exec/compile must not be used")

    for name in ("eval", "exec", "compile"):
        monkeypatch.setattr(builtins, name, refuse)
    condition = compile_condition("all(result, # > 0.5) && (result[0] ?? 0) != 1 + 1")
    assert condition.evaluate([0.9, 0.8]) is True


def test_the_callers_result_is_unchanged() -> None:
    result: dict[str, Any] = {"values": [3, 1, 2], "meta": {"tags": ["a"]}}
    original = copy.deepcopy(result)
    conditions = [
        "len(filter(result.values, # > 1)) == 2",
        "map(result.values, # * 2)[0] == 6",
        "result.values[1:] == [1, 2]",
        "'a' in result.meta.tags",
        "sum(result.values) == 6 && median(result.values) == 2",
    ]
    for source in conditions:
        assert compile_condition(source).evaluate(result) is True
    assert result == original


def test_callables_get_a_read_only_copy() -> None:
    result: dict[str, Any] = {"values": [1, 2]}

    def append(frozen: Any) -> bool:
        frozen["values"].append(3)
        return True

    def assign(frozen: Any) -> bool:
        frozen["new"] = 1
        return True

    for mutate in (append, assign):
        with pytest.raises(ConditionEvaluationError):
            compile_condition(mutate).evaluate(result)
    assert result == {"values": [1, 2]}


def test_result_is_frozen_recursively() -> None:
    seen: list[Any] = []

    def capture(frozen: Any) -> bool:
        seen.append(frozen)
        return True

    compile_condition(capture).evaluate({"a": [1, {"b": [2]}], "c": (3,)})
    frozen = seen[0]
    assert isinstance(frozen["a"], tuple) and isinstance(frozen["a"][1]["b"], tuple)
    with pytest.raises(TypeError):
        frozen["a"][1]["b"] = 1

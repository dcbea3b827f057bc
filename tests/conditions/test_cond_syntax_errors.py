"""Compile errors: `ConditionSyntaxError` with expr-like messages, 1-based line and column, and the path."""

from __future__ import annotations

import pytest

from canarykit.conditions import MAX_EXPRESSION_LENGTH, MAX_NESTING_DEPTH, compile_condition
from canarykit.errors import ConditionSyntaxError, SpecError


def syntax_error(source: str, path: str = "") -> ConditionSyntaxError:
    with pytest.raises(ConditionSyntaxError) as caught:
        compile_condition(source, path)
    return caught.value


@pytest.mark.parametrize(
    ("source", "message", "column"),
    [
        ("result[0] > 0.9)", 'unexpected token ")"', 16),
        ("result[0] >", "unexpected end of expression", 12),
        ("", "unexpected end of expression", 1),
        ("   ", "unexpected end of expression", 4),
        ("(1 + 2", "unexpected end of expression", 7),
        ("[1, 2", "unexpected end of expression", 6),
        ("[1 2]", 'unexpected token "2"', 4),
        ("{'a' 1}", 'unexpected token "1"', 6),
        ("result[0] >>> 1", 'unexpected token ">"', 12),
        ("1 = 1", 'unexpected token "="', 3),
        ("result not 1", 'unexpected token "1"', 12),
        ("true ? 1", "unexpected end of expression", 9),
        ("x > 1", "unknown name x", 1),
        ("result[0] > threshold", "unknown name threshold", 13),
        ("foo(1)", "unknown name foo", 1),
        ("len", "unknown name len", 1),
        ("True", "unknown name True", 1),
        ("now() > 1", "function now is not supported", 1),
        ("upper('a') == 'A'", "function upper is not supported", 1),
        ("result(1)", "unknown name result", 1),
        ("'abc", "unterminated string literal", 1),
        ('result == "abc', "unterminated string literal", 11),
        ("'a\nb'", "unterminated string literal", 1),
        ("`abc", "unterminated string literal", 1),
        ("'\\q'", "invalid char escape", 2),
        ("'\\x4'", "invalid char escape", 2),
        ("'\\uD800'", "invalid char escape", 2),
        ("1 /* open", "unclosed comment", 3),
        ("1 @ 2", 'unrecognized character "@"', 3),
        ("12abc", 'bad number syntax: "12a"', 1),
        ("1__0", 'bad number syntax: "1__0"', 1),
        ("9223372036854775808", 'invalid integer literal: value out of range: "9223372036854775808"', 1),
        ("1e999", 'invalid float literal: value out of range: "1e999"', 1),
        ("len()", "invalid number of arguments (expected 1, got 0)", 1),
        ("len(result, 1)", "invalid number of arguments (expected 1, got 2)", 1),
        ("abs(1, 2)", "invalid number of arguments (expected 1, got 2)", 1),
        ("asInt()", "not enough arguments to call asInt", 1),
        ("string(1, 2)", "too many arguments to call string", 1),
        ("default(1, 2, 3)", "too many arguments to call default", 1),
        ("min()", "not enough arguments to call min", 1),
        ("result matches '('", "error parsing regexp: missing closing ): `(`", 8),
        ("result.(1)", "expected name", 8),
        ("result.count()", "method calls are not supported (count)", 8),
        ("result | len", "the pipe operator | is not supported", 8),
        (
            "1 ?? 2 + 3",
            "Operator (+) and coalesce expressions (??) cannot be mixed. Wrap either by parentheses.",
            8,
        ),
    ],
)
def test_messages_and_columns(source: str, message: str, column: int) -> None:
    error = syntax_error(source)
    assert error.reason == f"{message} (1:{column})"
    assert (error.line, error.column) == (1, column)
    assert error.expression == source


def test_line_and_column_on_later_lines() -> None:
    error = syntax_error("result[0] > 0.9 &&\n  result[1] > 0.9 &&\n    bogus")
    assert (error.line, error.column) == (3, 5)
    assert str(error) == "unknown name bogus (3:5)"


def test_path_is_kept_and_prefixes_the_message() -> None:
    error = syntax_error("result >", path="spec.metrics[0].successCondition")
    assert error.path == "spec.metrics[0].successCondition"
    assert str(error) == "spec.metrics[0].successCondition: unexpected end of expression (1:9)"
    assert isinstance(error, SpecError) and isinstance(error, ValueError)


def test_expression_length_limit() -> None:
    too_long = "result == '" + "x" * MAX_EXPRESSION_LENGTH + "'"
    error = syntax_error(too_long)
    assert error.reason == f"expression is longer than {MAX_EXPRESSION_LENGTH} characters (1:1001)"


def test_exact_maximum_length_compiles() -> None:
    source = "result == '" + "x" * (MAX_EXPRESSION_LENGTH - 12) + "'"
    assert len(source) == MAX_EXPRESSION_LENGTH
    assert compile_condition(source).evaluate("x" * (MAX_EXPRESSION_LENGTH - 12)) is True


def test_nesting_limit() -> None:
    fine = "(" * (MAX_NESTING_DEPTH - 2) + "true" + ")" * (MAX_NESTING_DEPTH - 2)
    assert compile_condition(fine).evaluate(None) is True
    deep = "(" * MAX_NESTING_DEPTH + "true" + ")" * MAX_NESTING_DEPTH
    error = syntax_error(deep)
    assert error.reason.startswith(f"expression is nested too deeply (more than {MAX_NESTING_DEPTH} levels)")
    assert error.column == MAX_NESTING_DEPTH + 1  # the token reached one level too deep


def test_nesting_limit_counts_unary_operators_and_calls() -> None:
    assert syntax_error("!" * 60 + "true").reason.startswith("expression is nested too deeply")
    assert syntax_error("abs(" * 60 + "1" + ")" * 60).reason.startswith("expression is nested too deeply")


def test_long_operator_chains_are_limited_by_tree_depth() -> None:
    chain = " + ".join(["1"] * 200)
    assert syntax_error(chain + " > 0").reason.startswith("expression is nested too deeply")
    assert compile_condition(" + ".join(["1"] * 50) + " == 50").evaluate(None) is True


def test_long_logical_chains_are_flat() -> None:
    chain = " && ".join(["true"] * 120)  # deeper than the tree limit if it were nested
    assert compile_condition(chain).evaluate(None) is True


def test_non_string_non_callable_is_rejected() -> None:
    error = syntax_error(42, path="spec.successCondition")  # type: ignore[arg-type]
    assert error.reason == "a condition must be a string or a callable, not int (1:1)"
    assert error.path == "spec.successCondition"

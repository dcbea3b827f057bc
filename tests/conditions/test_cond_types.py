"""expr-lang's compile-time type check against the Go type of `result`, as Argo's `EvalCondition` runs it.

Vectors are transcribed from Argo's `utils/evaluate/evaluate_test.go` and expr v1.17's
`checker/checker_test.go` (`TestCheck`, `TestCheck_error`; the mock environment's `Int`, `Bool`, `MapOfAny`
... become literals or a `result` of that Go type). Each id names the Go test. Every expectation was also
checked against Argo's `EvalCondition` built with expr v1.17.8.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from canarykit.conditions import compile_condition
from canarykit.conditions.gotypes import Float64s
from canarykit.errors import ConditionEvaluationError, ConditionSyntaxError

WEB = {"x": "s", "b": True, "a": None, "n": 2.0}
"""A web metric's JSON object: its fields are `interface {}`, so their checks wait for run time."""
VECTOR = Float64s([0.5, 2.0])
"""A Prometheus vector: Go's `[]float64`."""


def outcome(source: str, result: Any) -> bool | str:
    """The condition's value, or its error's message."""
    try:
        return compile_condition(source).evaluate(result)
    except ConditionEvaluationError as error:
        return str(error)


def mismatched(operator: str, left: str, right: str) -> str:
    return f"invalid operation: {operator} (mismatched types {left} and {right})"


ARGO_VECTORS = [
    pytest.param(
        "1.1",
        'asFloat(result) == "1.1"',
        mismatched("==", "float64", "string"),
        id="TestEvaluateAsFloatError/1",
    ),
    pytest.param(
        "NotANum",
        "asFloat(result) == 1.1",
        'strconv.ParseFloat: parsing "NotANum": invalid syntax',
        id="TestEvaluateAsFloatError/0",
    ),
    pytest.param("1.1", "asFloat(result) == 1.1", True, id="TestEvaluateAsFloat/0"),
    pytest.param("1.1", "asFloat(result) >= 1.1", True, id="TestEvaluateAsFloat/1"),
    pytest.param(1.1, "asFloat(result) == 1.1", True, id="TestEvaluateAsFloat/3"),
    pytest.param(1, "asFloat(result) == 1", True, id="TestEvaluateAsFloat/4"),
    pytest.param(1, "asFloat(result) >= 1", True, id="TestEvaluateAsFloat/5"),
    pytest.param("1", "asInt(result) == 1", True, id="TestEvaluateAsInt/0"),
    pytest.param(1, "asInt(result) == 1", True, id="TestEvaluateAsInt/1"),
    pytest.param(1.123, "asInt(result) == 1", True, id="TestEvaluateAsInt/2"),
    pytest.param(
        "1.1",
        "asInt(result) == 1.1",
        'strconv.ParseInt: parsing "1.1": invalid syntax',
        id="TestEvaluateAsIntPanic",
    ),
    pytest.param(True, "1", "expected bool, but got int", id="TestErrorWithNonBoolReturn"),
    pytest.param(True, "result == true", True, id="TestEvaluateConditionWithSuccess"),
    pytest.param(True, "result == false", False, id="TestEvaluateConditionWithFailure"),
    pytest.param(Float64s([2, 2]), "2 in result", True, id="TestEvaluateInOperator"),
    pytest.param(5.0, "result > 1", True, id="TestEvaluateFloat64"),
    pytest.param(
        {"service_apdex": {"label": None, "values": {"values": [2.0, 2.0]}}},
        "all(result.service_apdex.values.values, {# > 1})",
        True,
        id="TestEvaluateArray",
    ),
]


@pytest.mark.parametrize(("result", "source", "expected"), ARGO_VECTORS)
def test_argo_evaluate_vectors(result: Any, source: str, expected: bool | str) -> None:
    assert outcome(source, result) == expected


CHECK_ERRORS = [
    ("1 and false", None, mismatched("and", "int", "bool")),
    ("true or 0", None, mismatched("or", "bool", "int")),
    ("true && asInt(result)", 1.0, mismatched("&&", "bool", "int64")),  # `Bool && IntPtr`
    ("not 1", None, "invalid operation: not (mismatched type int)"),
    *[(f"1 {op} true", None, mismatched(op, "int", "bool")) for op in ("<", ">", ">=", "<=", "+", "-", "*")],
    *[(f"1 {op} true", None, mismatched(op, "int", "bool")) for op in ("/", "%", "**", "..")],
    ("'str' in 'string'", None, mismatched("in", "string", "string")),
    ("1 + ''", None, mismatched("+", "int", "string")),
    ('1 /* one */ + "2"', None, mismatched("+", "int", "string")),
    ("'s' matches 1", None, mismatched("matches", "string", "int")),
    ("1 matches 's'", None, mismatched("matches", "int", "string")),
    ("'s' contains 1", None, mismatched("contains", "string", "int")),
    ("1 contains 's'", None, mismatched("contains", "int", "string")),
    ("count(1, {#})", None, "builtin count takes only array (got int)"),
    ("count([1, 2], {#})", None, "predicate should return boolean (got int)"),  # count(ArrayOfInt, {#})
    ("all([1, 2], {# + 1})", None, "predicate should return boolean (got int)"),
    ("map(1, {2})", None, "builtin map takes only array (got int)"),
    ("any(42, {#})", None, "builtin any takes only array (got int)"),
    ("filter(42, {#})", None, "builtin filter takes only array (got int)"),
    ("result[true:] == []", VECTOR, "non-integer slice index bool"),  # ArrayOfFoo[Bool:]
    ("result[1:true] == []", VECTOR, "non-integer slice index bool"),
    ("result[:] == nil", True, "cannot slice bool"),  # Bool[:]
    ("len(42)", None, "invalid argument for len (type int)"),
    (
        "result[0] == nil",
        {"a": 1.0},
        "cannot use int to get an element from map[string]interface {}",
    ),  # MapOfAny[0]
    (".0 in result", {"a": 1.0}, "cannot use float64 as type string in map key"),  # .0 in MapOfFoo
    ('42 in ["a", "b", "c"]', None, "cannot use int as type string in array"),
    ("(nil).Foo", None, "type nil has no field Foo"),
    ("(nil)['Foo']", None, "type nil has no field Foo"),
    (
        "result ? true : false",
        {"a": 1.0},
        "non-bool expression (type map[string]interface {}) used as condition",
    ),
    ("result.Not == nil", VECTOR, "array elements can only be selected using an integer (got string)"),
    # `1..3 | filter(# > 1) | filter(# == "str")` and `1..3 | map("str") | filter(# > 1)`, without pipes
    ('filter(filter(1..3, # > 1), # == "str") == []', None, mismatched("==", "int", "string")),
    ('filter(map(1..3, "str"), # > 1) == []', None, mismatched(">", "string", "int")),
    # FuncTyped(42) and trimPrefix(nil), with Argo's `isNaN(float64)`; a mismatch ends in a space, as in expr
    ("isNaN('x')", None, "cannot use string as argument (type float64) to call isNaN "),
    ("isNaN(nil)", None, "cannot use nil as argument (type float64) to call isNaN"),
]


@pytest.mark.parametrize(
    ("source", "result", "message"),
    [
        pytest.param(source, result, message, id=f"TestCheck_error/{source}")
        for source, result, message in CHECK_ERRORS
    ],
)
def test_expr_checker_errors(source: str, result: Any, message: str) -> None:
    assert outcome(source, result) == message


CHECK_PASSES = [
    ("nil == nil", None, True),
    ("'a' == 'b' + 'c'", None, False),
    ("'foo' contains 'bar'", None, False),
    ("'foo' endsWith 'bar'", None, False),
    ("'foo' startsWith 'bar'", None, False),
    ("(1 == 1) || ('s' matches result.x)", WEB, True),  # (1 == 1) || (String matches Any)
    ("5 % 3 > 1", None, True),  # Int % Int > 1
    ("1 / 2 == 0", None, False),
    ("2**3 + 1 != 0", None, True),
    ("2^3 + 1 != 0", None, True),
    ('"a" < "b"', None, True),
    ("(result.x ? nil : '') == ''", WEB, "interface conversion: interface {} is string, not bool"),
    ("[1, 2, 3] == []", None, False),
    ("len([]) > 0", None, False),
    ("count(1..30, {# % 3 == 0}) > 0", None, True),
    ("map(1..3, {#}) == [1,2,3]", None, True),
    ("(true ? [1] : [[1]])[0][0] == 1", None, "cannot fetch 0 from int"),
    ("1 in 1..3", None, True),  # Int in Int..Int
    ("-1 + +1 == 0", None, True),
    ("result[0] + 1 + 2 < 4", VECTOR, True),  # 1 + 2 + Float + 3 + 4 < 0
    ("result == 1", 1.0, True),  # Float == 1
    ("(result.b ?? true) == true", WEB, True),  # (Any.Bool ?? Bool) > 0
    ("result.a?.b == nil", WEB, True),  # Any.A?.B == nil
    ("result.x == result.n", WEB, False),  # Any == Any
    ("nil in [nil]", None, True),  # nil in ArrayOfFoo
    ("{'id': 1, 'str': 's'} == {}", None, False),
]


@pytest.mark.parametrize(
    ("source", "result", "expected"),
    [
        pytest.param(source, result, expected, id=f"TestCheck/{source}")
        for source, result, expected in CHECK_PASSES
    ],
)
def test_expr_checker_passes(source: str, result: Any, expected: bool | str) -> None:
    """These pass the type check; what they give (or how they fail at run time) is what Argo gives."""
    assert outcome(source, result) == expected


@pytest.mark.parametrize(
    ("source", "vector", "json_array"),
    [
        ("result[0] == 'x'", mismatched("==", "float64", "string"), False),
        ("'x' in result", "cannot use string as type float64 in array", False),
        (
            "result[0] + 'x' == ''",
            mismatched("+", "float64", "string"),
            "invalid operation: float64 + string",
        ),
        ("result == 10", mismatched("==", "[]float64", "int"), mismatched("==", "[]interface {}", "int")),
        (
            "result > 0.9",
            mismatched(">", "[]float64", "float64"),
            mismatched(">", "[]interface {}", "float64"),
        ),
        ("first(result) == 'x'", mismatched("==", "float64", "string"), False),
        ("sum(result) == 'x'", mismatched("==", "float64", "string"), False),
        ("result[0] > 0.4", True, True),
    ],
)
def test_a_prometheus_vector_is_typed_where_a_json_array_is_not(
    source: str, vector: bool | str, json_array: bool | str
) -> None:
    """Argo hands a Prometheus vector over as `[]float64` and a web JSON array as `[]interface {}`."""
    assert outcome(source, Float64s([0.5])) == vector
    assert outcome(source, [0.5]) == json_array


@pytest.mark.parametrize(
    ("source", "result", "message"),
    [
        ("result > 1", None, mismatched(">", "unknown", "int")),
        ("result[0] >= 0.95", None, "type unknown[int] is undefined"),
        ("result.x == 1", None, "type nil has no field x"),
        ("result[0] == 1", "abc", "type string[int] is undefined"),
        ("result.x == 1", 1.5, "type float64 has no field x"),
        ("!result", 1.5, "invalid operation: ! (mismatched type float64)"),
        ("-result == 1", True, "invalid operation: - (mismatched type bool)"),
        ("result ?: true", "x", "non-bool expression (type string) used as condition"),
        ("len(result) == 1", 1.5, "invalid argument for len (type float64)"),
        ("len(nil) == 1", None, "invalid argument for len (type %!s(<nil>))"),
        ("abs(result) > 0", "x", "invalid argument for abs (type string)"),
        ("round(result) > 0", "x", "invalid argument for round (type string)"),
        ("int(result) > 0", True, "invalid argument for int (type bool)"),
        ("first(result) == 1", 1.5, "cannot get first element from float64"),
        ("keys(result) == []", VECTOR, "cannot get keys from []float64"),
        ("max(result) > 0", "x", "invalid argument for max (type string)"),
        ("sum(result) > 0", "x", "builtin sum takes only array (got string)"),
        (
            "sum(result, nil) == 1",
            VECTOR,
            "cannot use []float64 as argument (type []interface {}) to call sum ",
        ),
        ("all(result, nil)", VECTOR, "predicate should has one input and one output param"),
        ("result[1:nil] == result", VECTOR, "non-integer slice index unknown"),
        ("result?.x == nil", "abc", "type string has no field x"),
    ],
)
def test_checks_argo_users_meet(source: str, result: Any, message: str) -> None:
    """Comparisons, arithmetic, indexing and functions on the wrong type, with expr's own words."""
    assert outcome(source, result) == message


def test_the_whole_condition_is_checked_before_it_runs() -> None:
    """A branch that would never run is still type-checked, as expr compiles all of it first."""
    assert outcome("true || result == 'x'", 0.5) == mismatched("==", "float64", "string")
    assert outcome("false && result[0] == 'x'", VECTOR) == mismatched("==", "float64", "string")


def test_interface_values_are_left_to_run_time() -> None:
    """Elements of `[]interface {}` and map values pass the check and fail (or not) when they run."""
    assert outcome("result.x == 1", WEB) is False
    assert outcome("result.x > 1", WEB) == "invalid operation: string > int"
    assert outcome("result[1] + 1 > 0", [1.0, "a"]) == "invalid operation: string + int"
    assert outcome("all(result.values, # > 1)", {"values": [2.0, 3.0]}) is True


def test_nil_matches_is_a_type_error_but_a_nil_value_matches_nothing() -> None:
    """expr refuses the literal `nil matches "x"`; a nil reaching `matches` at run time gives false."""
    assert outcome('nil matches "x"', None) == mismatched("matches", "unknown", "string")
    assert outcome('result.a matches "x"', WEB) is False
    assert outcome('not (result.a matches "x")', WEB) is True
    assert outcome('result.a contains "x"', WEB) is False
    assert outcome('"x" startsWith result.a', WEB) is False


def test_a_condition_is_checked_once_per_result_type_and_again_for_another() -> None:
    condition = compile_condition("result == 10")
    assert condition.evaluate(10.0) is True
    assert outcome("result == 10", VECTOR) == mismatched("==", "[]float64", "int")
    with pytest.raises(ConditionEvaluationError, match=r"mismatched types \[\]float64 and int"):
        condition.evaluate(VECTOR)
    assert condition.evaluate(3.0) is False
    assert condition.evaluate(math.inf) is False


def test_float64s_is_a_list_of_floats() -> None:
    vector = Float64s([1, 2.5])
    assert vector == [1.0, 2.5] and all(type(item) is float for item in vector)
    assert outcome("string(result) == '[1 2.5]'", vector) is True
    assert outcome("result", vector) == "expected bool, but got []float64"
    assert outcome("result[0:1]", vector) == "expected bool, but got []float64"


def test_unknown_names_are_refused_when_the_condition_is_built() -> None:
    """Argo reports `unknown name invalidVariable` at every measurement (TestErrorWithInvalidReference);
    canarykit refuses the condition before anything runs."""
    with pytest.raises(ConditionSyntaxError, match="unknown name invalidVariable"):
        compile_condition("invalidVariable")


def test_python_callables_are_not_type_checked() -> None:
    assert compile_condition(lambda result: result[0] == "x").evaluate(VECTOR) is False

"""Member access, indexing (negative too), slices and optional chaining on `result`."""

from __future__ import annotations

import pytest
from condition_support import error_of, value

WEB = {"data": {"ok": True, "rate": 0.97, "items": [1, 2, 3], "nested": {"deep": "x"}}, "count": 3}


def test_member_access_on_maps() -> None:
    assert value("result.data.ok", WEB) is True
    assert value("result.data.nested.deep", WEB) == "x"
    assert value("result['data']['rate']", WEB) == 0.97
    assert value("result.data['items'][1]", WEB) == 2
    assert value("result.data.items[-1]", WEB) == 3


def test_missing_map_key_is_nil() -> None:
    assert value("result.nope", WEB) is None
    assert value("result.data.nope == nil", WEB) is True
    assert value("result['nope']", WEB) is None


def test_member_of_nil_is_an_error() -> None:
    assert error_of("result.nope.deeper", WEB) == "cannot fetch deeper from <nil>"
    assert error_of("result.x") == "cannot fetch x from <nil>"
    assert error_of("result[0]") == "cannot fetch 0 from <nil>"


def test_member_of_an_array_or_number_is_an_error() -> None:
    # at run time (a value typed `interface {}`), expr converts an array index with `runtime.ToInt`
    assert error_of("result.x", [1]) == "invalid operation: int(string)"
    assert error_of("result.x", 1.5) == "cannot fetch x from float64"
    assert error_of("result[true]", [1]) == "invalid operation: int(bool)"


def test_indexing() -> None:
    assert value("result[0]", [0.95, 0.5]) == 0.95
    assert value("result[1]", [0.95, 0.5]) == 0.5
    assert value("result[-1]", [0.95, 0.5]) == 0.5
    assert value("result[-2]", [0.95, 0.5]) == 0.95
    assert value("result[1.9]", [0.95, 0.5]) == 0.5  # float indexes truncate, as expr's ToInt
    assert value("result[1 + 0]", [0.95, 0.5]) == 0.5
    assert value("'abc'[1]") == "b"


def test_index_out_of_range_reads_like_expr() -> None:
    assert error_of("result[0]", []) == "index out of range: 0 (array length is 0)"
    assert error_of("result[2]", [1, 2]) == "index out of range: 2 (array length is 2)"
    assert error_of("result[-1]", []) == "index out of range: -1 (array length is 0)"
    assert error_of("result[-3]", [1, 2]) == "index out of range: -1 (array length is 2)"


def test_a_map_key_that_is_not_a_string_is_an_error() -> None:
    expected = "reflect.Value.MapIndex: value of type []interface {} is not assignable to type string"
    assert error_of("result[[1]]", {"a": 1}) == expected
    assert value("result[nil]", {"": 1}) == 1  # Go reads a nil key as the zero string


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("result[1:3]", (2, 3)),
        ("result[:2]", (1, 2)),
        ("result[2:]", (3, 4)),
        ("result[:]", (1, 2, 3, 4)),
        ("result[-2:]", (3, 4)),
        ("result[:-1]", (1, 2, 3)),
        ("result[3:1]", ()),
        ("result[1:100]", (2, 3, 4)),
        ("result[-100:1]", (1,)),
    ],
)
def test_slices(source: str, expected: tuple[int, ...]) -> None:
    assert value(source, [1, 2, 3, 4]) == expected


def test_string_slices_and_slice_errors() -> None:
    assert value("'hello'[1:3]") == "el"
    assert error_of("result[0:1]") == "cannot slice <nil>"
    assert error_of("result[0:1]", {"a": 1}) == "cannot slice map[string]interface {}"


def test_optional_chaining() -> None:
    assert value("result?.data", None) is None
    assert value("result?.data.ok", None) is None  # the rest of the chain is skipped
    assert value("result?.data?.ok", {"data": None}) is None
    assert value("result?.data.ok", WEB) is True
    assert value("result?.[0]", None) is None
    assert value("result?.[0]", [7]) == 7
    assert value("(result)?.count", WEB) == 3
    assert value("result?.data?.nope ?? 'fallback'", WEB) == "fallback"


def test_member_names_may_be_keywords() -> None:
    assert value("result.in", {"in": 1}) == 1
    assert value("result.nil", {"nil": 2}) == 2

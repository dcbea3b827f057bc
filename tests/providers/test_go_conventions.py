"""Go's parsing and error texts that Argo's messages carry, checked against Go's own test vectors:
`time.ParseDuration` and `time.Parse` (time/time_test.go, format_test.go), `encoding/json` syntax errors,
`strconv.ParseFloat`, and expr's rules for times and durations."""

from __future__ import annotations

import pytest

from canarykit.providers.go_json import syntax_error
from canarykit.providers.go_text import go_parse_float, go_quote
from canarykit.providers.go_time import load_location, parse_duration, parse_time
from canarykit.providers.time_expr import TimeExpression
from canarykit.providers.time_expr_syntax import TimeExprError

S, MS, US = 10**9, 10**6, 10**3
NOW = 1_700_000_900 * S


@pytest.mark.parametrize(
    ("text", "nanoseconds"),
    [
        ("0", 0), ("5s", 5 * S), ("30s", 30 * S), ("1478s", 1478 * S), ("-5s", -5 * S), ("+5s", 5 * S),
        ("-0", 0), ("+0", 0), ("5.0s", 5 * S), ("5.6s", 5 * S + 600 * MS), ("5.s", 5 * S), (".5s", 500 * MS),
        ("1.004s", S + 4 * MS), ("100.00100s", 100 * S + MS), ("10ns", 10), ("11us", 11 * US),
        ("12µs", 12 * US), ("12μs", 12 * US), ("13ms", 13 * MS), ("15m", 15 * 60 * S), ("16h", 16 * 3600 * S),
        ("3h30m", 12600 * S), ("10.5s4m", 250 * S + 500 * MS), ("-2m3.4s", -(123 * S + 400 * MS)),
        ("1h2m3s4ms5us6ns", 3723 * S + 4 * MS + 5 * US + 6), ("39h9m14.425s", 140954 * S + 425 * MS),
        ("0.3333333333333333333h", 20 * 60 * S), ("9007199254740993ns", 9007199254740993),
        ("9223372036854775807ns", 2**63 - 1), ("9223372036854775.807us", 2**63 - 1),
        ("-9223372036854775808ns", -(2**63)), ("0.830103483285477580700h", 2988372539827),
    ],
)  # fmt: skip
def test_parse_duration_as_go(text: str, nanoseconds: int) -> None:
    assert parse_duration(text) == nanoseconds


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", 'time: invalid duration ""'), ("3", 'time: missing unit in duration "3"'),
        ("-", 'time: invalid duration "-"'), ("s", 'time: invalid duration "s"'),
        (".", 'time: invalid duration "."'),
        (".s", 'time: invalid duration ".s"'), ("1d", 'time: unknown unit "d" in duration "1d"'),
        ("\x85\x85", 'time: invalid duration "\\xc2\\x85\\xc2\\x85"'),
        ("9223372036854775808ns", 'time: invalid duration "9223372036854775808ns"'),
        ("-9223372036854775809ns", 'time: invalid duration "-9223372036854775809ns"'),
    ],
)  # fmt: skip
def test_parse_duration_errors_as_go(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_duration(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("layout", "value", "unix_ns"),
    [
        ("2006-01-02 15:04:05", "2023-08-14 00:00:00", 1_691_971_200 * S),
        (
            "Mon, 02 Jan 2006 15:04:05 MST",
            "Thu, 04 Feb 2010 21:00:57 PST",
            1_265_317_257 * S,
        ),  # unknown zone: +0
        ("Mon Jan _2 15:04:05 2006", "Thu Feb  4 21:00:57 2010", 1_265_317_257 * S),
        ("2006-01-02T15:04:05Z07:00", "2010-02-04T21:00:57-08:00", 1_265_346_057 * S),
        ("2006-01-02T15:04:05Z07:00", "2010-02-04T21:00:57.012345678Z", 1_265_317_257 * S + 12_345_678),
        ("Jan _2 15:04:05.000", "Feb  4 21:00:57.012", -62_164_205_943 * S + 12 * MS),  # year 0
        ("3:04PM", "9:00PM", -62_167_143_600 * S),
        (
            "2006-01-02 15:04:05",
            "2010-02-04 21:00:57.5",
            1_265_317_257 * S + 500 * MS,
        ),  # a fraction not shown
    ],
)
def test_parse_time_as_go(layout: str, value: str, unix_ns: int) -> None:
    assert parse_time(layout, value) == unix_ns


@pytest.mark.parametrize(
    ("layout", "value", "message"),
    [
        ("2006-01-02", "2023-02-30", 'parsing time "2023-02-30": day out of range'),
        ("2006-01-02", "2023-13-01", 'parsing time "2023-13-01": month out of range'),
        (
            "2006-01-02",
            "23-01-01",
            'parsing time "23-01-01" as "2006-01-02": cannot parse "23-01-01" as "2006"',
        ),
        ("2006-01-02", "2023-01-01x", 'parsing time "2023-01-01x": extra text: "x"'),
        ("15:04", "25:00", 'parsing time "25:00": hour out of range'),
        (
            "Mon Jan _2",
            "Thu Fxb  4",
            'parsing time "Thu Fxb  4" as "Mon Jan _2": cannot parse "Fxb  4" as "Jan"',
        ),
    ],
)
def test_parse_time_errors_as_go(layout: str, value: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_time(layout, value)
    assert str(caught.value) == message


def test_a_time_in_a_zone_is_read_in_its_offset_of_that_day() -> None:
    paris = load_location("Europe/Paris")
    assert parse_time("2006-01-02 15:04", "2023-08-14 02:00", paris) == 1_691_971_200 * S  # CEST, +2
    assert parse_time("2006-01-02 15:04", "2023-01-14 01:00", paris) == 1_673_654_400 * S  # CET, +1
    with pytest.raises(ValueError, match=r"^unknown time zone Mars/Olympus$"):
        load_location("Mars/Olympus")


@pytest.mark.parametrize(
    ("source", "unix_ns"),
    [
        ("now()", NOW),
        ('now() - duration("5m")', NOW - 300 * S),
        ('duration("5m") + now()', NOW + 300 * S),
        ('now() - 2 * duration("1m") - duration("30s") * 2', NOW - 180 * S),
        ("now() - (now() - now())", NOW),
        ('now().Add(duration("-1h"))', NOW - 3600 * S),
        ('now().Truncate(duration("1h"))', 1_699_999_200 * S),
        ('now().Round(duration("1h"))', 1_699_999_200 * S),  # 28 minutes past: down
        ('(now() + duration("30m")).Round(duration("1h"))', 1_700_002_800 * S),  # 58 minutes past: up
        ("now().UTC()", NOW),
        ('date("2023-08-14")', 1_691_971_200 * S),
        ('date("2023-08-14T10:00:00+02:00")', 1_692_000_000 * S),
        ('date("2023-08-14 10:00", "2006-01-02 15:04", "Europe/Paris")', 1_692_000_000 * S),
        ('date(timezone("Europe/Paris"), "2023-08-14 10:00:00")', 1_692_000_000 * S),
        ("now() - duration(`1h`) + duration('1h')", NOW),
    ],
)
def test_time_expressions_follow_expr(source: str, unix_ns: int) -> None:
    assert TimeExpression(source).evaluate(NOW) == unix_ns


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("now() + now()", "invalid operation: + (mismatched types time.Time and time.Time)"),
        ('duration("1m") - now()', "invalid operation: - (mismatched types time.Duration and time.Time)"),
        ('now() - 1.5 * duration("1m")', "invalid operation: - (mismatched types time.Time and float64)"),
        ('-duration("1m") + now()', "invalid operation: - (mismatched type time.Duration)"),
        ("now() - now()", "expected time.Time, but got time.Duration"),
        ("1 + 2", "expected time.Time, but got int"),
        ("isNaN(1.5)", "expected time.Time, but got bool"),
        ("duration(5)", "cannot use int as argument (type string) to call duration "),
        ('duration("1m", "2m")', "too many arguments to call duration"),
        ("now(1)", "invalid number of arguments (expected 0, got 1)"),
        ("date()", "invalid number of arguments (expected at least 1, got 0)"),
        ('date("yesterday")', "invalid date yesterday"),
        ('date("x", "2006", "Nowhere/Town")', "unknown time zone Nowhere/Town"),
        ("now().Year()", "type time.Time has no method Year"),
        ("yesterday", "unknown name yesterday"),
        ("now() ? 1 : 2", 'unexpected token Operator("?")'),
        ('now() - duration("1m"', "unexpected token EOF"),
        ("now() - " + "(" * 60 + "now()" + ")" * 60, "expression nested deeper than 50 levels"),
        ("now() + " * 200 + "now()", "expression longer than 1000 characters"),
    ],
)
def test_time_expression_errors_are_exprs(source: str, message: str) -> None:
    with pytest.raises(TimeExprError) as caught:
        TimeExpression(source).evaluate(NOW)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "unexpected end of JSON input"),
        (b"<html>", "invalid character '<' looking for beginning of value"),
        (b'{"a" 1}', "invalid character '1' after object key"),
        (b'{"a":1 "b":2}', "invalid character '\"' after object key:value pair"),
        (b"[1 2]", "invalid character '2' after array element"),
        (b"{1:2}", "invalid character '1' looking for beginning of object key string"),
        (b"tru", "invalid character ' ' in literal true (expecting 'e')"),
        (b"1.x", "invalid character 'x' after decimal point in numeric literal"),
        (b"1e+", "invalid character ' ' in exponent of numeric literal"),
        (b"-x", "invalid character 'x' in numeric literal"),
        (b'"\\x"', "invalid character 'x' in string escape code"),
        (b'"\\u12"', "invalid character '\"' in \\u hexadecimal character escape"),
        (b'"a\x01"', "invalid character '\\x01' in string literal"),
        (b"01", "invalid character '1' after top-level value"),
        (b"\xc3\xa9", "invalid character 'Ã' looking for beginning of value"),
        (b"'", "invalid character '\\'' looking for beginning of value"),
        (b"[" * 10_001, "invalid character '[' exceeded max depth"),
        (b'{"a": [1, 2.5e-3, true, false, null, "\\u00e9"]} ', None),
    ],
)
def test_json_syntax_errors_are_go_encoding_jsons(body: bytes, message: str | None) -> None:
    assert syntax_error(body) == message


@pytest.mark.parametrize(
    ("text", "value"),
    [("1", 1.0), ("-1.5e3", -1500.0), (".5", 0.5), ("5.", 5.0), ("+Inf", float("inf")),
     ("-inf", float("-inf")), ("infinity", float("inf")), ("0x1p-2", 0.25), ("1e-400", 0.0)],
)  # fmt: skip
def test_parse_float_as_go(text: str, value: float) -> None:
    assert go_parse_float(text) == value


@pytest.mark.parametrize(
    ("text", "reason"),
    [(" 1", "invalid syntax"), ("1_000", "invalid syntax"), ("+NaN", "invalid syntax"),
     ("0x1", "invalid syntax"), ("", "invalid syntax"), ("1e400", "value out of range")],
)  # fmt: skip
def test_parse_float_errors_as_go(text: str, reason: str) -> None:
    with pytest.raises(ValueError) as caught:
        go_parse_float(text)
    assert str(caught.value) == f"strconv.ParseFloat: parsing {go_quote(text)}: {reason}"


def test_quote_as_strconv() -> None:
    assert go_quote('a"b\\c\n\t\x01é\u2028') == '"a\\"b\\\\c\\n\\t\\x01é\\u2028"'


def test_the_scanners_fast_path_finds_what_the_byte_by_byte_walk_finds() -> None:
    sample = b'{"metric": {"a": "b\\u00e9"}, "values": [[1700000000.5, "0.5"], [1, "-1e-3"]]}'
    body = (
        b'{"status": "success", "data": {"resultType": "matrix", "result": ['
        + b", ".join([sample] * 3)
        + b"]}}"
    )
    alphabet = b' \t\n{}[]:,"\\0123456789.eE+-tfnulx\x01\xc3'
    seed = 1
    for position in range(len(body)):  # every position gets a deletion and a replacement
        seed = (seed * 1_103_515_245 + 12_345) % 2**31
        replaced = body[:position] + bytes([alphabet[seed % len(alphabet)]]) + body[position + 1 :]
        for mutated in (body[:position] + body[position + 1 :], replaced, body[:position]):
            assert syntax_error(mutated) == syntax_error(mutated, fast=False), mutated

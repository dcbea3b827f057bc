"""Go-style durations."""

from __future__ import annotations

import pytest

from canarykit import DurationError, parse_duration
from canarykit.durations import format_duration, go_reason, parse_optional_duration, parse_positive_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("10s", 10),
        ("2m", 120),
        ("1h30m", 5400),
        ("1.5m", 90),
        ("0", 0),
        ("300ms", 0.3),
        ("1h0m0s", 3600),
        (45, 45),
    ],
)
def test_parse(text: str | int, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("10", 'time: missing unit in duration "10"'),
        ("1d", 'time: unknown unit "d" in duration "1d"'),
        ("abc", 'time: invalid duration "abc"'),
        ("", 'time: invalid duration ""'),
        ("-5s", "duration must be >= 0, got '-5s'"),
        (-1, "duration must be >= 0, got -1"),
    ],
)
def test_invalid(text: str | int, message: str) -> None:
    with pytest.raises(DurationError) as caught:
        parse_duration(text, "spec.x")
    assert go_reason(caught.value) == message  # Go's words; the units hint follows (tests/durations/)
    assert caught.value.path == "spec.x"


def test_bool_is_not_a_duration() -> None:
    with pytest.raises(DurationError):
        parse_duration(True)


@pytest.mark.parametrize(
    ("seconds", "text"), [(90, "1m30s"), (7200, "2h0m0s"), (0.5, "500ms"), (0, "0s"), (10, "10s")]
)
def test_format(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("2562047h47m16.854775807s", 9223372036.854775807),  # the largest Go time.Duration
        ("9223372036854775807ns", 9223372036.854775807),
        ("153722867m", 153722867 * 60),
        ("1.s", 1),
        (".5s", 0.5),
        ("+0", 0),
        ("-0s", 0),
        ("0000000000000000000000001s", 1),  # leading zeros are not an overflow
        ("1.00000000000000000000000000001s", 1),  # fraction digits past int64 precision are ignored
        ("1µs", 1e-6),
        ("1μs", 1e-6),
    ],
)
def test_go_edges_parse(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds, rel=1e-15)


@pytest.mark.parametrize(
    ("text", "message"),
    [  # each message is what Go's time.ParseDuration returns for the text
        ("99999999999999999999h", 'time: invalid duration "99999999999999999999h"'),
        ("2562047h47m16.854775808s", 'time: invalid duration "2562047h47m16.854775808s"'),
        ("9223372036854775808ns", 'time: invalid duration "9223372036854775808ns"'),
        ("2562048h", 'time: invalid duration "2562048h"'),
        ("153722868m", 'time: invalid duration "153722868m"'),
        ("2562047h2562047h", 'time: invalid duration "2562047h2562047h"'),
        ("99999999999999999999", 'time: invalid duration "99999999999999999999"'),  # overflow before unit
        ("9" * 5000 + "s", 'time: invalid duration "' + "9" * 5000 + 's"'),
        (".s", 'time: invalid duration ".s"'),
        ("-", 'time: invalid duration "-"'),
        ("1e3s", 'time: unknown unit "e" in duration "1e3s"'),
        ('1"s', 'time: unknown unit "\\"s" in duration "1\\"s"'),
        ("1\ts", 'time: unknown unit "\\x09s" in duration "1\\x09s"'),
        ("1ås", 'time: unknown unit "\\xc3\\xa5s" in duration "1\\xc3\\xa5s"'),
    ],
)
def test_go_edges_refused(text: str, message: str) -> None:
    with pytest.raises(DurationError) as caught:
        parse_duration(text)
    assert go_reason(caught.value) == message  # Go's words; the units hint follows (tests/durations/)


@pytest.mark.parametrize("seconds", [9223372036.854776, 2**63, 10**400, 1e300, float("inf")])
def test_numbers_have_go_upper_bound(seconds: float) -> None:
    with pytest.raises(DurationError, match=r"is too long \(at most 9223372036.854775807 s"):
        parse_duration(seconds, "spec.x")


def test_largest_number_is_accepted() -> None:
    assert parse_duration(9223372036.854775) == 9223372036.854775
    assert parse_duration(9223372036) == 9223372036


@pytest.mark.parametrize("value", ["99999999999999999999h", 10**400, float("inf")])
def test_every_parser_refuses_overflow(value: str | float) -> None:
    with pytest.raises(DurationError):
        parse_optional_duration(value, "spec.y")
    with pytest.raises(DurationError):
        parse_positive_duration(value, "spec.z")


def test_many_terms_parse() -> None:
    assert parse_duration("1s" * 100_000) == 100_000

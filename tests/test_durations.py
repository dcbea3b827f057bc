"""Go-style durations."""

from __future__ import annotations

import pytest

from canarykit import DurationError, parse_duration
from canarykit.durations import format_duration


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
    assert caught.value.reason == message
    assert caught.value.path == "spec.x"


def test_bool_is_not_a_duration() -> None:
    with pytest.raises(DurationError):
        parse_duration(True)


@pytest.mark.parametrize(
    ("seconds", "text"), [(90, "1m30s"), (7200, "2h0m0s"), (0.5, "500ms"), (0, "0s"), (10, "10s")]
)
def test_format(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text

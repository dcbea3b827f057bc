"""`--at`-style times: a bad one names its flag, echoes the text and shows an example."""

from __future__ import annotations

import pytest

from canarykit import SpecError
from canarykit.cli.timeparse import clock_at, parse_time


def test_a_bad_time_names_its_flag_and_shows_an_example() -> None:
    with pytest.raises(SpecError) as refused:
        parse_time("yesterday", "--from")
    assert str(refused.value) == (
        "--from: invalid time 'yesterday': expected RFC 3339 or unix seconds, "
        "e.g. 2026-11-20T10:00:00Z or 1700000000"
    )


def test_a_time_without_a_zone_names_at_by_default_through_clock_at() -> None:
    with pytest.raises(SpecError) as refused:
        clock_at("2026-11-20T10:00:00")
    assert refused.value.path == "--at" and "needs a zone" in refused.value.reason


def test_good_times() -> None:
    assert parse_time("1700000000.5") == 1700000000.5
    assert parse_time("2023-11-14T22:13:20Z") == 1700000000.0

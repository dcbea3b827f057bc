"""Measurements keep bounded previews of large values and messages; faults are redacted and bounded."""

from __future__ import annotations

import dataclasses
import json
import logging

import pytest

from canarykit.analysis import Measurement, Metric, Phase
from canarykit.analysis.take import take_measurement
from canarykit.errors import ProviderError
from canarykit.providers import Observation
from canarykit.testing import FakeClock
from canarykit.values import PREVIEW_CHARS, preview


def test_preview_keeps_short_text_and_says_how_much_of_long_text_it_left_out() -> None:
    assert preview("x" * PREVIEW_CHARS) == "x" * PREVIEW_CHARS
    cut = preview("x" * 5_000_000)
    assert cut == "x" * 973 + "… (4999027 more characters)"
    assert len(cut) <= PREVIEW_CHARS
    assert preview(cut) == cut
    assert preview("abcdefghij", 5) == "abcde"


def test_a_measurement_holds_previews_of_its_value_message_and_metadata() -> None:
    huge = "9" * 3_000_000
    measurement = Measurement(
        Phase.ERROR, 1.0, 2.0, value=huge, message=huge, metadata={"warnings": huge}, result=[1.0] * 10
    )
    assert measurement.value == measurement.message == measurement.metadata["warnings"] == preview(huge)
    assert measurement.result == [1.0] * 10
    assert len(json.dumps(measurement.to_dict())) < 4 * PREVIEW_CHARS
    assert dataclasses.replace(measurement, phase=Phase.FAILED).value == measurement.value


class Leaky:
    """A provider whose faults and values quote its secret, and that knows how to hide it."""

    def __init__(self, fault: Exception | None) -> None:
        self.fault = fault

    def measure(self, query: str | None, at: float) -> Observation:
        if self.fault is not None:
            raise self.fault
        return Observation(value={"token": "zq"}, text='{"token":"***"}')

    def redact(self, text: str) -> str:
        return text.replace("zq", "***")


def test_a_huge_fault_is_logged_and_recorded_as_a_redacted_preview(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="canarykit")
    fault = ProviderError("token zq refused; " + "y" * 4_000_000)
    measurement = take_measurement(Metric("m", Leaky(fault), query="q"), FakeClock())
    assert measurement.phase is Phase.ERROR
    assert measurement.message == preview("token *** refused; " + "y" * 4_000_000)
    assert "zq" not in caplog.text
    assert max(len(record.getMessage()) for record in caplog.records) < PREVIEW_CHARS + 100


def test_an_evaluation_error_quoting_the_value_is_redacted_by_the_provider() -> None:
    metric = Metric("m", Leaky(None), query="q", success_condition="int(result.token) > 1")
    measurement = take_measurement(metric, FakeClock())
    assert measurement.phase is Phase.ERROR
    assert measurement.message == (
        'could not evaluate successCondition "int(result.token) > 1": '
        "invalid operation: int(***)"  # expr's int() words it so (builtin/lib.go), quoting the text
    )

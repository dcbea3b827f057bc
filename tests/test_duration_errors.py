"""One duration parser, one error: the same bad duration says the same thing wherever it is written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from canarykit import DurationError, Metric, parse_duration
from canarykit.argo import load, load_analysis_template
from canarykit.durations import DURATION_HINT, go_reason, parse_positive_duration
from canarykit.judges import ErrorRateComparison, LowTraffic
from canarykit.steps import Pause
from canarykit.testing import ScriptedProvider, ScriptedTraffic

DATA = Path(__file__).parent / "data"
UNITS = 'valid units: ns, us (or µs), ms, s, m, h, combined as in "1h30m", e.g. "5m"'


def yaml_pause(duration: object) -> None:
    document = yaml.safe_load((DATA / "rollout.yaml").read_text())
    document["spec"]["strategy"]["canary"]["steps"][1]["pause"]["duration"] = duration
    load(yaml.safe_dump(document), DATA / "analysis-template.yaml")


def yaml_interval(interval: str) -> None:
    document = yaml.safe_load((DATA / "analysis-template.yaml").read_text())
    document["spec"]["metrics"][0]["interval"] = interval
    load_analysis_template(yaml.safe_dump(document))


PLACES: list[tuple[str, Callable[[str], Any], str]] = [
    ("parse_duration", lambda text: parse_duration(text, "--duration"), "--duration"),
    ("Pause", Pause, "Pause.duration"),
    ("Metric", lambda text: Metric("m", ScriptedProvider([1]), interval=text), "metric 'm': interval"),
    ("LowTraffic", lambda text: LowTraffic(max_wait=text), "LowTraffic.max_wait"),
    (
        "judge",
        lambda text: ErrorRateComparison(ScriptedTraffic(), "web").metric(interval=text),
        "metric 'error-rate-comparison': interval",
    ),
    ("YAML pause", yaml_pause, "spec.strategy.canary.steps[1].pause.duration"),
]


@pytest.mark.parametrize(("place", "make", "path"), PLACES, ids=[place for place, _, _ in PLACES])
@pytest.mark.parametrize("text", ["5 min", "2d", "soon"])
def test_every_place_raises_one_error_naming_the_field_the_value_and_the_units(
    place: str, make: Callable[[str], Any], path: str, text: str
) -> None:
    with pytest.raises(DurationError) as refused:
        make(text)
    message = str(refused.value)
    assert refused.value.path == path
    assert f'"{text}"' in message and message.endswith(UNITS)


def test_the_hint_is_appended_once_and_go_reason_takes_it_off() -> None:
    with pytest.raises(DurationError) as refused:
        parse_duration("1d", "spec.x")
    assert str(refused.value) == f'spec.x: time: unknown unit "d" in duration "1d"; {DURATION_HINT}'
    assert go_reason(refused.value) == 'time: unknown unit "d" in duration "1d"'


def test_a_bare_number_written_as_text_gets_a_suggestion() -> None:
    with pytest.raises(DurationError) as refused:
        parse_duration("10", "--window")
    assert str(refused.value) == (
        f'--window: time: missing unit in duration "10"; did you mean "10s"?; {DURATION_HINT}'
    )
    assert go_reason(refused.value) == 'time: missing unit in duration "10"'
    assert parse_duration(10) == 10.0  # a number is seconds


def test_a_zero_where_a_positive_duration_is_needed_is_a_duration_error() -> None:
    with pytest.raises(DurationError, match=r"^interval must be > 0, got '0s'; valid units"):
        parse_positive_duration("0s", "interval")


def test_yaml_pause_keeps_argos_words_first_then_the_value_and_the_units() -> None:
    with pytest.raises(DurationError) as refused:
        yaml_pause("soon")
    assert refused.value.reason == (
        "Duration needs to be greater than 0, got 'soon': time: invalid duration \"soon\"; " + DURATION_HINT
    )
    with pytest.raises(DurationError, match=r"^.*Duration needs to be greater than 0, got -5; valid units"):
        yaml_pause(-5)


def test_analysis_template_durations_keep_argos_exact_message() -> None:
    """Argo parity: `ValidateMetrics` prints Go's error alone; the Python `Metric` adds the units."""
    with pytest.raises(DurationError) as refused:
        yaml_interval("5 min")
    assert refused.value.reason == (
        "Analysis spec invalid: metrics[0]: "
        'invalid interval string: time: unknown unit " min" in duration "5 min"'
    )
    with pytest.raises(DurationError) as direct:
        Metric("m", ScriptedProvider([1]), interval="5 min")
    assert direct.value.reason.endswith(DURATION_HINT)

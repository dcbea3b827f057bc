"""kubectl-argo-rollouts habits: `--version`, and help saying which options repeat and their defaults."""

from __future__ import annotations

import pytest

from canarykit import __version__
from canarykit.cli.main import main


def test_version_prints_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"canarykit {__version__}"


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("analyze", "template argument (repeat for each)"),
        ("backtest", "template argument (repeat for each)"),
        ("backtest", "each run's length (default: 10m)"),
        ("rollout", "Rollout / AnalysisTemplate YAML (repeat for each file)"),
        ("rollout", "the new version's image (repeat for each container)"),
    ],
)
def test_help_says_what_repeats_and_the_defaults(
    command: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([command, "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert expected in help_text

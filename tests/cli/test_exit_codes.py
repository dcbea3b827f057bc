"""One exit-code table for every command: 0 ok, 1 failed, 2 Error verdict or run-time fault, 3 bad input."""

from __future__ import annotations

import logging

import pytest

from canarykit.analysis import Phase
from canarykit.cli.exit_codes import exit_code_for_error, exit_code_for_phase
from canarykit.cli.main import EXIT_ERROR, EXIT_FAILED, EXIT_OK, EXIT_USAGE, main
from canarykit.errors import (
    ArgumentError,
    CanaryError,
    ConditionSyntaxError,
    DurationError,
    KubernetesError,
    MissingDependency,
    ProviderError,
    RollbackFailed,
    SpecError,
    StateError,
    StateLocked,
    UnsupportedFeature,
)


def test_the_codes() -> None:
    assert (EXIT_OK, EXIT_FAILED, EXIT_ERROR, EXIT_USAGE) == (0, 1, 2, 3)


@pytest.mark.parametrize(
    ("phase", "code"),
    [
        (Phase.SUCCESSFUL, EXIT_OK),
        (Phase.FAILED, EXIT_FAILED),
        (Phase.INCONCLUSIVE, EXIT_FAILED),
        (Phase.ERROR, EXIT_ERROR),
        (Phase.RUNNING, EXIT_ERROR),  # a run that never completed is no verdict
    ],
)
def test_verdicts(phase: Phase, code: int) -> None:
    assert exit_code_for_phase(phase) == code


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (SpecError("bad"), EXIT_USAGE),
        (ArgumentError("args.x was not resolved"), EXIT_USAGE),
        (DurationError("unknown unit"), EXIT_USAGE),
        (ConditionSyntaxError("unexpected token", "result >"), EXIT_USAGE),
        (UnsupportedFeature("nested templates"), EXIT_USAGE),
        (MissingDependency("pip install 'canarykit[cli]'"), EXIT_USAGE),
        (ProviderError("connection refused"), EXIT_ERROR),
        (KubernetesError("unreachable"), EXIT_ERROR),
        (StateError("no rollout 'x'"), EXIT_ERROR),
        (StateLocked("driven by another process"), EXIT_ERROR),
        (RollbackFailed("weight not confirmed"), EXIT_ERROR),
        (CanaryError("anything else"), EXIT_ERROR),
    ],
)
def test_errors(error: CanaryError, code: int) -> None:
    assert exit_code_for_error(error) == code


@pytest.mark.parametrize(
    "argv",
    [["no-such-command"], ["analyze"], ["analyze", "-f", "x.yaml", "--output", "xml"], ["lint", "--bogus"]],
)
def test_usage_errors_exit_3_and_print_the_usage_once(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == EXIT_USAGE
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("usage: canarykit") == 1 and captured.err.count("error:") == 1


def test_help_and_version_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == EXIT_OK
    assert main(["--version"]) == EXIT_OK
    assert main(["lint", "--help"]) == EXIT_OK
    assert "exit 1 on errors" in " ".join(capsys.readouterr().out.split())


def test_the_log_is_quieted_only_while_a_command_runs(capsys: pytest.CaptureFixture[str]) -> None:
    analysis_log = logging.getLogger("canarykit.analysis")
    before = list(analysis_log.filters)
    assert main(["analyze", "-f", "/nonexistent.yaml"]) == EXIT_USAGE
    assert analysis_log.filters == before
    assert (
        capsys.readouterr().err
        == "canarykit: error: cannot read /nonexistent.yaml: No such file or directory\n"
    )

"""Shared by the command-line tests: run `canarykit ...` in this process and capture what it printed."""

from __future__ import annotations

import pytest

from canarykit.cli.main import main


def in_process(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """A command (as from "another terminal") run in this process to save interpreter start-ups:
    its exit code, stdout and stderr."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err

"""`CommandProvider`: real local commands; exit status to phase, deadline, process group, output, secrets."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from canarykit import AnalysisRun, Metric
from canarykit.analysis import Phase
from canarykit.analysis.take import take_measurement
from canarykit.errors import SpecError
from canarykit.interrupts import Interrupted, interruptible
from canarykit.providers.command import CommandProvider
from canarykit.rollout.signals import abort_on_signals
from canarykit.testing import FakeClock

WAIT_LIMIT = 30.0
"""Seconds a test waits for a real process to reach a state before failing (never a passing delay)."""


def wait_for(condition: Callable[[], bool], what: str) -> None:
    """Poll `condition` until it holds; fail after WAIT_LIMIT seconds."""
    deadline = time.monotonic() + WAIT_LIMIT
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"still waiting for {what} after {WAIT_LIMIT}s")
        time.sleep(0.01)


def alive(pid: int) -> bool:
    """True while process `pid` exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def pid_in(path: Path) -> int:
    wait_for(lambda: path.exists() and path.read_text().strip().isdigit(), f"a pid in {path}")
    return int(path.read_text())


def measure(provider: CommandProvider, **metric: str) -> tuple[Phase, str, str]:
    measurement = take_measurement(Metric("cmd", provider, **metric), FakeClock())  # type: ignore[arg-type]
    return measurement.phase, measurement.value, measurement.message


def test_exit_zero_is_successful() -> None:
    provider = CommandProvider(["sh", "-c", "echo all good; exit 0"])
    observation = provider.measure(None, 0)
    assert (observation.phase, observation.value, observation.message) == (Phase.SUCCESSFUL, 0, "")
    assert observation.metadata == {"command": "sh -c 'echo all good; exit 0'", "exit-code": "0"}


def test_non_zero_exit_is_failed_with_the_output_tail() -> None:
    phase, value, message = measure(CommandProvider(["sh", "-c", "echo checking; echo broken >&2; exit 3"]))
    assert (phase, value, message) == (Phase.FAILED, "3", "exit status 3: checking\nbroken")


def test_conditions_are_ignored() -> None:
    provider = CommandProvider(["true"])
    assert measure(provider, success_condition="false", failure_condition="true")[0] is Phase.SUCCESSFUL


def test_a_command_ended_by_a_signal_is_failed() -> None:
    phase, value, message = measure(CommandProvider(["sh", "-c", "kill -KILL $$"]))
    assert (phase, value, message) == (Phase.FAILED, "", "the command was ended by SIGKILL")


def test_timeout_stops_the_whole_process_group(tmp_path: Path) -> None:
    """Past the timeout, SIGTERM reaches the command and its children: Failed, as a Job past its deadline."""
    script = f"sleep 300 & echo $! > {tmp_path / 'child'}; echo started; sleep 300"
    phase, value, message = measure(CommandProvider(["sh", "-c", script], timeout=0.5))
    assert (phase, value) == (Phase.FAILED, "")
    assert message == (
        "DeadlineExceeded: the command was active longer than its timeout (0.5s) and was stopped: started"
    )
    child = pid_in(tmp_path / "child")
    wait_for(lambda: not alive(child), "the background child to be gone")


def test_sigterm_ignored_gets_sigkill_after_the_grace(tmp_path: Path) -> None:
    script = f"trap '' TERM; sleep 300 & echo $! > {tmp_path / 'child'}; wait"
    provider = CommandProvider(["sh", "-c", script], timeout=0.3, kill_grace=0.3)
    assert measure(provider)[0] is Phase.FAILED
    child = pid_in(tmp_path / "child")
    wait_for(lambda: not alive(child), "the TERM-proof child to be killed")


def test_children_left_behind_by_a_finished_command_are_killed(tmp_path: Path) -> None:
    """A child still holding stdout neither outlives the measurement nor blocks reading the output."""
    script = f"sleep 300 & echo $! > {tmp_path / 'child'}; exit 0"
    assert measure(CommandProvider(["sh", "-c", script], timeout=60))[0] is Phase.SUCCESSFUL
    child = pid_in(tmp_path / "child")
    wait_for(lambda: not alive(child), "the leftover child to be killed")


def test_a_signal_while_waiting_stops_the_command(tmp_path: Path) -> None:
    """SIGTERM to canarykit while the command runs: `Interrupted` at once, and the command is gone."""
    pid_file = tmp_path / "pid"
    provider = CommandProvider(["sh", "-c", f"echo $$ > {pid_file}; sleep 300"], timeout=600)

    def signal_once_started() -> None:
        pid_in(pid_file)
        os.kill(os.getpid(), signal.SIGTERM)

    sender = threading.Thread(target=signal_once_started)
    with abort_on_signals() as signals, pytest.raises(Interrupted), interruptible():
        sender.start()
        provider.measure(None, 0)
    sender.join()
    assert signals.reason == "received SIGTERM"
    command = pid_in(pid_file)
    wait_for(lambda: not alive(command), "the interrupted command to be gone")


def test_a_signal_as_the_command_starts_never_leaves_it_running(tmp_path: Path) -> None:
    """Regression: a signal landing inside `Popen` (before the provider held the process) leaked it."""
    for attempt in range(20):
        pid_file = tmp_path / f"pid-{attempt}"
        script = f"echo $$ > {pid_file}; kill -TERM $PPID; sleep 300"
        provider = CommandProvider(["sh", "-c", script], timeout=600)
        with abort_on_signals(), pytest.raises(Interrupted), interruptible():
            provider.measure(None, 0)
        command = pid_in(pid_file)
        wait_for(lambda: not alive(command), f"command {attempt} to be gone")  # noqa: B023


def test_output_is_bounded_to_its_last_characters() -> None:
    script = "echo first; head -c 5000000 /dev/zero | tr '\\0' x; echo; echo the-end; exit 1"
    phase, _, message = measure(CommandProvider(["sh", "-c", script], output_chars=100))
    assert phase is Phase.FAILED
    assert message.startswith("exit status 1: …x") and message.endswith("x\nthe-end")
    assert len(message) == len("exit status 1: …") + 100 and "first" not in message


def test_secrets_are_hidden_in_messages_and_metadata() -> None:
    provider = CommandProvider(
        ["sh", "-c", 'echo "token=$TOKEN"; exit 1', "s3cr3t-value"],
        env={"TOKEN": "s3cr3t-value"},
        secrets=["s3cr3t-value"],
    )
    measurement = take_measurement(Metric("cmd", provider), FakeClock())
    assert measurement.message == "exit status 1: token=***"
    assert "s3cr3t-value" not in str(measurement.metadata) + repr(provider)


def test_env_and_cwd_reach_the_command(tmp_path: Path) -> None:
    provider = CommandProvider(
        ["sh", "-c", 'test "$(pwd)" = "$EXPECTED" && test -n "$PATH"'],
        env={"EXPECTED": str(tmp_path)},
        cwd=tmp_path,
    )
    assert measure(provider)[0] is Phase.SUCCESSFUL


def test_a_command_that_cannot_start_is_an_error(tmp_path: Path) -> None:
    script = tmp_path / "check.sh"
    script.write_text("#!/bin/sh\nexit 0\n")
    script.chmod(0o755)
    provider = CommandProvider([str(script)])
    script.chmod(0o644)
    phase, _, message = measure(provider)
    assert (phase, message) == (Phase.ERROR, f"cannot run {str(script)!r}: Permission denied")


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"argv": []}, "command must be a non-empty list of strings"),
        ({"argv": "true"}, "command must be a non-empty list of strings"),
        ({"argv": ["true", 3]}, "command must be a non-empty list of strings"),
        ({"argv": ["no-such-program-canarykit"]}, "command not found: 'no-such-program-canarykit'"),
        ({"argv": ["./missing.sh"]}, "command not found: './missing.sh'"),
        ({"argv": ["true"], "timeout": 0}, "timeout must be a positive number of seconds, got 0"),
        ({"argv": ["true"], "timeout": True}, "timeout must be a positive number of seconds, got True"),
        ({"argv": ["true"], "kill_grace": -1}, "kill_grace must be a positive number of seconds, got -1"),
        ({"argv": ["true"], "env": {"A": 1}}, "env must map variable names to strings; 'A' does not"),
        ({"argv": ["true"], "cwd": "/no/such/dir"}, "cwd '/no/such/dir' is not a directory"),
    ],
)
def test_bad_input_is_refused_when_built(options: dict[str, object], error: str) -> None:
    with pytest.raises(SpecError, match=error.replace("(", r"\(")):
        CommandProvider(**options)  # type: ignore[arg-type]


def test_an_analysis_run_of_a_failing_command() -> None:
    metric = Metric("smoke", CommandProvider(["sh", "-c", "echo 2 errors; exit 1"]))
    result = AnalysisRun([metric], clock=FakeClock()).run()
    assert result.phase is Phase.FAILED
    assert result.message.startswith('Metric "smoke" assessed Failed due to failed (1) > failureLimit (0)')
    assert result.metrics[0].measurements[0].metadata["exit-code"] == "1"

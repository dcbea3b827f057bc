"""SIGTERM mid-rollout: traffic back to stable, state Degraded on record."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

from canarykit import FileStateStore

DRIVER = Path(__file__).parent / "signal_driver.py"


def test_sigterm_mid_rollout_rolls_back_and_records_degraded(tmp_path: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, str(DRIVER), str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "weight 20"  # now paused for an hour
    child.send_signal(signal.SIGTERM)
    out, err = child.communicate(timeout=30)
    assert child.returncode == 0, err
    lines = out.splitlines()
    assert lines[0] == "weight 0"
    assert json.loads(lines[-1]) == {"phase": "Degraded", "history": [20, 0]}
    record = FileStateStore(tmp_path).load("signalled")
    assert record is not None
    assert (record["phase"], record["weight"], record["finished"]) == ("Degraded", 0, True)
    assert record["message"] == "RolloutAborted: Rollout aborted update to revision 2: received SIGTERM"


def test_a_second_signal_exits_at_once_with_state_saved(tmp_path: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, str(DRIVER), str(tmp_path), "3600"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "weight 20"
    child.send_signal(signal.SIGTERM)
    assert child.stdout.readline().strip() == "weight 0"
    assert child.stdout.readline().strip() == "rolled back"  # on record; canary removal waits 1 h
    child.send_signal(signal.SIGTERM)
    child.communicate(timeout=30)
    assert child.returncode == 128 + signal.SIGTERM
    record = FileStateStore(tmp_path).load("signalled")
    assert record is not None
    assert (record["phase"], record["weight"], record["finished"]) == ("Degraded", 0, False)


def start(tmp_path: Path, *args: str) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, str(DRIVER), str(tmp_path), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "weight 20"
    return child


def test_two_signals_at_once_exit_only_after_the_abort_is_on_record(tmp_path: Path) -> None:
    """A person pressing Ctrl-C twice: the second signal must not lose the first one's abort.

    SIGINT then SIGTERM, back to back: two different signals are never merged into one by the kernel.
    """
    for attempt in range(3):
        state = tmp_path / str(attempt)
        child = start(state, "3600")
        child.send_signal(signal.SIGINT)
        child.send_signal(signal.SIGTERM)
        child.communicate(timeout=30)
        assert child.returncode in (128 + signal.SIGINT, 128 + signal.SIGTERM)
        record = FileStateStore(state).load("signalled")
        assert record is not None
        assert record["aborted"] and record["phase"] == "Degraded" and not record["finished"]
        assert record["abort_message"] in ("received SIGINT", "received SIGTERM")

        resumed = subprocess.run(
            [sys.executable, str(DRIVER), str(state)], capture_output=True, text=True, timeout=60
        )
        assert resumed.returncode == 0, resumed.stderr
        lines = resumed.stdout.splitlines()
        assert lines[0] == "weight 0" and "weight 50" not in lines  # the next driver rolls back
        assert json.loads(lines[-1]) == {"phase": "Degraded", "history": [0]}


def test_a_signal_during_a_hung_query_aborts_at_once(tmp_path: Path) -> None:
    child = start(tmp_path, "0", "hung-query")
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "querying"  # the query hangs for an hour
    child.send_signal(signal.SIGTERM)
    out, err = child.communicate(timeout=30)  # far less than the hour: the query was abandoned
    assert child.returncode == 0, err
    assert out.splitlines()[0] == "weight 0"
    assert json.loads(out.splitlines()[-1]) == {"phase": "Degraded", "history": [20, 0]}
    record = FileStateStore(tmp_path).load("signalled")
    assert record is not None and record["finished"] and record["abort_message"] == "received SIGTERM"

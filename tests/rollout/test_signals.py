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

"""A driver killed mid-step (SIGKILL) leaves a resumable state; the next run finishes, weights in order."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from canarykit import FileStateStore, StateLocked

DRIVER = Path(__file__).parent / "crash_driver.py"


def start(state_dir: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(DRIVER), str(state_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_sigkill_mid_step_then_resume(tmp_path: Path) -> None:
    first = start(tmp_path)
    assert first.stdout is not None
    assert first.stdout.readline().strip() == "weight 20"  # applied, not yet recorded as done
    with pytest.raises(StateLocked), FileStateStore(tmp_path).lock("crashing"):
        pass  # a second driver is refused while the first lives
    first.kill()
    first.wait(timeout=10)
    record = FileStateStore(tmp_path).load("crashing")
    assert record is not None and (record["pending_weight"], record["step_index"]) == (20, 0)

    second = start(tmp_path)
    out, err = second.communicate(input="\n" * 10, timeout=60)
    assert second.returncode == 0, err
    weights = [int(line.split()[1]) for line in out.splitlines() if line.startswith("weight")]
    assert weights == [20, 50, 100, 0]  # the interrupted weight re-applied first, then onwards in order
    assert out.splitlines()[-1] == "done Healthy"
    final = FileStateStore(tmp_path).load("crashing")
    assert final is not None and final["finished"] and final["phase"] == "Healthy"

"""State faults: a read-only or full state directory mid-rollout, corrupt and foreign records, two drivers.

A driver that cannot save returns traffic to stable and raises a `CanaryError`; one that finds a record it
cannot trust refuses it (`StateError`) and moves nothing, leaving the weight where it found it.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from typing import Any

from fault_lab import Lab
from fault_outcome import Case, Expect
from state_faults import fill_tmpfs, mount_tmpfs, read_only, writable_again

PROGRESSING = "Progressing"  # the record as last saved, before the disk refused the next save


def read_only_state(lab: Lab) -> float:
    """The state directory turns read-only while the rollout pauses at 20; a second driver is refused."""
    return _unwritable_mid_rollout(lab, lambda: read_only(lab, lab.root / "state"))


def read_only_state_repaired(lab: Lab) -> float:
    """As above, then the directory is writable again and a driver resumes: it must not send traffic to
    the canary again, although the first driver could not record that it took traffic away."""
    broken = read_only_state(lab)
    writable_again(lab.root / "state")
    assert lab.run() == 0, lab.drivers[-1].log()
    return broken


def full_disk_store(lab: Lab) -> float:
    """The store's disk fills up: its `save` raises OSError(ENOSPC) (a user's store need not wrap it)."""
    flag = lab.root / "disk-full"
    return _unwritable_mid_rollout(lab, flag.touch, store="enospc")


def full_disk_tmpfs(lab: Lab) -> float:
    """The state directory is a tiny tmpfs that fills up mid-rollout (FileStateStore's own ENOSPC)."""
    mount_tmpfs(lab, lab.root / "state")
    return _unwritable_mid_rollout(lab, lambda: fill_tmpfs(lab.root / "state"))


def _unwritable_mid_rollout(lab: Lab, break_disk: Callable[[], object], **changes: Any) -> float:
    """The rollout pauses at 20, the disk breaks, the driver goes on; then a second driver tries."""
    first = lab.start(block_at="StepCompleted:1", **changes)
    first.wait_blocked()
    saved = lab.state_path().read_bytes()
    break_disk()
    broken = time.monotonic()
    first.release()
    assert first.wait_exit() == 1, first.log()
    assert lab.state_path().read_bytes() == saved  # nothing half-written
    assert lab.run(**changes) == 1, lab.drivers[-1].log()  # refused while the disk is broken
    return broken


def corrupt_record(lab: Lab) -> float:
    """A driver killed at weight 20 left a record that is then torn in half."""
    _killed_at_20(lab)
    path = lab.state_path()
    torn = path.read_bytes()[:200]
    path.write_bytes(torn)
    corrupted = time.monotonic()
    assert lab.run() == 1, lab.drivers[-1].log()
    assert path.read_bytes() == torn  # left as found, for a human to look at
    assert str(path) in lab.entries(event="raised")[-1]["message"]
    return corrupted


def foreign_name(lab: Lab) -> float:
    """web.json holds rollout "other"'s record (copied by hand)."""
    _killed_at_20(lab, name="other")
    shutil.copy(lab.state_path("other"), lab.state_path("web"))
    copied = time.monotonic()
    assert lab.run() == 1, lab.drivers[-1].log()
    message = lab.entries(event="raised")[-1]["message"]
    assert "name: " in message and "'other'" in message, message
    return copied


def foreign_plan(lab: Lab) -> float:
    """A driver started with other steps finds the record of the plan a killed driver was running."""
    _killed_at_20(lab)
    changed = time.monotonic()
    other_steps = (("weight", 20), ("pause", "2m"), ("weight", 40), ("pause", "2m"))
    assert lab.run(steps=other_steps) == 1, lab.drivers[-1].log()
    message = lab.entries(event="raised")[-1]["message"]
    assert "plan: " in message, message
    return changed


def two_drivers(lab: Lab) -> float:
    """A second driver starts while the first pauses at 20: refused at once; the first goes on."""
    first = lab.start(analysis=lab.analysis(), block_at="StepCompleted:1")
    first.wait_blocked()
    second_started = time.monotonic()
    assert lab.run(analysis=lab.analysis()) == 1, lab.drivers[-1].log()
    first.release()
    assert first.wait_exit() == 0, first.log()
    return second_started


def _killed_at_20(lab: Lab, name: str = "web") -> None:
    first = lab.start(name=name, block_at="StepCompleted:0")
    first.wait_blocked()
    first.kill()


STORE_FAULT = ("StateError", "UnexpectedError")  # a user's store raising OSError: either is a clear error
STUCK_AT_20 = Expect(None, 20, refused=("StateError",), finished=False)
CASES = [
    Case("read-only state directory", read_only_state, Expect(PROGRESSING, 0, ("StateError",), False)),
    Case("read-only state directory, repaired, resumed", read_only_state_repaired, Expect("Degraded", 0)),
    Case("full disk (store raises ENOSPC)", full_disk_store, Expect(PROGRESSING, 0, STORE_FAULT, False)),
    Case("full disk (tmpfs)", full_disk_tmpfs, Expect(PROGRESSING, 0, ("StateError",), False)),
    Case("corrupt record", corrupt_record, STUCK_AT_20),
    Case("foreign record (another rollout's)", foreign_name, Expect(PROGRESSING, 20, ("StateError",), False)),
    Case("foreign record (another plan)", foreign_plan, Expect(PROGRESSING, 20, ("StateError",), False)),
    Case("two drivers at once", two_drivers, Expect("Healthy", 0, ("StateLocked",))),
]

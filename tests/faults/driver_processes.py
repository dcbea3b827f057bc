"""Driver processes as a test sees them: forked from a server that imported canarykit once (a start costs
milliseconds, not an interpreter), followed through the journal, blocked, released, signalled, killed."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import fault_driver
from driver_config import DriverConfig
from fault_support import read_journal
from nginx_support import wait_for

PROCESS_DEADLINE = 60.0
"""Seconds a driver gets to reach a point or to exit (a busy 2-core machine); a hang fails, never passes."""

_FORKS = multiprocessing.get_context("forkserver")
_FORKS.set_forkserver_preload(
    ["__main__", "canarykit", "canarykit.testing", "canarykit.traffic.nginx_upstream"]
)
"""The fork server imports the main script and canarykit once (tests/ is not on its path: `fault_driver`
loads in each child, quickly)."""


class Driver:
    """One driver process: one "life" of a rollout, journaling into `<root>/journal.jsonl`."""

    def __init__(self, root: Path, config: DriverConfig) -> None:
        self.root, self.config, self.life = root, config, config.life
        self.dir = fault_driver.life_dir(root, config.life)
        self.dir.mkdir(parents=True)
        self.process: BaseProcess = _FORKS.Process(target=fault_driver.main, args=(config.to_json(),))
        self.process.start()

    @property
    def pid(self) -> int:
        assert self.process.pid is not None
        return self.process.pid

    def entries(self, event: str | None = None) -> list[dict[str, Any]]:
        """This driver's journal entries (of kind `event`, when given)."""
        journal = read_journal(self.root / "journal.jsonl")
        return [e for e in journal if e["life"] == self.life and (event is None or e["event"] == event)]

    def wait_until(self, condition: Callable[[], bool], what: str) -> None:
        """Wait until `condition()` holds; fail at once, with the driver's log, if it exits first."""

        def done() -> bool:
            if condition():
                return True
            if not self.process.is_alive():
                raise AssertionError(f"driver {self.life} exited before {what}:\n{self.log()}")
            return False

        wait_for(done, what, PROCESS_DEADLINE)

    def wait_event(self, event: str, **fields: Any) -> float:
        """Wait until the driver journals `event` (with `fields`); the journal's time of the first one."""

        def found() -> list[dict[str, Any]]:
            return [e for e in self.entries(event) if all(e.get(k) == v for k, v in fields.items())]

        self.wait_until(lambda: bool(found()), f"driver {self.life} to journal {event} {fields or ''}")
        return float(found()[0]["mono"])

    def wait_blocked(self) -> float:
        """Wait until the driver blocks at its `block_at` point; the journal's time of it."""
        return self.wait_event("blocked")

    def wait_blocked_or_exit(self) -> bool:
        """Wait until the driver blocks (True) or exits (False)."""
        wait_for(
            lambda: bool(self.entries("blocked")) or not self.process.is_alive(),
            f"driver {self.life} to block at {self.config.block_at} or to end",
            PROCESS_DEADLINE,
        )
        return self.process.is_alive()

    def release(self) -> None:
        (self.dir / "release").touch()

    def kill(self) -> float:
        """SIGKILL the driver and wait for it to die; the time the signal was sent."""
        sent = self.signal(signal.SIGKILL)
        self.wait_exit()
        return sent

    def signal(self, number: int) -> float:
        """Send signal `number`; the time it was sent."""
        sent = time.monotonic()
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, number)
        return sent

    def wait_exit(self) -> int:
        """The exit code once the driver has exited (negative: killed by that signal)."""
        self.process.join(PROCESS_DEADLINE)
        if self.process.exitcode is None:
            raise AssertionError(
                f"driver {self.life} still running after {PROCESS_DEADLINE:g} s:\n{self.log()}"
            )
        return self.process.exitcode

    def log(self) -> str:
        """The end of the driver's output (its log lines and any traceback)."""
        with contextlib.suppress(OSError):
            return (self.dir / "log").read_text(errors="replace")[-3000:]
        return ""

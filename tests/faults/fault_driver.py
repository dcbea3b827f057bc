"""One driver process of the fault matrix: a real `Rollout.run()` on a real nginx, journaling what it does.

Started by `Lab` (forked from a preloaded server, so a start costs milliseconds, not an interpreter). Its
router is `NginxUpstreamRouter`, journaling each weight (and blue-green preview) it is asked for, applies
and fails on; every event is journaled too. It runs canary steps, or a `BlueGreen` (driver_strategy.py). At
`block_at` (`before-weight:40`, `after-weight:40`, `before-preview:True`, `StepCompleted:1`, `Aborted`,
`MeasurementTaken#2`: the second in this life, ...) it journals `blocked` and waits for its release file,
so the test can kill it, signal it or break something there.
"""

from __future__ import annotations

import errno
import logging
import os
import sys
import time
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from driver_config import DriverConfig
from driver_strategy import strategy_of
from fault_support import FileClock, Journal

from canarykit import FileStateStore, Rollout
from canarykit.clock import Clock, SystemClock
from canarykit.errors import CanaryError, RoutingError
from canarykit.rollout import Backoff
from canarykit.rollout import events as ev
from canarykit.rollout.listeners import EventListener
from canarykit.testing import InMemoryWorkload
from canarykit.traffic.nginx_upstream import NginxUpstreamRouter

BLOCK_LIMIT = 120.0
"""Seconds a blocked driver waits for its release before it gives up (no orphan lives forever)."""


def life_dir(root: Path, life: int) -> Path:
    return root / "lives" / str(life)


class Gate:
    """Blocks the driver once, at the point its config names, until the test touches the release file."""

    def __init__(self, config: DriverConfig, journal: Journal) -> None:
        self.point, self.journal = config.block_at, journal
        self.release = life_dir(Path(config.root), config.life) / "release"
        self.measurements = 0

    def reached(self, point: str) -> None:
        if point != self.point:
            return
        self.point = None
        self.journal.write("blocked", point=point)
        give_up = time.monotonic() + BLOCK_LIMIT
        while not self.release.exists():
            if time.monotonic() > give_up:
                self.journal.write("never released", point=point)
                os._exit(99)
            time.sleep(0.01)
        self.journal.write("released", point=point)


class JournalRouter(NginxUpstreamRouter):
    """The real nginx router; journals each weight asked, applied or failed, and may refuse one a while."""

    def __init__(self, config: DriverConfig, journal: Journal, gate: Gate, clock: Clock) -> None:
        super().__init__(
            config.include,
            config.stable,
            config.canary,
            check_command=config.check,
            reload_command=config.reload,
            clock=clock,
            preview_upstream=config.bluegreen.preview_upstream if config.bluegreen else None,
        )
        self.journal, self.gate = journal, gate
        self.fail_weight, self.failures_left = config.fail_weight, config.fail_times

    def set_weight(self, weight: int) -> None:
        self.journal.write("set", weight=weight)
        self.gate.reached(f"before-weight:{weight}")
        try:
            if weight == self.fail_weight and self.failures_left > 0:
                self.failures_left -= 1
                raise RoutingError(f"the router's API refused weight {weight} (injected)")
            super().set_weight(weight)
        except RoutingError as fault:
            self.journal.write("set-failed", weight=weight, error=str(fault)[:300])
            raise
        self.journal.write("applied", weight=weight)
        self.gate.reached(f"after-weight:{weight}")

    def set_preview(self, canary: bool) -> None:
        """Blue-green's preview move, journaled as `preview`, `preview-applied` or `preview-failed`."""
        self.journal.write("preview", canary=canary)
        self.gate.reached(f"before-preview:{canary}")
        try:
            super().set_preview(canary)
        except RoutingError as fault:
            self.journal.write("preview-failed", canary=canary, error=str(fault)[:300])
            raise
        self.journal.write("preview-applied", canary=canary)
        self.gate.reached(f"after-preview:{canary}")


class FullDiskStore(FileStateStore):
    """A state store on a disk that fills up: `save` raises OSError(ENOSPC) while `flag` exists."""

    def __init__(self, directory: Path, flag: Path) -> None:
        super().__init__(directory)
        self.flag = flag

    def save(self, name: str, record: Mapping[str, Any]) -> None:
        if self.flag.exists():
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.path(name)))
        super().save(name, record)


def build(config: DriverConfig, journal: Journal, gate: Gate) -> Rollout:
    root = Path(config.root)
    clock: Clock = FileClock(root / "clock") if config.clock == "file" else SystemClock()
    store = FullDiskStore(root / "state", root / "disk-full") if config.store == "enospc" else None
    attempts, initial = config.backoff
    strategy, options = strategy_of(config)
    rollout = Rollout(
        config.name,
        strategy,
        JournalRouter(config, journal, gate, clock),
        InMemoryWorkload("blue"),
        clock=clock,
        state=store or FileStateStore(root / "state"),
        backoff=Backoff(attempts=attempts, initial=initial),
        **options,
    )
    rollout.add_listener(listener(rollout, journal, gate))
    return rollout


def listener(rollout: Rollout, journal: Journal, gate: Gate) -> EventListener:
    """Journal each event (a measurement with its phase and the weight then), then maybe block."""

    def on_event(event: ev.Event) -> None:
        kind = type(event).__name__
        fields = {key: getattr(event, key) for key in ("index", "weight", "reason") if hasattr(event, key)}
        point = f"{kind}:{fields['index']}" if "index" in fields else kind
        if isinstance(event, ev.MeasurementTaken) and event.measurement is not None:
            gate.measurements += 1
            point = f"{kind}#{gate.measurements}"
            status = rollout.status
            fields.update(phase=event.measurement.phase.value, weight=status.weight if status else None)
        journal.write(kind, message=event.message[:300], **fields)
        gate.reached(point)

    return on_event


def main(config_text: str) -> None:
    """Run the rollout the config describes; journal its result, or the exception it raised (exit 1)."""
    config = DriverConfig.from_json(config_text)
    where = life_dir(Path(config.root), config.life)
    output = os.open(where / "log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(output, 1)
    os.dup2(output, 2)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, force=True)
    journal = Journal(Path(config.root) / "journal.jsonl", config.life, config.name)
    journal.write("start")
    try:
        rollout = build(config, journal, Gate(config, journal))
        result = rollout.run(config.version)
    except Exception as error:
        traceback.print_exc()
        message = str(error)[:500]
        kinds = [kind.__name__ for kind in type(error).__mro__]
        journal.write(
            "raised", type=kinds[0], kinds=kinds, canary=isinstance(error, CanaryError), message=message
        )
        sys.stderr.flush()
        sys.exit(1)
    journal.write("result", phase=result.phase.value, message=result.message[:500])

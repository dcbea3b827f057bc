"""Helpers for the fault matrix (tests/faults, benchmarks/faults.py): a clock that survives its process, a
journal every driver appends to, the weight-order rule, and counting which version answered through nginx."""

from __future__ import annotations

import http.client
import json
import os
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from canarykit.testing import FakeClock


class FileClock(FakeClock):
    """A `FakeClock` whose time is kept in `path`: a restarted driver goes on from where the last one was.

    It starts at the time in `path`, or at the real time when there is none; every move is written back.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            start = float(path.read_text())
        except FileNotFoundError:
            start = float(int(time.time()))
        super().__init__(start)

    def sleep(self, seconds: float) -> None:
        super().sleep(seconds)
        self._save()

    def advance(self, seconds: float) -> None:
        super().advance(seconds)
        self._save()

    def _save(self) -> None:
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_text(repr(self.now()))
        os.replace(temporary, self.path)


class Journal:
    """Appends one JSON line per entry to `path` (one `write`, so a SIGKILL never leaves half a line)."""

    def __init__(self, path: Path, life: int, rollout: str) -> None:
        self.life, self.rollout = life, rollout
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)

    def write(self, event: str, **fields: Any) -> None:
        entry = {"life": self.life, "rollout": self.rollout, "pid": os.getpid(), "mono": time.monotonic()}
        line = json.dumps({**entry, "event": event, **fields}, default=str) + "\n"
        os.write(self._fd, line.encode())


def read_journal(path: Path) -> list[dict[str, Any]]:
    """Every complete entry of the journal at `path`, in order (none if it does not exist)."""
    try:
        text = path.read_text()
    except FileNotFoundError:
        return []
    return [json.loads(line) for line in text[: text.rfind("\n") + 1].splitlines()]


def asked_weights(entries: Sequence[dict[str, Any]], rollout: str | None = None) -> list[int]:
    """The weights the drivers asked the router for, in order (of `rollout` only, when given)."""
    return [
        int(entry["weight"])
        for entry in entries
        if entry["event"] == "set" and (rollout is None or entry["rollout"] == rollout)
    ]


def weight_order_problem(weights: Sequence[int], plan: Sequence[int]) -> str | None:
    """Why `weights` went out of order, or None: up through the plan (or 100), then only down to 0.

    A weight may repeat (a resumed driver applies its pending weight again); once 0 came after the canary
    had traffic (an abort, or the end of a promotion), nothing but 0 may follow.
    """
    allowed = {*plan, 100}
    highest, returned = 0, False
    for position, weight in enumerate(weights):
        if weight == 0:
            returned = True
        elif returned:
            return f"weight {weight} at position {position} after traffic had gone back to stable: {weights}"
        elif weight not in allowed:
            return f"weight {weight} at position {position} is not in the plan {sorted(allowed)}: {weights}"
        elif weight < highest:
            return f"weight {weight} at position {position} is below the earlier {highest}: {weights}"
        highest = max(highest, weight)
    return None


def fetch_color(port: int) -> str:
    """Which version answered one `GET /color` through nginx on 127.0.0.1:`port` (a new connection)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/color")
        response = connection.getresponse()
        response.read()
        color = response.getheader("X-Color")
        return color if response.status == 200 and color else f"HTTP {response.status}"
    except OSError as error:
        return f"unreachable ({type(error).__name__})"
    finally:
        connection.close()


def color_split(port: int, requests: int = 100) -> dict[str, int]:
    """How many of `requests` sequential requests each version answered."""
    return dict(Counter(fetch_color(port) for _ in range(requests)))


def expected_split(weight: int, stable: str, canary: str) -> dict[str, int]:
    """What 100 requests get when nginx serves `weight` percent to the canary (the zone splits exactly)."""
    return {name: share for name, share in ((stable, 100 - weight), (canary, weight)) if share}

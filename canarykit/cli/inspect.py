"""`canarykit status NAME` and `canarykit get NAME [--watch]`: a rollout as its state store records it."""

from __future__ import annotations

import argparse
from typing import Any

from canarykit.cli.cluster import add_cluster_options, connect_to_store
from canarykit.cli.rendering import render_rollout, status_line
from canarykit.clock import Clock, SystemClock
from canarykit.durations import parse_duration
from canarykit.errors import StateError

REDRAW = 1.0


def register(commands: Any) -> None:
    status = commands.add_parser("status", help="wait until a rollout is Healthy (0) or Degraded (1)")
    status.add_argument("name", help="rollout name")
    status.add_argument("--watch", default="true", choices=("true", "false"), help="wait for the end")
    status.add_argument("--timeout", metavar="DURATION", help="give up after this long (e.g. 10m)")
    add_cluster_options(status)
    status.set_defaults(handler=status_command)
    get = commands.add_parser("get", help="show a rollout: step, weights, images, analysis")
    get.add_argument("name", help="rollout name")
    get.add_argument("-w", "--watch", action="store_true", help="redraw until the rollout ends")
    add_cluster_options(get)
    get.set_defaults(handler=get_command)


def status_command(options: argparse.Namespace, clock: Clock | None = None) -> int:
    clock = clock or SystemClock()
    reader = _Reader(options)
    deadline = clock.now() + parse_duration(options.timeout, "--timeout") if options.timeout else None
    last = ""
    while True:
        record = reader.record()
        phase, message = record.get("phase", ""), record.get("message", "")
        line = status_line(phase, message)
        if options.watch == "false":
            print(line)
            return 0
        if line != last:
            last = line
            print(last, flush=True)
        if phase == "Healthy":
            return 0
        if phase == "Degraded":
            print(f"The rollout is in a degraded state with message: {message}")
            return 1
        if deadline is not None and clock.now() >= deadline:
            print("Rollout status watch exceeded timeout")
            return 1
        clock.sleep(REDRAW)


def get_command(options: argparse.Namespace, clock: Clock | None = None) -> int:
    clock = clock or SystemClock()
    reader = _Reader(options)
    while True:
        record = reader.record()
        print(render_rollout(record, reader.namespace, reader.images()), flush=True)
        if not options.watch or record.get("finished"):
            return 0
        clock.sleep(REDRAW)
        print()


class _Reader:
    """Reads the rollout's record and its Deployments' images from the cluster."""

    def __init__(self, options: argparse.Namespace) -> None:
        self.name = options.name
        self.api, self.namespace, self.store = connect_to_store(options)

    def record(self) -> dict[str, Any]:
        record = self.store.load(self.name)
        if record is None:
            raise StateError(f"rollout {self.name!r} not found in namespace {self.namespace!r}")
        return dict(record)

    def images(self) -> dict[str, list[str]]:
        """Container images of the stable and canary Deployments (empty when absent)."""
        found: dict[str, list[str]] = {}
        for role, name in (("stable", self.name), ("canary", f"{self.name}-canary")):
            deployment = self.api.get("deployments", self.namespace, name)
            containers = (
                (deployment or {}).get("spec", {}).get("template", {}).get("spec", {}).get("containers")
            )
            found[role] = [str(c.get("image")) for c in containers or []]
        return found

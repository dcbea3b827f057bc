"""`canarykit status NAME` and `canarykit get [rollout] NAME`: a rollout as its state store records it."""

from __future__ import annotations

import argparse
from typing import Any

from canarykit.cli.cluster import add_store_options, connect_to_store
from canarykit.cli.exit_codes import EXIT_FAILED, EXIT_OK
from canarykit.cli.list_cmd import KINDS
from canarykit.cli.rendering import render_rollout, status_line
from canarykit.clock import Clock, SystemClock
from canarykit.durations import parse_duration
from canarykit.errors import SpecError, StateError

REDRAW = 1.0
"""What may stand before the name, as in `kubectl argo rollouts get rollout NAME`."""
BOOL_SPELLINGS = {True: ("true", "True", "TRUE", "t", "1"), False: ("false", "False", "FALSE", "f", "0")}


def register(commands: Any) -> None:
    status = commands.add_parser(
        "status", help="watch a rollout until Healthy (0) or Degraded (1)", description=STATUS_HELP
    )
    status.add_argument("name", help="rollout name")
    add_watch_switch(status)
    status.add_argument(
        "-t", "--timeout", metavar="DURATION", help="give up after this long (e.g. 10m; 0: never)"
    )
    status.add_argument(
        "--success-on-pause", action="store_true", help="exit 0 once the rollout is Paused (for CI gates)"
    )
    add_store_options(status)
    status.set_defaults(handler=status_command)
    get = commands.add_parser("get", help="show a rollout: step, weights, images, analysis")
    get.add_argument(
        "words", nargs="+", metavar="[rollout] NAME", help="rollout name, optionally after 'rollout'"
    )
    get.add_argument("-w", "--watch", action="store_true", help="redraw until the rollout ends")
    add_store_options(get)
    get.set_defaults(handler=get_command)


STATUS_HELP = (
    "Watch the rollout until it is Healthy (exit 0) or Degraded (exit 1), printing each new status as "
    "`<Status> - <Message>`; --timeout ends the watch with exit 1. --watch=false (or --no-watch) prints the "
    "status once: exit 1 when Degraded, else 0."
)


def add_watch_switch(parser: argparse.ArgumentParser) -> None:
    """Argo's `--watch` bool flag: `-w`/`--watch` (the default), `--no-watch`, `--watch=true|false`."""
    parser.add_argument(
        "-w",
        "--watch",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="watch until done (default)",
    )
    for value, spellings in BOOL_SPELLINGS.items():
        for spelling in spellings:
            action = "store_true" if value else "store_false"
            parser.add_argument(f"--watch={spelling}", dest="watch", action=action, help=argparse.SUPPRESS)


def status_command(options: argparse.Namespace, clock: Clock | None = None) -> int:
    clock = clock or SystemClock()
    reader = Reader(options, options.name)
    timeout = parse_duration(options.timeout, "--timeout") if options.timeout else 0.0
    deadline = clock.now() + timeout if timeout else None
    last = ""
    while True:
        record = reader.record()
        phase, message = str(record.get("phase", "")), str(record.get("message", ""))
        line = status_line(phase, message)
        if line != last or not options.watch:
            last = line
            print(last, flush=True)
        if phase == "Degraded":
            print(f"The rollout is in a degraded state with message: {message}")
            return EXIT_FAILED
        if not options.watch or phase == "Healthy" or (phase == "Paused" and options.success_on_pause):
            return EXIT_OK
        if deadline is not None and clock.now() >= deadline:
            print("Rollout status watch exceeded timeout")
            return EXIT_FAILED
        clock.sleep(REDRAW)


def get_command(options: argparse.Namespace, clock: Clock | None = None) -> int:
    clock = clock or SystemClock()
    reader = Reader(options, rollout_name(options.words))
    while True:
        record = reader.record()
        where = "Namespace" if reader.api is not None else "State"
        print(render_rollout(record, reader.where, reader.images(), where), flush=True)
        if not options.watch or record.get("finished"):
            return EXIT_OK
        clock.sleep(REDRAW)
        print()


def rollout_name(words: list[str]) -> str:
    """`NAME`, or `rollout NAME` as kubectl-argo-rollouts spells it."""
    if len(words) == 1:
        return words[0]
    if len(words) == 2 and words[0] in KINDS:
        return words[1]
    raise SpecError(f"expected `get NAME` or `get rollout NAME`, got `get {' '.join(words)}`")


class Reader:
    """Reads the rollout's record (and, on Kubernetes, its Deployments' images) from the store."""

    def __init__(self, options: argparse.Namespace, name: str) -> None:
        self.name = name
        self.api, self.where, self.store = connect_to_store(options)

    def record(self) -> dict[str, Any]:
        record = self.store.load(self.name)
        if record is None:
            raise StateError(f"rollout {self.name!r} not found in {self.described()}")
        return dict(record)

    def described(self) -> str:
        return f"namespace {self.where!r}" if self.api is not None else f"state directory {self.where}"

    def images(self) -> dict[str, list[str]]:
        """Container images of the stable and canary Deployments (empty when absent, or with no cluster)."""
        found: dict[str, list[str]] = {}
        if self.api is None:
            return found
        for role, name in (("stable", self.name), ("canary", f"{self.name}-canary")):
            deployment = self.api.get("deployments", self.where, name)
            containers = (
                (deployment or {}).get("spec", {}).get("template", {}).get("spec", {}).get("containers")
            )
            found[role] = [str(c.get("image")) for c in containers or []]
        return found

"""`canarykit promote|abort|retry|pause NAME`: queue a command for the process driving the rollout."""

from __future__ import annotations

import argparse
from typing import Any

from canarykit.cli.cluster import add_store_options, connect_to_store
from canarykit.cli.exit_codes import EXIT_OK

DONE = {"promote": "promoted", "abort": "aborted", "retry": "retried", "pause": "paused"}
HELP = {
    "promote": "go past the current pause or step, and end a manual pause (--full: skip the remaining steps)",
    "abort": "roll the rollout back: traffic to stable, canary removed",
    "retry": "start an aborted rollout again from its first step",
    "pause": "hold the rollout at its current step until `promote` (Argo's spec.paused)",
}


def register(commands: Any) -> None:
    for name, text in HELP.items():
        parser = commands.add_parser(name, help=text, description=text)
        parser.add_argument("name", help="rollout name")
        if name == "promote":
            parser.add_argument("--full", action="store_true", help="skip the remaining steps and analysis")
        add_store_options(parser)
        parser.set_defaults(handler=run_command, command_name=name)


def run_command(options: argparse.Namespace) -> int:
    _, _, store = connect_to_store(options)
    driver = store.holder(options.name)
    if options.command_name == "retry" and driver is None and allow_rejected_version(store, options.name):
        return EXIT_OK
    command: dict[str, Any] = {"command": options.command_name}
    if options.command_name == "promote":
        command["full"] = options.full
    done = "fully promoted" if command.get("full") else DONE[options.command_name]
    send(store, options.name, command, done, driver)
    return EXIT_OK


def send(store: Any, name: str, command: dict[str, Any], done: str, driver: str | None) -> None:
    """Queue `command` for rollout `name` and say it is `done`; with no `driver`, say the command waits."""
    store.request(name, command)
    print(f"rollout '{name}' {done}")
    if driver is None:
        print(f"note: no process is driving '{name}' now; the command waits for the next one")


def allow_rejected_version(store: Any, name: str) -> bool:
    """With no driver and a rolled-back record, mark it so the next run of that version may start."""
    with store.lock(name):
        record = store.load(name)
        if record is None or not (record.get("finished") and record.get("aborted")):
            return False
        store.save(name, {**record, "retry_requested": True})
    version = record.get("version")
    print(f"rollout '{name}' retried: the next rollout of {version!r} starts from its first step")
    return True

"""`canarykit promote|abort|retry NAME`: queue a command for the process driving the rollout."""

from __future__ import annotations

import argparse
from typing import Any

from canarykit.cli.cluster import add_cluster_options, connect_to_store

DONE = {"promote": "promoted", "abort": "aborted", "retry": "retried"}


def register(commands: Any) -> None:
    for name, text in (
        ("promote", "go past the current pause or step (--full: skip the remaining steps)"),
        ("abort", "roll the rollout back: traffic to stable, canary removed"),
        ("retry", "start an aborted rollout again from its first step"),
    ):
        parser = commands.add_parser(name, help=text)
        parser.add_argument("name", help="rollout name")
        if name == "promote":
            parser.add_argument("--full", action="store_true", help="skip the remaining steps and analysis")
        add_cluster_options(parser)
        parser.set_defaults(handler=run_command, command_name=name)


def run_command(options: argparse.Namespace) -> int:
    _, _, store = connect_to_store(options)
    if options.command_name == "retry" and allow_rejected_version(store, options.name):
        return 0
    command: dict[str, Any] = {"command": options.command_name}
    if options.command_name == "promote":
        command["full"] = options.full
    store.request(options.name, command)
    done = "fully promoted" if command.get("full") else DONE[options.command_name]
    print(f"rollout '{options.name}' {done}")
    if store.holder(options.name) is None:
        print(f"note: no process is driving '{options.name}' now; the command waits for the next one")
    return 0


def allow_rejected_version(store: Any, name: str) -> bool:
    """With no driver and a rolled-back record, mark it so the next run of that version may start."""
    if store.holder(name) is not None:
        return False
    with store.lock(name):
        record = store.load(name)
        if record is None or not (record.get("finished") and record.get("aborted")):
            return False
        store.save(name, {**record, "retry_requested": True})
    version = record.get("version")
    print(f"rollout '{name}' retried: the next rollout of {version!r} starts from its first step")
    return True

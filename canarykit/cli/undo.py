"""`canarykit undo NAME`: back to the previous stable version with no steps (Argo's fast-track rollback)."""

from __future__ import annotations

import argparse
from typing import Any

from canarykit.cli.cluster import add_store_options, connect_to_store
from canarykit.cli.control import send
from canarykit.cli.exit_codes import EXIT_OK
from canarykit.errors import StateError

HELP = (
    "Roll back to the previous stable version without steps or analysis. During an update the driving "
    "process returns traffic to stable, removes the canary and ends Healthy on stable's version. After "
    "an update ended, the next rollout of the version stable ran before it is promoted without steps."
)


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "undo", help="roll back to the previous stable version, skipping steps", description=HELP
    )
    parser.add_argument("name", help="rollout name")
    add_store_options(parser)
    parser.set_defaults(handler=undo_command)


def undo_command(options: argparse.Namespace) -> int:
    _, where, store = connect_to_store(options)
    name = options.name
    record = store.load(name)
    if record is None:
        raise StateError(f"no rollout {name!r} in {where}")
    driver = store.holder(name)
    if not record.get("finished") or driver is not None:
        send(store, name, {"command": "undo"}, "undo", driver)
        return EXIT_OK
    print(mark_finished_record(store, name))
    return EXIT_OK


def mark_finished_record(store: Any, name: str) -> str:
    """With no driver: the next run of the previous stable version skips the steps; returns what was done."""
    with store.lock(name):
        record = store.load(name) or {}
        stable, version = str(record.get("stable_version") or ""), str(record.get("version", ""))
        if not stable:
            raise StateError(
                f"rollout {name!r}: its record does not say which version stable ran before {version!r} "
                "(a first deploy, or recorded before canarykit kept it); roll that version out by name"
            )
        if stable == version:
            return f"skipped rollback (stable already runs {stable!r})"
        store.save(name, {**record, "undo_requested": True})
    return f"rollout '{name}' undo: the next rollout of {stable!r} is promoted without steps"

"""`canarykit list [rollouts]`: one line per rollout, as `kubectl argo rollouts list rollouts`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from typing import Any

from canarykit.cli.cluster import add_store_options, connect_to_store
from canarykit.cli.exit_codes import EXIT_OK
from canarykit.errors import StateError

HEADER = ("NAME", "STRATEGY", "STATUS", "STEP", "SET-WEIGHT", "ACTUAL-WEIGHT", "VERSION")
KINDS = ("rollouts", "rollout", "ro")


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "list", help="list the rollouts in a namespace (or --state directory): status, step, weights"
    )
    parser.add_argument("kind", nargs="?", choices=KINDS, help="optional, as in `list rollouts`")
    parser.add_argument("--name", help="only the rollout with this name")
    add_store_options(parser)
    parser.set_defaults(handler=list_command)


def list_command(options: argparse.Namespace) -> int:
    _, _, store = connect_to_store(options)
    names = [name for name in store.names() if options.name in (None, name)]
    rows = [row(name, record) for name in names if (record := _load(store, name)) is not None]
    if not rows:
        print("No resources found.", file=sys.stderr)
        return EXIT_OK
    print(table([HEADER, *rows]))
    return EXIT_OK


def row(name: str, record: Mapping[str, Any]) -> tuple[str, ...]:
    """One rollout's columns; STEP is `index/count` and SET-WEIGHT the desired weight, as Argo's."""
    count = int(record.get("step_count", 0) or 0)
    step = f"{min(int(record.get('step_index', 0) or 0), count)}/{count}" if count else "-"
    weights = (str(record.get("set_weight", 0)), str(record.get("weight", 0)))
    strategy = str(record.get("strategy") or "Canary")
    if strategy == "BlueGreen":  # Argo lists no step or weights for blue-green
        step, weights = "-", ("-", "-")
    return (name, strategy, str(record.get("phase", "")), step, *weights, str(record.get("version", "")))


def table(rows: list[tuple[str, ...]]) -> str:
    """Columns padded to their widest cell plus two spaces (Go's tabwriter, as Argo prints)."""
    widths = [max(len(cells[i]) for cells in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "".join(c.ljust(w + 2) for c, w in zip(cells, widths, strict=True)).rstrip() for cells in rows
    )


def _load(store: Any, name: str) -> dict[str, Any] | None:
    """The record, or None when it vanished since it was listed; a corrupt one is named, not skipped."""
    try:
        record = store.load(name)
    except StateError as error:
        raise StateError(f"cannot list rollout {name!r}: {error}") from error
    return dict(record) if record is not None else None

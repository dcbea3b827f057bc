"""`canarykit report AUDIT.json -o report.html`: an audit record as one self-contained HTML page."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from canarykit.errors import AuditRecordError


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "report",
        help="an audit record as one HTML page with charts, readable offline (needs canarykit[report])",
    )
    parser.add_argument(
        "audit", type=Path, metavar="AUDIT.json", help="RolloutResult.to_json(), or the demo's"
    )
    parser.add_argument(
        "-o", "--output", type=Path, help="where the HTML goes (default: beside AUDIT.json, as .html)"
    )
    parser.add_argument(
        "--experiment",
        type=int,
        metavar="N",
        help="only the Nth rollout of a record that holds several, as the demo's (default: all, one page)",
    )
    parser.set_defaults(handler=run_command)


def run_command(options: argparse.Namespace) -> int:
    from canarykit.report import load_audit, render_rollouts, write_html

    rollouts = load_audit(options.audit)
    if options.experiment is not None:
        rollouts = [_chosen(rollouts, options.experiment, options.audit)]
    output: Path = options.output or options.audit.with_suffix(".html")
    write_html(render_rollouts(rollouts, options.audit.name), output)
    print(f"report: {output}")
    return 0


def _chosen(rollouts: list[Any], number: int, audit: Path) -> Any:
    if not 1 <= number <= len(rollouts):
        raise AuditRecordError(
            f"--experiment {number}: {audit} holds {len(rollouts)} rollout(s); choose 1 to {len(rollouts)}"
        )
    return rollouts[number - 1]

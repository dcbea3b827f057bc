"""`canarykit demo`: real canary releases on this machine, four experiments, live."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from canarykit.durations import parse_duration

STRATEGIES = ("canary", "bluegreen")


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "demo", help="four canary experiments on a local nginx + Prometheus (needs both installed)"
    )
    parser.add_argument(
        "--strategy",
        choices=STRATEGIES,
        default="canary",
        help="canary (four experiments, default) or bluegreen (a promotion, then a switch back)",
    )
    parser.add_argument("--pause", default="10s", help="length of each pause step (the reference has 2m)")
    parser.add_argument("--rate", type=float, default=100.0, help="requests per second sent through nginx")
    parser.add_argument(
        "--error-rate",
        type=float,
        default=0.3,
        help="share of requests the bad version fails (the canary demo only; default 0.3)",
    )
    parser.add_argument(
        "--audit-dir", type=Path, help="where the audit record goes (~/.local/state/canarykit)"
    )
    parser.add_argument("--no-color", action="store_true", help="letters instead of colored squares")
    parser.add_argument(
        "--metrics-port",
        type=int,
        metavar="PORT",
        help="serve canarykit's Prometheus metrics on 127.0.0.1:PORT during the demo (0: any free port)",
    )
    parser.set_defaults(handler=run_command, prints_measurements=True)  # the view prints faults, not the log


def run_command(options: argparse.Namespace) -> int:
    from canarykit.local.demo import DemoOptions, run_demo

    demo = DemoOptions(
        pause=parse_duration(options.pause, "--pause"),
        rate=options.rate,
        failing_error_rate=options.error_rate,
        colors=False if options.no_color else None,
        metrics_port=options.metrics_port,
    )
    if options.audit_dir is not None:
        demo.audit_dir = options.audit_dir
    if options.strategy == "bluegreen":
        from canarykit.local.bluegreen_demo import run_bluegreen_demo

        outcome = run_bluegreen_demo(demo, sys.stdout)
    else:
        outcome = run_demo(demo, sys.stdout)
    return 0 if outcome.as_expected else 1

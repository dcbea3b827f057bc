"""The `canarykit` command: parse arguments, call the library, print. Exit codes 0 / 1 / 2."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from canarykit import __version__
from canarykit.cli import analyze, control, demo, inspect, plan, rollout_cmd
from canarykit.cli import backtest as backtest_cmd
from canarykit.errors import CanaryError

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="canarykit", description="Canary releases that judge themselves.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what canarykit does to stderr")
    parser.add_argument("--version", action="version", version=f"canarykit {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    analyze.register(commands)
    plan.register(commands)
    rollout_cmd.register(commands)
    inspect.register(commands)
    control.register(commands)
    demo.register(commands)
    backtest_cmd.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        options = parser.parse_args(argv)
    except SystemExit as exit_:
        return EXIT_ERROR if exit_.code not in (0, None) else EXIT_OK
    logging.basicConfig(level=logging.INFO if options.verbose else logging.WARNING, stream=sys.stderr)
    try:
        code: int = options.handler(options)
        return code
    except CanaryError as error:
        print(f"canarykit: error: {error}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())

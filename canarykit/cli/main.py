"""The `canarykit` command: parse arguments, call the library, print. Exit codes: see `exit_codes`."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from canarykit import __version__
from canarykit.analysis.take import PROVIDER_FAULT
from canarykit.cli import analyze, control, demo, inspect, list_cmd, plan, report_cmd, rollout_cmd, undo
from canarykit.cli import backtest as backtest_cmd
from canarykit.cli import lint as lint_cmd
from canarykit.cli.exit_codes import EXIT_ERROR, EXIT_FAILED, EXIT_OK, EXIT_USAGE, exit_code_for_error
from canarykit.errors import CanaryError

__all__ = ["EXIT_ERROR", "EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]


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
    list_cmd.register(commands)
    undo.register(commands)
    demo.register(commands)
    backtest_cmd.register(commands)
    lint_cmd.register(commands)
    report_cmd.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        options = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse has printed the usage error (or the help, or the version)
        return EXIT_USAGE if exit_.code not in (0, None) else EXIT_OK
    logging.basicConfig(level=logging.INFO if options.verbose else logging.WARNING, stream=sys.stderr)
    try:
        with _faults_printed_once(getattr(options, "prints_measurements", False) and not options.verbose):
            code: int = options.handler(options)
        return code
    except CanaryError as error:
        print(f"canarykit: error: {error}", file=sys.stderr)
        return exit_code_for_error(error)


class _PrintedByTheCommand(logging.Filter):
    """Drops the analysis log's provider-fault warning: the command prints the measurement and its message."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not getattr(record, PROVIDER_FAULT, False)


@contextmanager
def _faults_printed_once(quiet: bool) -> Iterator[None]:
    """While a command that prints each measurement runs (and `-v` is off), the log does not repeat faults."""
    if not quiet:
        yield
        return
    analysis_log, printed = logging.getLogger("canarykit.analysis"), _PrintedByTheCommand()
    analysis_log.addFilter(printed)
    try:
        yield
    finally:
        analysis_log.removeFilter(printed)


if __name__ == "__main__":
    sys.exit(main())

"""`canarykit lint -f ROLLOUT.yaml -f TEMPLATE.yaml`: check specs as `rollout` and `analyze` load them.

Prints every error found (`canarykit.cli.lint_specs` finds them, contacting nothing) and exits 1 when
there is one, or prints what was checked and exits 0.
"""

from __future__ import annotations

import argparse
from typing import Any

from canarykit.cli.analyze import parse_args
from canarykit.cli.exit_codes import EXIT_FAILED, EXIT_OK
from canarykit.cli.lint_specs import SECRET_STAND_IN, LintReport, lint
from canarykit.cli.spec_options import add_spec_files, add_template_args

__all__ = ["SECRET_STAND_IN", "LintReport", "lint", "register", "run_command"]


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "lint", help="validate a Rollout and its AnalysisTemplates (exit 1 on errors)"
    )
    add_spec_files(parser)
    add_template_args(
        parser, "argument of templates linted without a Rollout, as for analyze (repeat for each)"
    )
    parser.set_defaults(handler=run_command)


def run_command(options: argparse.Namespace) -> int:
    report = lint(options.filename, parse_args(options.arg))
    for error in report.errors:
        print(error)
    if report.errors:
        count = len(report.errors)
        print(f"{count} error{'' if count == 1 else 's'} in {', '.join(report.files_with_errors())}")
        return EXIT_FAILED
    print(
        f"OK: {', '.join(report.checked)}"
        + (f" ({report.ignored} other documents ignored)" if report.ignored else "")
    )
    return EXIT_OK

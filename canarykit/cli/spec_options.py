"""Options shared by the commands that read Argo YAML: the files (`-f`) and template arguments (`--arg`)."""

from __future__ import annotations

import argparse

TEMPLATE_ARGUMENT = "template argument (repeat for each)"


def add_spec_files(parser: argparse.ArgumentParser, required: bool = True) -> None:
    """`-f/--filename`, once per Rollout or AnalysisTemplate file."""
    parser.add_argument(
        "-f",
        "--filename",
        action="append",
        required=required,
        help="Rollout / AnalysisTemplate YAML (repeat for each file)",
    )


def add_template_args(parser: argparse.ArgumentParser, help: str = TEMPLATE_ARGUMENT) -> None:
    """`--arg NAME=VALUE`, once per template argument."""
    parser.add_argument("--arg", action="append", default=[], metavar="NAME=VALUE", help=help)

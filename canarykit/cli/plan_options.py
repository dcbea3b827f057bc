"""The flags of `canarykit plan --detect` and the traffic model (and hypothetical judge) they ask for."""

from __future__ import annotations

import argparse
from typing import Any

from canarykit.cli.plan_analysis import JudgeMetric
from canarykit.cli.plan_detection import TrafficModel
from canarykit.errors import SpecError
from canarykit.judges.planning import Detection
from canarykit.judges.sequential import MAX_RATIO, SequentialSplitTest

REQUIRED = ("traffic", "baseline_error", "detect")
HYPOTHETICAL = ("alpha", "beta", "max_ratio")
JUDGES = ("comparison",)


def add_arguments(parser: Any) -> None:
    group = parser.add_argument_group(
        "detection (when the Rollout's judges would decide; docs/cli.md#canarykit-plan)"
    )
    group.add_argument("--traffic", type=float, metavar="RPS", help="requests per second through the ingress")
    group.add_argument(
        "--baseline-error", type=fraction, metavar="P", help="stable's error rate (0.005 or 0.5%%)"
    )
    group.add_argument(
        "--detect", type=float, metavar="RATIO", help="the regression to catch, as canary/stable"
    )
    group.add_argument(
        "--judge", choices=JUDGES, help="also model a hypothetical comparison judge the Rollout does not have"
    )
    group.add_argument("--alpha", type=fraction, help="the hypothetical judge's alpha (default 0.01)")
    group.add_argument("--beta", type=fraction, help="the hypothetical judge's beta (default: alpha)")
    group.add_argument(
        "--max-ratio", type=float, help=f"the hypothetical judge's max ratio (default {MAX_RATIO:g})"
    )


def fraction(text: str) -> float:
    """`0.005` or `0.5%`."""
    try:
        return float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number or a percentage: {text!r}") from None


def traffic_model(options: argparse.Namespace) -> tuple[TrafficModel, JudgeMetric | None] | None:
    """The traffic model asked for on the command line and the hypothetical judge (`--judge`), if any; None
    without the flags. Checked before any output."""
    given = {name for name in (*REQUIRED, *HYPOTHETICAL, "judge") if getattr(options, name) is not None}
    if not given:
        return None
    if any(name not in given for name in REQUIRED):
        raise SpecError(
            "--traffic, --baseline-error and --detect go together (--judge and its settings need them)"
        )
    if given & set(HYPOTHETICAL) and options.judge is None:
        raise SpecError(
            "--alpha, --beta and --max-ratio set a hypothetical judge's settings: add --judge comparison "
            "(the Rollout's own judges are modelled with their own settings)"
        )
    model = TrafficModel(options.traffic, options.baseline_error, options.detect)
    Detection(model.traffic, model.baseline_error, model.ratio)  # validates the model
    return model, hypothetical(options)


def hypothetical(options: argparse.Namespace) -> JudgeMetric | None:
    """The judge `--judge comparison` asks for, with `--alpha`, `--beta`, `--max-ratio`; None without it."""
    if options.judge is None:
        return None
    settings = {name: getattr(options, name) for name in HYPOTHETICAL if getattr(options, name) is not None}
    return JudgeMetric(
        "comparison", "ErrorRateComparison", SequentialSplitTest(**settings), None, False, 10.0
    )

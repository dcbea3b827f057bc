"""The flags of `canarykit plan --detect` and the traffic model (and hypothetical judge) they ask for."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any

from canarykit.cli.plan_analysis import JudgeMetric
from canarykit.cli.plan_detection import TrafficModel
from canarykit.durations import parse_positive_duration
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
    group.add_argument(
        "--traffic",
        type=levels,
        action="append",
        metavar="RPS",
        help="requests per second through the ingress (repeatable, or a list: 10,100)",
    )
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
    gated = parser.add_argument_group("gated plans (docs/cli.md#gated-plans)")
    gated.add_argument("--gated", action="store_true", help="the preset with a Gate in place of each pause")
    gated.add_argument("--gate-max", metavar="DURATION", help="the preset's gates' max (default: the pause)")
    gated.add_argument(
        "--pass-ratio",
        type=float,
        help="the indifference zone of --preset's and --judge's judges: clear below",
    )
    gated.add_argument("--fail-ratio", type=float, help="... and fail above (with --pass-ratio)")
    gated.add_argument(
        "--history", metavar="DURATION", help="model the judges with stable's history (gated plans only)"
    )


def levels(text: str) -> list[float]:
    """`10` or `10,100`."""
    try:
        return [float(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number or a comma-separated list: {text!r}") from None


def fraction(text: str) -> float:
    """`0.005` or `0.5%`."""
    try:
        return float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number or a percentage: {text!r}") from None


@dataclass(frozen=True)
class Asked:
    """The traffic levels to model, the hypothetical judge (`--judge`), stable's history in seconds."""

    models: tuple[TrafficModel, ...]
    extra: JudgeMetric | None
    history: float


def traffic_model(options: argparse.Namespace) -> Asked | None:
    """The traffic models asked for on the command line and the hypothetical judge (`--judge`), if any; None
    without the flags. Checked before any output."""
    given = {name for name in (*REQUIRED, *HYPOTHETICAL, "judge") if getattr(options, name) is not None}
    zone = (options.pass_ratio, options.fail_ratio) != (None, None)
    if zone and not (options.preset or options.judge):
        raise SpecError(
            "--pass-ratio and --fail-ratio set the zone of --preset's judges or --judge comparison"
        )
    if options.history is not None and not given:
        raise SpecError("--history models the judges' detection: add --traffic, --baseline-error, --detect")
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
    traffic = [level for group in options.traffic for level in group]
    models = tuple(TrafficModel(level, options.baseline_error, options.detect) for level in traffic)
    for model in models:
        Detection(model.traffic, model.baseline_error, model.ratio)  # validates the model
    history = 0.0 if options.history is None else parse_positive_duration(options.history, "--history")
    return Asked(models, hypothetical(options), history)


def preset_options(options: argparse.Namespace) -> dict[str, Any]:
    """`nginx_canary` keyword arguments from `--gated`, `--gate-max`, `--pass-ratio`, `--fail-ratio`."""
    if (options.gated or options.gate_max is not None) and not options.preset:
        raise SpecError("--gated and --gate-max plan the preset with gates: add --preset nginx-canary")
    if options.gate_max is not None and not options.gated:
        raise SpecError("--gate-max sets the preset's gates' max: add --gated")
    found: dict[str, Any] = {"gated": True, "gate_max": options.gate_max} if options.gated else {}
    return {**found, **_zone(options)}


def _zone(options: argparse.Namespace) -> dict[str, Any]:
    if options.pass_ratio is None and options.fail_ratio is None:
        return {}
    return {"pass_ratio": options.pass_ratio, "fail_ratio": options.fail_ratio}


def hypothetical(options: argparse.Namespace) -> JudgeMetric | None:
    """The judge `--judge comparison` asks for, with `--alpha`, `--beta`, `--max-ratio` and the zone; None
    without it."""
    if options.judge is None:
        return None
    settings: dict[str, Any] = {
        name: getattr(options, name) for name in HYPOTHETICAL if getattr(options, name) is not None
    }
    test = SequentialSplitTest(**settings, **_zone(options))
    return JudgeMetric("comparison", "ErrorRateComparison", test, None, False, 10.0)

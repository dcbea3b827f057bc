"""`canarykit plan --traffic --baseline-error --detect`: how long each step needs for the judge to decide."""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from canarykit.durations import format_duration
from canarykit.errors import SpecError
from canarykit.judges.planning import Detection, Estimate, at_weight, over_plan
from canarykit.judges.sequential import MAX_RATIO

REQUIRED = ("traffic", "baseline_error", "detect")
OPTIONAL = ("alpha", "beta", "max_ratio")


@dataclass(frozen=True)
class Hold:
    """A step holding the canary at a weight: index, text, weight, seconds (None: until promoted)."""

    index: int
    label: str
    weight: float
    seconds: float | None


def add_arguments(parser: Any) -> None:
    group = parser.add_argument_group("detection (the sequential judge's expected decision times)")
    group.add_argument("--traffic", type=float, metavar="RPS", help="requests per second through the ingress")
    group.add_argument(
        "--baseline-error", type=fraction, metavar="P", help="stable's error rate (0.005 or 0.5%%)"
    )
    group.add_argument(
        "--detect", type=float, metavar="RATIO", help="the regression to catch, as canary/stable"
    )
    group.add_argument("--alpha", type=fraction, help="false-rollback probability (default 0.01)")
    group.add_argument("--beta", type=fraction, help="probability of clearing a regression (default: alpha)")
    group.add_argument("--max-ratio", type=float, help=f"the judge's tolerance (default {MAX_RATIO:g})")


def fraction(text: str) -> float:
    """`0.005` or `0.5%`."""
    try:
        return float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number or a percentage: {text!r}") from None


def detection(options: argparse.Namespace) -> Detection | None:
    """The detection asked for on the command line; None without its flags."""
    given = {
        name: getattr(options, name) for name in REQUIRED + OPTIONAL if getattr(options, name) is not None
    }
    if not given:
        return None
    if any(name not in given for name in REQUIRED):
        raise SpecError(
            "--traffic, --baseline-error and --detect go together (--alpha, --beta, --max-ratio need them)"
        )
    extra = {name: given[name] for name in OPTIONAL if name in given}
    return Detection(given["traffic"], given["baseline_error"], given["detect"], **extra)


def render(holds: Sequence[Hold], detection: Detection) -> list[str]:
    """The header, one line per holding step, the whole plan's estimate and the warnings."""
    rows = [("#", "holds", "weight", f"catch {detection.ratio:g}x", "clear healthy")]
    warnings: list[str] = []
    for hold in holds:
        estimate = at_weight(detection, hold.weight)
        times = (clock(estimate.catch), clock(estimate.clear))
        rows.append((str(hold.index), hold.label, f"{hold.weight:g}%", *times))
        warnings += _too_short(hold, estimate, detection)
    if detection.ratio <= detection.max_ratio:
        tolerance = f"the tolerance (max ratio {detection.max_ratio:g})"
        warnings.append(
            f"warning: a {detection.ratio:g}x regression is within {tolerance}: the judge never fails it"
        )
    widths = [*(max(len(row[column]) for row in rows) for column in range(4)), 0]
    table = ["  " + "  ".join(map(str.ljust, row, widths)).rstrip() for row in rows]
    return [_header(detection), *table, _overall(holds, detection), *warnings]


def _too_short(hold: Hold, estimate: Estimate, detection: Detection) -> list[str]:
    if hold.seconds is None or estimate.catch is None or estimate.catch <= hold.seconds:
        return []
    where, expected = f"step {hold.index} ({hold.label} at {hold.weight:g}%)", clock(estimate.catch)
    return [
        f"warning: {where} is shorter than the expected {expected} to catch a {detection.ratio:g}x regression"
    ]


def clock(seconds: float | None) -> str:
    """Whole seconds, rounded up, Go-style; `never` for None."""
    return "never" if seconds is None else format_duration(max(1, math.ceil(seconds)))


def _header(detection: Detection) -> str:
    beta = detection.alpha if detection.beta is None else detection.beta
    return (
        f"detection: {detection.traffic:g} req/s, stable failing {detection.baseline_error * 100:g}%, "
        f"max ratio {detection.max_ratio:g}, alpha {detection.alpha * 100:g}%, beta {beta * 100:g}%"
    )


def _overall(holds: Sequence[Hold], detection: Detection) -> str:
    segments = [(hold.weight, math.inf if hold.seconds is None else hold.seconds) for hold in holds]
    estimate = over_plan(detection, segments)
    catch, clear = (
        "not within the plan" if seconds is None else f"after about {clock(seconds)}"
        for seconds in (estimate.catch, estimate.clear)
    )
    ratio = f"{detection.ratio:g}x"
    return f"whole plan (evidence adds up): catch {ratio} {catch}, clear healthy {clear}"

"""The sequential split test's arithmetic and option checks: shares, likelihood ratios, grids. Pure math."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol

from canarykit.errors import SpecError


class Counts(Protocol):
    """Each side's requests over one interval (`SplitCounts`)."""

    @property
    def canary_requests(self) -> float: ...

    @property
    def stable_requests(self) -> float: ...


def share(ratio: float, counts: Counts) -> float:
    """Probability that a bad event comes from the canary when its rate is `ratio` times stable's."""
    weighted = ratio * counts.canary_requests
    return weighted / (weighted + counts.stable_requests)


def log_ratio(alternative: float, boundary: float, canary_bad: int, stable_bad: int) -> float:
    """Log likelihood ratio of the events' split under `alternative` against `boundary` (canary shares)."""
    return canary_bad * math.log(alternative / boundary) + stable_bad * math.log(
        (1 - alternative) / (1 - boundary)
    )


def log_mean_exp(logs: Sequence[float]) -> float:
    """log(mean(exp(logs))), without overflow: the log of a mixture of likelihood ratios."""
    top = max(logs)
    return top + math.log(sum(math.exp(value - top) for value in logs) / len(logs))


def mean_exp(logs: Sequence[float]) -> float:
    """The mixture's value, mean(exp(logs)), capped at 1e300."""
    return math.exp(min(log_mean_exp(logs), 690.0))


def tolerance_grids(max_ratio: float, grid_size: int, max_effect: float) -> tuple[list[float], list[float]]:
    """(worse, better) alternatives of the single-tolerance test: `max_ratio·max_effect^(±i/grid)`, i ≥ 1."""
    steps = [max_effect ** ((i + 1) / grid_size) for i in range(grid_size)]
    return [max_ratio * step for step in steps], [max_ratio / step for step in steps]


def zone_grids(
    pass_ratio: float, fail_ratio: float, grid_size: int, max_effect: float
) -> tuple[list[float], list[float]]:
    """(worse, better) of the indifference zone: from `fail_ratio` up, from `pass_ratio` down (edges in)."""
    steps = [max_effect ** (i / grid_size) for i in range(grid_size)]
    return [fail_ratio * step for step in steps], [pass_ratio / step for step in steps]


def check_options(
    max_ratio: float, alpha: float, beta: float, min_bad: int, difference: float, grid: int, effect: float
) -> None:
    """SpecError unless the tolerance, error rates, floors and grid make a valid test."""
    if not _number(max_ratio) or not max_ratio > 1.0:
        raise SpecError(f"max_ratio must be above 1 (a tolerance on the ratio of rates), got {max_ratio!r}")
    for name, value in (("alpha", alpha), ("beta", beta)):
        if not _number(value) or not 0.0 < value < 1.0:
            raise SpecError(f"{name} must be between 0 and 1, got {value!r}")
    if min_bad < 0 or difference < 0 or grid < 1:
        given = f"min_bad={min_bad}, min_difference={difference}, grid_size={grid}"
        raise SpecError(f"min_bad and min_difference must be >= 0, grid_size >= 1, got {given}")
    if not _number(effect) or not effect > 1.0:
        raise SpecError(f"max_effect must be above 1 (alternatives beyond the boundary), got {effect!r}")


def check_zone(pass_ratio: float | None, fail_ratio: float | None, max_ratio: float, default: float) -> None:
    """SpecError unless the indifference zone is absent, or both ratios with 1 <= pass <= fail, fail > 1."""
    if pass_ratio is None and fail_ratio is None:
        return
    if pass_ratio is None or fail_ratio is None:
        raise SpecError(
            f"pass_ratio and fail_ratio go together (an indifference zone), got pass_ratio={pass_ratio!r}, "
            f"fail_ratio={fail_ratio!r}"
        )
    if max_ratio != default:
        raise SpecError(f"give max_ratio or pass_ratio/fail_ratio, not both (max_ratio={max_ratio!r})")
    if not _number(pass_ratio) or not _number(fail_ratio):
        raise SpecError(f"pass_ratio and fail_ratio must be numbers, got {pass_ratio!r}, {fail_ratio!r}")
    if pass_ratio < 1.0:
        raise SpecError(
            f"pass_ratio must be >= 1 (below it a canary as good as stable has no false-rollback bound), "
            f"got {pass_ratio!r}"
        )
    if not fail_ratio > 1.0 or pass_ratio > fail_ratio:
        raise SpecError(
            f"fail_ratio must be above 1 and at least pass_ratio, got pass_ratio={pass_ratio!r}, "
            f"fail_ratio={fail_ratio!r}"
        )


def _number(value: object) -> bool:
    """A finite int or float, not a bool."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)

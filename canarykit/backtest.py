"""Backtesting: run an analysis over many past windows and count the windows that would have failed.

Each window gets fresh metrics (stateful judges start over) and its own `FakeClock` set at the window's start,
so the whole backtest takes no real waiting: only the time of the queries. A window runs for `window` and is
then terminated, so a window that passed no limit is Successful, as in Argo.

A window "would have rolled back" when its run ends **Failed** or **Error** (both abort an Argo rollout).
**Inconclusive** (which pauses a rollout) is counted separately. A window whose measurements held **no data**
(`canarykit.backtest_data`: empty results, only NaN, no canary requests for a judge) is neither a pass nor a
rollback, whatever its run's phase: it is counted apart and left out of the share. On a period with no bad
release, the share of windows with data that would have rolled back estimates the false-rollback rate of the
configuration on that traffic. The result types are in `canarykit.backtest_table`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

from canarykit.analysis import AnalysisResult, AnalysisRun, Metric
from canarykit.argo import AnalysisTemplate
from canarykit.backtest_data import holds_no_data
from canarykit.backtest_table import ROLLBACK_PHASES, BacktestTable, BacktestWindow
from canarykit.clock import to_rfc3339, to_unix
from canarykit.durations import Duration, parse_positive_duration
from canarykit.errors import SpecError
from canarykit.providers.base import PrometheusOverride
from canarykit.testing.clock import FakeClock

MetricsFactory = Callable[[], Sequence[Metric]]
"""Builds a fresh set of metrics; called once per window."""

__all__ = [
    "ROLLBACK_PHASES",
    "BacktestTable",
    "BacktestWindow",
    "MetricsFactory",
    "backtest",
    "window_starts",
]


def backtest(
    analysis: MetricsFactory | AnalysisTemplate,
    start: float | datetime,
    end: float | datetime,
    every: Duration,
    window: Duration,
    args: Mapping[str, str] | None = None,
    prometheus: PrometheusOverride = None,
) -> BacktestTable:
    """Run the analysis on each window `[t, t + window]` for t from `start` to `end - window` by `every`.

    `analysis` is a template (its metrics are rebuilt per window with `args` and `prometheus`) or a factory
    returning fresh metrics. Raises `SpecError` on bad bounds, before any query.
    """
    first, last = _instant(start, "start"), _instant(end, "end")
    step, length = parse_positive_duration(every, "every"), parse_positive_duration(window, "window")
    starts = window_starts(first, last, step, length)
    factory = _factory(analysis, args, prometheus)
    rows = tuple(_run_window(factory, at, length) for at in starts)
    return BacktestTable(rows, step, length)


def window_starts(start: float, end: float, every: float, window: float) -> list[float]:
    """Window starts from `start` by `every` while the window ends at or before `end`."""
    if not end > start:
        raise SpecError(f"backtest end ({to_rfc3339(end)}) must be after its start ({to_rfc3339(start)})")
    if window > end - start:
        raise SpecError(f"backtest window ({window:g} s) is longer than the period ({end - start:g} s)")
    count = int((end - start - window) / every + 1e-9) + 1
    return [start + index * every for index in range(count)]


def _instant(value: float | datetime, name: str) -> float:
    try:
        return to_unix(value)
    except (TypeError, ValueError) as error:
        raise SpecError(f"backtest {name}: {error}") from error


def _factory(
    analysis: MetricsFactory | AnalysisTemplate,
    args: Mapping[str, str] | None,
    prometheus: PrometheusOverride,
) -> MetricsFactory:
    if isinstance(analysis, AnalysisTemplate):
        template = analysis
        return lambda: template.metrics(args, prometheus=prometheus)
    if not callable(analysis):
        raise SpecError(f"backtest needs an AnalysisTemplate or a metrics factory, got {analysis!r}")
    if args or prometheus is not None:
        raise SpecError("backtest: args and prometheus apply to a template, not to a metrics factory")
    return analysis


def _run_window(factory: MetricsFactory, start: float, window: float) -> BacktestWindow:
    run = AnalysisRun(factory(), clock=FakeClock(start), name=f"backtest-{to_rfc3339(start)}")
    result = run.run(window)
    count = _measurements(result)
    return BacktestWindow(start, start + window, result.phase, result.message, count, holds_no_data(result))


def _measurements(result: AnalysisResult) -> int:
    return sum(len(metric.measurements) for metric in result.metrics)

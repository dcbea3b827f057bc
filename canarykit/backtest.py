"""Backtesting: run an analysis over many past windows and count the windows that would have failed.

Each window gets fresh metrics (stateful judges start over) and its own `FakeClock` set at the window's start,
so the whole backtest takes no real waiting: only the time of the queries. A window runs for `window` and is
then terminated, so a window that passed no limit is Successful, as in Argo.

A window "would have rolled back" when its run ends **Failed** or **Error** (both abort an Argo rollout).
**Inconclusive** (which pauses a rollout) is counted separately. On a period with no bad release, the share
of windows that would have rolled back estimates the false-rollback rate of the configuration on that traffic.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from canarykit.analysis import AnalysisResult, AnalysisRun, Metric, Phase
from canarykit.argo import AnalysisTemplate
from canarykit.clock import to_rfc3339, to_unix
from canarykit.durations import Duration, parse_positive_duration
from canarykit.errors import SpecError
from canarykit.providers.base import PrometheusOverride
from canarykit.testing.clock import FakeClock

MetricsFactory = Callable[[], Sequence[Metric]]
"""Builds a fresh set of metrics; called once per window."""

ROLLBACK_PHASES = frozenset({Phase.FAILED, Phase.ERROR})
"""The phases of a window's run that would have rolled a canary back."""

__all__ = [
    "ROLLBACK_PHASES",
    "BacktestTable",
    "BacktestWindow",
    "MetricsFactory",
    "backtest",
    "window_starts",
]


@dataclass(frozen=True)
class BacktestWindow:
    """One window of the backtest: when, the run's phase and message, and how many measurements it took."""

    start: float
    end: float
    phase: Phase
    message: str
    measurements: int

    @property
    def rolled_back(self) -> bool:
        return self.phase in ROLLBACK_PHASES

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": to_rfc3339(self.start),
            "end": to_rfc3339(self.end),
            "phase": self.phase.value,
            "message": self.message,
            "measurements": self.measurements,
        }


@dataclass(frozen=True)
class BacktestTable:
    """Every window's verdict, in time order, and the share that would have rolled back."""

    windows: tuple[BacktestWindow, ...]
    every: float
    window: float

    @property
    def rolled_back(self) -> tuple[BacktestWindow, ...]:
        """Windows that ended Failed or Error."""
        return tuple(row for row in self.windows if row.rolled_back)

    @property
    def inconclusive(self) -> tuple[BacktestWindow, ...]:
        """Windows that ended Inconclusive (a paused rollout, not a rollback)."""
        return tuple(row for row in self.windows if row.phase is Phase.INCONCLUSIVE)

    @property
    def failed_share(self) -> float:
        """Share of windows that would have rolled back (Failed or Error), between 0 and 1."""
        return len(self.rolled_back) / len(self.windows) if self.windows else 0.0

    def summary(self) -> str:
        """`3 of 48 windows would have rolled back (6.2 %)`, then the inconclusive count if any."""
        text = (
            f"{len(self.rolled_back)} of {len(self.windows)} windows would have rolled back "
            f"({100 * self.failed_share:.1f} %)"
        )
        return text + (f"; {len(self.inconclusive)} inconclusive" if self.inconclusive else "")

    def to_text(self) -> str:
        """An aligned table (start, end, phase, measurements, message), then the summary line."""
        rows = [("START", "END", "PHASE", "MEASUREMENTS", "MESSAGE")]
        rows += [_text_row(row) for row in self.windows]
        widths = [max(len(row[column]) for row in rows) for column in range(4)]
        return "\n".join([*(_align(row, widths) for row in rows), self.summary()])

    def to_dict(self) -> dict[str, Any]:
        return {
            "every": self.every,
            "window": self.window,
            "windows": [row.to_dict() for row in self.windows],
            "rolledBack": len(self.rolled_back),
            "inconclusive": len(self.inconclusive),
            "failedShare": self.failed_share,
            "summary": self.summary(),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)


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
    return BacktestWindow(start, start + window, result.phase, result.message, _measurements(result))


def _measurements(result: AnalysisResult) -> int:
    return sum(len(metric.measurements) for metric in result.metrics)


def _align(row: tuple[str, ...], widths: list[int]) -> str:
    """Text columns left-aligned, the measurement count right-aligned, the message last and unpadded."""
    cells = [cell.ljust(width) for cell, width in zip(row[:3], widths, strict=False)]
    cells.append(row[3].rjust(widths[3]))
    return "  ".join([*cells, row[4]]).rstrip()


def _text_row(row: BacktestWindow) -> tuple[str, str, str, str, str]:
    start, end = to_rfc3339(row.start), to_rfc3339(row.end)
    return (start, end, row.phase.value, str(row.measurements), row.message)

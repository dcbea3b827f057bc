"""A backtest's result: each window's verdict and how it is counted, and the table of all windows.

A window "would have rolled back" when its run ends **Failed** or **Error** (both abort an Argo rollout).
**Inconclusive** (which pauses a rollout) is counted separately. A window whose measurements held **no data**
(`canarykit.backtest_data`) is neither a pass nor a rollback, whatever its run's phase: it is counted apart
and left out of the share.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from canarykit.analysis import Phase
from canarykit.backtest_text import table_text
from canarykit.clock import to_rfc3339

ROLLBACK_PHASES = frozenset({Phase.FAILED, Phase.ERROR})
"""The phases of a window's run that would have rolled a canary back."""

__all__ = ["ROLLBACK_PHASES", "BacktestTable", "BacktestWindow"]


@dataclass(frozen=True)
class BacktestWindow:
    """One window: when, the run's phase and message, its measurements, and whether any of them held data."""

    start: float
    end: float
    phase: Phase
    message: str
    measurements: int
    no_data: bool = False

    @property
    def rolled_back(self) -> bool:
        """Failed or Error on data (a window without data is not counted as a rollback)."""
        return not self.no_data and self.phase in ROLLBACK_PHASES

    @property
    def counted_as(self) -> str:
        """`rollback`, `inconclusive`, `pass` or `no data`: how the summary counts this window."""
        if self.no_data:
            return "no data"
        if self.rolled_back:
            return "rollback"
        return "inconclusive" if self.phase is Phase.INCONCLUSIVE else "pass"

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": to_rfc3339(self.start),
            "end": to_rfc3339(self.end),
            "phase": self.phase.value,
            "countedAs": self.counted_as,
            "message": self.message,
            "measurements": self.measurements,
        }


@dataclass(frozen=True)
class BacktestTable:
    """Every window's verdict, in time order, and the share of those with data that would have rolled back."""

    windows: tuple[BacktestWindow, ...]
    every: float
    window: float

    @property
    def rolled_back(self) -> tuple[BacktestWindow, ...]:
        """Windows with data that ended Failed or Error."""
        return tuple(row for row in self.windows if row.rolled_back)

    @property
    def inconclusive(self) -> tuple[BacktestWindow, ...]:
        """Windows with data that ended Inconclusive (a paused rollout, not a rollback)."""
        return tuple(row for row in self.windows if row.counted_as == "inconclusive")

    @property
    def passed(self) -> tuple[BacktestWindow, ...]:
        """Windows with data that ended Successful."""
        return tuple(row for row in self.windows if row.counted_as == "pass")

    @property
    def no_data(self) -> tuple[BacktestWindow, ...]:
        """Windows whose measurements held no data: neither passes nor rollbacks."""
        return tuple(row for row in self.windows if row.no_data)

    @property
    def with_data(self) -> tuple[BacktestWindow, ...]:
        return tuple(row for row in self.windows if not row.no_data)

    @property
    def failed_share(self) -> float | None:
        """Share of windows with data that would have rolled back (0 to 1); None when no window had data."""
        judged = len(self.with_data)
        return len(self.rolled_back) / judged if judged else None

    def summary(self) -> str:
        """`3 of 48 windows would have rolled back (6.2 %)`, then the inconclusive and no-data counts."""
        share = self.failed_share
        if share is None:
            return f"no data in any of the {len(self.windows)} windows: nothing to judge"
        among = f"{len(self.with_data)} windows with data" if self.no_data else f"{len(self.windows)} windows"
        text = f"{len(self.rolled_back)} of {among} would have rolled back ({100 * share:.1f} %)"
        text += f"; {len(self.inconclusive)} inconclusive" if self.inconclusive else ""
        return text + (f"; {len(self.no_data)} without data (not counted)" if self.no_data else "")

    def to_text(self) -> str:
        """An aligned table (start, end, phase, counted as, measurements, message), then the summary line."""
        return table_text(self.windows, self.summary())

    def to_dict(self) -> dict[str, Any]:
        return {
            "every": self.every,
            "window": self.window,
            "windows": [row.to_dict() for row in self.windows],
            "rolledBack": len(self.rolled_back),
            "inconclusive": len(self.inconclusive),
            "passed": len(self.passed),
            "noData": len(self.no_data),
            "failedShare": self.failed_share,
            "summary": self.summary(),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

"""The text table of a backtest: one aligned line per window, then the summary."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from canarykit.clock import to_rfc3339

if TYPE_CHECKING:
    from canarykit.backtest_table import BacktestWindow

HEADER = ("START", "END", "PHASE", "COUNTED AS", "MEASUREMENTS", "MESSAGE")
COUNT_COLUMN = 4


def table_text(windows: Sequence[BacktestWindow], summary: str) -> str:
    """Text columns left-aligned, the measurement count right-aligned, the message last and unpadded."""
    rows = [HEADER, *(_row(window) for window in windows)]
    widths = [max(len(row[column]) for row in rows) for column in range(COUNT_COLUMN + 1)]
    return "\n".join([*(_align(row, widths) for row in rows), summary])


def _align(row: tuple[str, ...], widths: list[int]) -> str:
    cells = [cell.ljust(width) for cell, width in zip(row[:COUNT_COLUMN], widths, strict=False)]
    cells.append(row[COUNT_COLUMN].rjust(widths[COUNT_COLUMN]))
    return "  ".join([*cells, row[-1]]).rstrip()


def _row(window: BacktestWindow) -> tuple[str, str, str, str, str, str]:
    start, end = to_rfc3339(window.start), to_rfc3339(window.end)
    return (start, end, window.phase.value, window.counted_as, str(window.measurements), window.message)

"""Rollout reports: an audit record as one self-contained HTML page with charts (extra `canarykit[report]`).

`write_report(result_or_record, path)` writes it; `canarykit report AUDIT.json -o report.html` does from a
file. Charts are drawn by Altair and rendered to static SVG by vl-convert: the page runs no script and
fetches nothing, so it opens offline and can be attached to a ticket.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from canarykit.errors import AuditRecordError
from canarykit.report.record import RolloutRecord, load_audit, rollouts_of

if TYPE_CHECKING:
    from canarykit.rollout.result import RolloutResult

__all__ = ["AuditRecordError", "RolloutRecord", "load_audit", "render_report", "write_report"]


def render_report(record: RolloutResult | Mapping[str, Any], source: str = "<record>") -> str:
    """The HTML page of a result, or of an audit record (one rollout's, or the demo's `experiments`)."""
    return render_rollouts(_rollouts(record, source), source)


def render_rollouts(rollouts: list[RolloutRecord], source: str) -> str:
    """The HTML page of rollouts already read (`load_audit`)."""
    from canarykit.report.page import render_page

    return render_page(rollouts, source)


def write_report(
    record: RolloutResult | Mapping[str, Any], path: str | Path, *, source: str | None = None
) -> Path:
    """Write the report of a result or an audit record to `path` (HTML); `source` names it on the page."""
    html = render_report(record, source or _source_of(record))
    return write_html(html, Path(path))


def write_html(html: str, target: Path) -> Path:
    """Write a rendered page; a directory that cannot be written is a `AuditRecordError`, not a traceback."""
    try:
        target.write_text(html, encoding="utf-8")
    except OSError as error:
        raise AuditRecordError(f"{target}: cannot write the report: {error}") from error
    return target


def _rollouts(record: RolloutResult | Mapping[str, Any], source: str) -> list[RolloutRecord]:
    if isinstance(record, Mapping):
        return rollouts_of(record, source)
    return rollouts_of(record.to_dict(), source)


def _source_of(record: RolloutResult | Mapping[str, Any]) -> str:
    if isinstance(record, Mapping):
        return "an audit record"
    return f"the result of rollout {record.name!r}"

"""One report per experiment beside an audit record, as `canarykit demo` writes them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from canarykit.errors import CanaryError, MissingDependency
from canarykit.rollout.result import RolloutResult

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def report_path(audit_path: Path, number: int, result: RolloutResult) -> Path:
    """`demo-....json` -> `demo-...-1-green.html` beside it (the version made safe for a file name)."""
    version = _UNSAFE.sub("_", result.version)[:40] or "rollout"
    return audit_path.with_name(f"{audit_path.stem}-{number}-{version}.html")


def write_experiment_reports(audit_path: Path, results: Sequence[RolloutResult]) -> list[str]:
    """Write each result's report beside `audit_path`; lines saying where, or why none was written."""
    from canarykit.report import write_report

    lines = []
    for number, result in enumerate(results, 1):
        path = report_path(audit_path, number, result)
        try:
            write_report(result, path, source=f"{audit_path.name}, experiment {number}")
        except MissingDependency as error:
            return [f"no report: {error}"]
        except CanaryError as error:
            lines.append(f"report of {result.version} not written: {error}")
            continue
        lines.append(f"report: {path}")
    return lines

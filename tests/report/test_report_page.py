"""The HTML page: self-contained, every chart inline SVG, every user text escaped, one page per record."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html import escape
from pathlib import Path

import pytest
from report_records import HOSTILE, healthy, hostile, judged, rolled_back

from canarykit.errors import MissingDependency
from canarykit.report import render_report, write_report
from canarykit.report.experiments import write_experiment_reports
from canarykit.report.page import render_page
from canarykit.report.record import rollouts_of

INSTALL = "pip install 'canarykit[report]'"


def svgs(html: str) -> int:
    return html.count("<svg ")


def test_a_page_has_a_timeline_and_a_chart_per_metric_and_two_per_judge() -> None:
    assert svgs(render_report(rolled_back())) == 2
    assert svgs(render_report(judged())) == 4  # timeline, judge rates, judge e-values, dry-run reference


def test_a_page_runs_nothing_and_fetches_nothing() -> None:
    html = render_report(judged())
    assert "<script" not in html.lower() and "javascript:" not in html.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html)
    assert "@import" not in html and "url(http" not in html


def test_chart_ids_are_unique_across_the_page() -> None:
    record = {"experiments": [rolled_back().to_dict(), judged().to_dict(), healthy().to_dict()]}
    ids = re.findall(r'\bid="([^"]+)"', render_report(record))
    assert len(ids) == len(set(ids))


def test_hostile_names_and_messages_reach_the_page_as_text() -> None:
    result = hostile()
    html = render_report(result)
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert escape(result.name) in html and escape(result.version) in html
    assert f"<h4>{escape(HOSTILE)}</h4>" in html  # the metric's heading
    assert escape(result.message) in html


def test_a_demo_record_gives_one_section_per_experiment_with_a_table_of_contents() -> None:
    record = {"scenario": {"factor": 1}, "experiments": [healthy().to_dict(), rolled_back().to_dict()]}
    html = render_report(record)
    assert html.count('<section class="rollout"') == 2
    assert '<a href="#rollout-1">' in html and '<a href="#rollout-2">' in html
    assert "Healthy: green was promoted after 4 of 4 steps." in html


def test_the_page_says_how_the_rollout_ended_and_why() -> None:
    result = rolled_back()
    html = render_report(result)
    assert f"<b>Why:</b> {escape(str(result.reason))}" in html
    assert "rolled back after 1 of 4 steps" in html
    assert "Rollout aborted update to revision 2" in html  # the events table


def test_result_report_writes_the_page(tmp_path: Path) -> None:
    result = judged()
    written = result.report(tmp_path / "judged.html")
    assert written == tmp_path / "judged.html"
    html = written.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and svgs(html) == 4
    assert "the result of rollout &#x27;web&#x27;" in html


def test_write_report_takes_a_record_as_read_from_json(tmp_path: Path) -> None:
    record = json.loads(rolled_back().to_json())
    html = write_report(record, tmp_path / "r.html").read_text(encoding="utf-8")
    assert svgs(html) == 2 and "success if result &gt; 0.9" in html


def test_the_demo_writes_one_report_per_experiment_beside_its_audit_record(tmp_path: Path) -> None:
    audit = tmp_path / "demo-20260101T000000Z-1.json"
    lines = write_experiment_reports(audit, [healthy(), hostile()])
    first, second = tmp_path / "demo-20260101T000000Z-1-1-green.html", lines[1].removeprefix("report: ")
    assert lines[0] == f"report: {first}" and first.exists()
    assert Path(second).parent == tmp_path and Path(second).exists()  # the hostile version made safe
    assert "experiment 1" in first.read_text(encoding="utf-8")


def test_without_the_report_extra_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "altair", None)  # as if not installed: `import altair` fails
    with pytest.raises(MissingDependency, match=re.escape(INSTALL)):
        render_page(rollouts_of(rolled_back().to_dict()), "x")
    assert write_experiment_reports(Path("/nonexistent/audit.json"), [healthy()]) == [
        f"no report: reports need altair and vl-convert-python: {INSTALL}"
    ]


def test_importing_canarykit_and_its_report_module_loads_no_plotting_library() -> None:
    code = (
        "import canarykit, canarykit.report, sys; print(sorted({'altair', 'vl_convert'} & set(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"

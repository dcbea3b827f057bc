"""`canarykit report AUDIT.json -o report.html`, and clear errors for a file that is not an audit record."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from report_records import healthy, rolled_back

from canarykit.cli.exit_codes import EXIT_USAGE
from canarykit.cli.main import main
from canarykit.errors import AuditRecordError
from canarykit.report import load_audit


def audit_file(tmp_path: Path, record: Any, name: str = "audit.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(record), encoding="utf-8")
    return path


def test_report_writes_the_page_where_asked_and_says_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    audit = audit_file(tmp_path, rolled_back().to_dict())
    assert main(["report", str(audit), "-o", str(tmp_path / "out.html")]) == 0
    assert capsys.readouterr().out == f"report: {tmp_path / 'out.html'}\n"
    html = (tmp_path / "out.html").read_text(encoding="utf-8")
    assert html.count("<svg ") == 2 and "From audit.json" in html


def test_without_output_the_page_goes_beside_the_record(tmp_path: Path) -> None:
    audit = audit_file(tmp_path, healthy().to_dict(), "run-7.json")
    assert main(["report", str(audit)]) == 0
    assert (tmp_path / "run-7.html").exists()


def test_experiment_picks_one_rollout_of_a_demo_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    audit = audit_file(tmp_path, {"experiments": [healthy().to_dict(), rolled_back().to_dict()]})
    assert main(["report", str(audit), "--experiment", "2", "-o", str(tmp_path / "two.html")]) == 0
    html = (tmp_path / "two.html").read_text(encoding="utf-8")
    assert html.count('<section class="rollout"') == 1 and "rolled back after 1 of 4 steps" in html
    assert capsys.readouterr().out == f"report: {tmp_path / 'two.html'}\n"


def test_an_experiment_out_of_range_names_the_choices(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    audit = audit_file(tmp_path, {"experiments": [healthy().to_dict(), rolled_back().to_dict()]})
    assert main(["report", str(audit), "--experiment", "3"]) == EXIT_USAGE
    assert f"--experiment 3: {audit} holds 2 rollout(s); choose 1 to 2" in capsys.readouterr().err


def test_an_absent_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.json"
    assert main(["report", str(missing)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert (
        err.startswith(f"canarykit: error: {missing}: cannot read the audit record:")
        and "Traceback" not in err
    )


def test_an_unwritable_output_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    audit = audit_file(tmp_path, healthy().to_dict())
    assert main(["report", str(audit), "-o", str(tmp_path / "no-dir" / "r.html")]) == EXIT_USAGE
    assert "cannot write the report" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json {", "not JSON"),
        ("[]", "expected an object, found a list"),
        ('{"phase": "Healthy", "events": []}', "name: missing"),
        ('{"name": 3, "phase": "Healthy", "events": []}', "name: expected text, found a number"),
        ('{"name": "w", "phase": "Healthy"}', "events: missing"),
        ('{"name": "w", "phase": "Healthy", "events": [{"kind": "X", "time": "soon"}]}', "events[0]: time"),
        ('{"experiments": []}', "experiments: the record holds no rollout"),
        (
            '{"experiments": [{"name": "w", "phase": "P", "events": [], "analyses": 3}]}',
            "experiments[0]: analyses",
        ),
    ],
)
def test_a_file_that_is_not_an_audit_record_says_where(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(AuditRecordError, match=r"^" + str(path).replace(".", r"\.")) as raised:
        load_audit(path)
    assert message in str(raised.value)


def test_a_bad_measurement_is_named_by_its_place(tmp_path: Path) -> None:
    record = rolled_back().to_dict()
    record["analyses"][0]["metricResults"][0]["measurements"][2]["startedAt"] = "yesterday"
    with pytest.raises(AuditRecordError) as raised:
        load_audit(audit_file(tmp_path, record))
    where = "analyses[0]: metricResults[0]: measurements[2]: startedAt: expected a number, found text"
    assert where in str(raised.value)

"""`canarykit demo` for real: nginx, access log, exporter, Prometheus, analysis, router, nginx again."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from canarykit.local.stack import ToolMissing, check_tools

JUDGED = (
    'Background analysis phase error/failed: Metric "error-rate-comparison" assessed Failed due to '
    "failed (1) > failureLimit (0)"
)
ABORTED = (
    "RolloutAborted: Rollout aborted update to revision 3: Background analysis phase error/failed: "
    'Metric "success-rate" assessed Failed due to failed (4) > failureLimit (3)'
)


def test_the_demo_promotes_green_and_rolls_both_failing_versions_back(tmp_path: Path) -> None:
    environment = {**os.environ, "PATH": f"{os.environ.get('PATH', '')}:/usr/sbin"}
    command = [
        sys.executable,
        "-m",
        "canarykit",
        "demo",
        "--pause",
        "5s",
        "--no-color",
        "--audit-dir",
        str(tmp_path),
        "--metrics-port",
        "0",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, env=environment)

    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "all experiments ended as expected" in done.stdout
    assert done.stdout.count("metrics: http://127.0.0.1:") == 1  # once, though each experiment serves
    [audit] = tmp_path.glob("demo-*.json")
    assert f"audit record: {audit}" in done.stdout
    green, bad, subtle, healthy_gated = json.loads(audit.read_text())["experiments"]

    assert (green["version"], green["phase"]) == ("green", "Healthy")
    assert green["weightHistory"] == [20, 40, 60, 80, 100, 0]
    healthy = [m for m in green["analyses"][0]["metricResults"][0]["measurements"]]
    assert healthy and all(m["phase"] == "Successful" for m in healthy)

    assert (bad["version"], bad["phase"], bad["message"]) == ("bad-red", "Degraded", ABORTED)
    assert bad["weightHistory"][-1] == 0 and 40 in bad["weightHistory"]
    measured = bad["analyses"][0]["metricResults"][0]["measurements"]
    failed = [m for m in measured if m["phase"] == "Failed"]
    assert len(failed) == 4
    assert all(float(m["value"].strip("[]")) <= 0.90 for m in failed)  # the real ratio of real answers
    assert "red    " in done.stdout and "x" in done.stdout  # the strip showed red answers and errors

    assert (subtle["version"], subtle["phase"]) == ("orange", "Degraded")
    assert subtle["message"].endswith(JUDGED)
    judge, reference = subtle["analyses"][0]["metricResults"]
    assert (judge["name"], judge["phase"]) == ("error-rate-comparison", "Failed")
    assert reference["dryRun"] and reference["failed"] == 0  # the reference threshold would have promoted it
    assert "reference threshold (dry run): 0 of" in done.stdout

    assert (healthy_gated["version"], healthy_gated["phase"]) == ("cyan", "Healthy")
    steps = [e for e in healthy_gated["events"] if e["kind"] == "StepCompleted"]
    assert [e["index"] for e in steps if e.get("reason") == "cleared"][-1] == 7  # the last gate, by the judge
    started, promoted = (next(e["time"] for e in healthy_gated["events"] if e["kind"] == k) for k in KINDS)
    assert promoted - started < 4 * 60  # four gates of at most 1m each: promoted before their timers
    early = re.search(
        r"cyan: Healthy after 8/8 steps\n +promoted after \S+ of the plan's 4m: (.+)", done.stdout
    )
    assert early is not None and early[1] == "cleared by the judges", done.stdout[-2000:]
    assert "gate cleared by the judges" in done.stdout  # the live view says why a gate ended


KINDS = ("StepStarted", "Promoted")


def test_missing_tools_are_named_with_how_to_install_them() -> None:
    with pytest.raises(ToolMissing) as caught:
        check_tools(path="/nonexistent")
    message = str(caught.value)
    assert message.startswith("nginx and prometheus not found.")
    assert "sudo apt-get install --no-install-recommends nginx prometheus" in message
    assert 'run "make demo"' in message

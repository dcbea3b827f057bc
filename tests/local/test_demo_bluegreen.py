"""`canarykit demo --strategy bluegreen` for real: nginx with a preview port, Prometheus, analysis."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import requests

from canarykit.local.bluegreen_load import LoadShedding, shed_share
from canarykit.local.demo_app import DemoApp
from canarykit.testing import FakeClock

POST_FAILED = (
    "RolloutAborted: Rollout aborted update to revision 3: Blue/green post-promotion analysis phase "
    'error/failed: Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)'
)
ENVIRONMENT = {**os.environ, "PATH": f"{os.environ.get('PATH', '')}:/usr/sbin"}


def demo(*arguments: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "canarykit", "demo", "--strategy", *arguments]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, env=ENVIRONMENT)


def of_kind(experiment: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [event for event in experiment["events"] if event["kind"] == kind]


def measurements(experiment: dict[str, Any], suffix: str) -> list[dict[str, Any]]:
    [analysis] = [a for a in experiment["analyses"] if a["name"].endswith(suffix)]
    [metric] = analysis["metricResults"]
    return list(metric["measurements"])


def test_the_demo_promotes_green_and_switches_bad_red_back_in_one_reload(tmp_path: Path) -> None:
    done = demo("bluegreen", "--pause", "5s", "--no-color", "--audit-dir", str(tmp_path))

    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "all experiments ended as expected" in done.stdout
    [audit] = tmp_path.glob("bluegreen-demo-*.json")
    assert f"audit record: {audit}" in done.stdout
    assert len(list(tmp_path.glob("bluegreen-demo-*-bad-red.html"))) == 1
    green, bad = json.loads(audit.read_text())["experiments"]

    assert (green["version"], green["phase"], green["message"]) == ("green", "Healthy", "")
    assert [e["message"] for e in of_kind(green, "Promoted")] == [
        "Rollout completed update to revision 2: Completed blue-green update"
    ]
    assert [e["message"] for e in of_kind(green, "AnalysisCompleted")] == [
        "PrePromotion analysis Successful",
        "PostPromotion analysis Successful",
    ]
    preview, active = green["moves"][:2]
    assert (preview["port"], preview["active"], preview["preview"]) == ("preview", "blue", "green")
    assert (active["port"], active["active"], active["preview"]) == ("active", "green", "green")

    assert (bad["version"], bad["phase"], bad["message"]) == ("bad-red", "Degraded", POST_FAILED)
    assert all(m["phase"] == "Successful" for m in measurements(bad, "-pre"))  # the preview's load passed it
    [failed] = measurements(bad, "-post")
    assert (
        failed["phase"] == "Failed" and float(failed["value"].strip("[]")) < 0.95
    )  # real answers, real load
    assert bad["weightHistory"] == [100, 0]  # one router write to switch, one to switch back
    moves = [(m["port"], m["active"], m["preview"]) for m in bad["moves"]]
    assert moves[:3] == [("preview", "green", "red"), ("active", "red", "red"), ("active", "green", "red")]
    assert [port for port, _, _ in moves[3:]] == ["preview"]  # the active port never moved again
    after = bad["activeAfterLastMove"]
    assert after["requests"] > 0 and after["servedByNewVersionSlot"] == 0
    kinds = [event["kind"] for event in bad["events"]]
    switched_back = next(
        i
        for i, e in enumerate(bad["events"])
        if e.get("service") == "canary-demo" and e["current"] == "green"
    )
    assert kinds.index("AnalysisCompleted", 2) < kinds.index("Aborted") < switched_back
    assert "active port answers red" in done.stdout and "preview port answers red" in done.stdout
    assert "after the switch back to green:" in done.stdout and "0 answered by bad-red" in done.stdout


def test_an_unknown_strategy_is_bad_input() -> None:
    done = demo("blue-green")
    assert done.returncode == 3
    assert "invalid choice: 'blue-green'" in done.stderr


def test_a_version_sheds_only_the_load_above_its_capacity() -> None:
    assert shed_share(10, 30, 0.005) == 0.005
    assert shed_share(30, 30, 0.0) == 0.0
    assert shed_share(100, 30, 0.005) == 0.7
    assert shed_share(31, 30, 0.005) == 0.05  # the 3 % excess, to the nearest 5 %, never below the base


def test_a_slot_that_runs_the_limited_version_next_does_not_inherit_its_previous_rate() -> None:
    clock = FakeClock(100.0)
    with DemoApp("green") as app:
        shedding = LoadShedding([app], "red", capacity=30, base=0.005, clock=clock)
        shedding.tick()
        for _ in range(60):
            requests.get(f"{app.url}/color", timeout=5)
        clock.advance(0.5)
        shedding.tick()
        assert shedding.rate(app) == 120.0 and app.error_rate == 0.0  # green is not limited
        app.deploy("red", 0.005)
        clock.advance(0.25)
        shedding.tick()
        assert shedding.rate(app) == 0.0 and app.error_rate == 0.005  # a fresh count for red
        for _ in range(30):
            requests.get(f"{app.url}/color", timeout=5)
        clock.advance(0.25)
        shedding.tick()
        assert shedding.rate(app) == 120.0 and app.error_rate == 0.75

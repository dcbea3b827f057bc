"""`canarykit plan`, in a subprocess as a user runs it. Steps are numbered from 1."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from canarykit.cli.main import EXIT_USAGE

DATA = Path(__file__).parent.parent / "data"
ROLLOUT = str(DATA / "rollout.yaml")
TEMPLATE = str(DATA / "analysis-template.yaml")

INDEFINITE = """
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: shop, namespace: prod}
spec:
  replicas: 4
  selector: {matchLabels: {app: shop}}
  template:
    metadata: {labels: {app: shop}}
    spec: {containers: [{name: shop, image: shop:2}]}
  strategy:
    canary:
      steps:
        - setWeight: 10
        - pause: {duration: 90}
        - analysis: {templates: [{templateName: quick}]}
        - pause: {}
        - setWeight: 50
        - pause: {duration: 1h}
---
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: quick}
spec:
  metrics:
    - name: up
      interval: 30s
      count: 3
      successCondition: result[0] == 1
      provider: {prometheus: {address: "http://prometheus:9090", query: up}}
"""


def plan(*files: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "canarykit", "plan"]
    for file in files:
        command += ["-f", file]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def test_reference_rollout_plan() -> None:
    done = plan(ROLLOUT, TEMPLATE)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "Rollout canary-demo: 8 steps, background analysis success-rate from step 3 (startingStep 2)",
        "traffic: nginx ingress canary-demo; stable canary-demo, canary canary-demo-canary; 1 replica",
        "  #  step          analysis           ends at",
        "  1  setWeight 20                     0s",
        "  2  pause 2m                         2m",
        "  3  setWeight 40  background starts  2m",
        "  4  pause 2m      background         4m",
        "  5  setWeight 60  background         4m",
        "  6  pause 2m      background         6m",
        "  7  setWeight 80  background         6m",
        "  8  pause 2m      background         8m",
        "total: 8m, then the canary is promoted to 100%",
    ]


def test_indefinite_pause_and_inline_analysis(tmp_path: Path) -> None:
    path = tmp_path / "shop.yaml"
    path.write_text(INDEFINITE)
    done = plan(str(path))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Rollout prod/shop: 6 steps, no background analysis"
    assert lines[1] == "traffic: by replica count (4 replicas, no trafficRouting)"
    assert [line.split() for line in lines[3:9]] == [
        ["1", "setWeight", "10", "0s"],
        ["2", "pause", "1m30s", "1m30s"],
        ["3", "analysis", "quick", "inline", "2m30s"],  # (count 3 - 1) x interval 30s = 1m
        ["4", "pause", "until", "promoted"],
        ["5", "setWeight", "50", "2m30s+?"],
        ["6", "pause", "1h", "1h2m30s+?"],
    ]
    assert lines[-1] == "total: 1h2m30s plus the time until promoted, then the canary is promoted to 100%"


def test_missing_template_exits_3_naming_it() -> None:
    done = plan(ROLLOUT)
    assert done.returncode == EXIT_USAGE
    assert done.stdout == ""
    assert 'AnalysisTemplate "success-rate" not found' in done.stderr
    assert "spec.strategy.canary.analysis.templates[0].templateName" in done.stderr


def test_invalid_step_exits_3_with_its_path(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(Path(ROLLOUT).read_text().replace("setWeight: 40", "setWeight: 140"))
    done = plan(str(path), TEMPLATE)
    assert done.returncode == EXIT_USAGE
    assert "spec.strategy.canary.steps[2].setWeight: SetWeight needs to be between 0 and 100" in done.stderr


def test_missing_file_and_missing_option_exit_3(tmp_path: Path) -> None:
    missing = plan(str(tmp_path / "nope.yaml"))
    assert missing.returncode == EXIT_USAGE and "cannot read" in missing.stderr
    assert plan().returncode == EXIT_USAGE


def test_a_gateway_api_rollout_names_its_routes() -> None:
    """The plugin's header-route example: its HTTPRoute, and the header route steps."""
    example = Path(__file__).parents[2] / "examples" / "gateway-api" / "header-routes" / "rollout.yaml"
    done = plan(str(example))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[1] == (
        "traffic: Gateway API HTTPRoute argo-rollouts-http-route; "
        "stable argo-rollouts-stable-service, canary argo-rollouts-canary-service; 5 replicas"
    )
    steps = [line.split(None, 1)[1].rstrip() for line in lines[3:8]]
    assert [step.split("  ")[0] for step in steps] == [
        "pause",
        "setCanaryScale 1 replicas",
        "setHeaderRoute argo-rollouts: X-Test",
        "pause",
        "setHeaderRoute (remove)",
    ]

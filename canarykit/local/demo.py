"""`canarykit demo`: four experiments on a real local stack, with a live view and an audit record.

Stable fails 0.5 % of its requests, as real services do. Experiment 1 rolls green out over blue and must
be promoted; experiment 2 rolls out a version failing 30 % of its requests and must be rolled back by the
reference AnalysisTemplate's own query, through nginx, its access log, the exporter and Prometheus.
Experiment 3 rolls out a version failing 2 % (4x stable): the comparison judge must roll it back, while
the reference analysis, run beside it as a dry run on the same traffic, would have promoted it.
Experiment 4 rolls out a version as good as stable through gates: the judge clears it and it is promoted
well before the plan's timers would have let it through.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from canarykit.clock import Clock, SystemClock
from canarykit.local.audit import write_audit_record
from canarykit.local.demo_metrics import MetricsPort
from canarykit.local.demo_workload import Version
from canarykit.local.judged_experiment import (
    JUDGE_PAUSE,
    both_verdicts,
    gate_length,
    gated_analysis,
    gated_scenario,
    judged_analysis,
    plan_seconds,
    promoted_early,
    promotion_summary,
    reference_would_promote,
)
from canarykit.local.scenario import Scenario, scaled_scenario
from canarykit.local.stack import LocalStack, check_tools
from canarykit.local.traffic_clock import TrafficClock
from canarykit.local.view import DemoView
from canarykit.report.experiments import write_experiment_reports
from canarykit.rollout import events as ev
from canarykit.rollout.orchestrator import Rollout
from canarykit.rollout.result import RolloutResult
from canarykit.rollout.status import RolloutPhase

BASELINE_ERRORS = 0.005
VERSIONS = {
    "blue": Version("blue", "blue", error_rate=BASELINE_ERRORS),
    "green": Version("green", "green", error_rate=BASELINE_ERRORS),
    "bad-red": Version("bad-red", "red", error_rate=0.3),
    "orange": Version("orange", "orange", error_rate=4 * BASELINE_ERRORS),
    "cyan": Version("cyan", "cyan", error_rate=BASELINE_ERRORS),
}
EXPERIMENTS = (
    ("green", RolloutPhase.HEALTHY, "blue -> green: a healthy version is promoted", "reference"),
    ("bad-red", RolloutPhase.DEGRADED, "green -> bad-red: failing 30% of requests, rolled back", "reference"),
    (
        "orange",
        RolloutPhase.DEGRADED,
        "green -> orange: failing 2% (4x stable), caught by the judge",
        "judge",
    ),
    ("cyan", RolloutPhase.HEALTHY, "green -> cyan: as good as stable, promoted early by the judge", "gated"),
)


@dataclass
class DemoOptions:
    """What `canarykit demo` can be told: pause length, traffic rate, where the audit record goes.

    `metrics_port` serves canarykit's own metrics (docs/metrics.md) on 127.0.0.1 while each experiment
    runs; 0 picks a free port, which the later experiments keep.
    """

    pause: float = 10.0
    rate: float = 100.0
    failing_error_rate: float = 0.3
    audit_dir: Path = field(default_factory=lambda: _state_dir())
    colors: bool | None = None
    metrics_port: int | None = None


@dataclass
class DemoOutcome:
    """Each experiment's result, whether both ended as expected, and where the audit record is."""

    results: list[RolloutResult]
    as_expected: bool
    audit_path: Path


def run_demo(options: DemoOptions, out: TextIO) -> DemoOutcome:
    """Check the tools, start the stack, run the experiments, stop everything; never leaves a process."""
    metrics = MetricsPort(options.metrics_port)  # a bad port is said before the stack starts
    check_tools()
    scenarios = _scenarios(options.pause, options.rate)
    versions = {**VERSIONS, "bad-red": Version("bad-red", "red", error_rate=options.failing_error_rate)}
    view = DemoView(out, colors=options.colors)
    with LocalStack(versions, "blue", rate=options.rate) as stack:
        clock = TrafficClock(SystemClock(), lambda: view.show_traffic(stack.traffic.recent(view.width)))
        results: list[RolloutResult] = []
        for version, _, title, kind in EXPERIMENTS:
            rollout = _rollout(stack, scenarios[kind], kind, clock, view, metrics)
            view.experiment(title, len(scenarios[kind].spec.steps))
            results.append(rollout.run(version))
            if interrupted(results[-1]):
                break  # Ctrl-C: the rollout went back to stable; the stack stops on the way out
    expected = [phase for _, phase, _, _ in EXPERIMENTS]
    as_expected = [result.phase for result in results] == expected
    as_expected = as_expected and reference_would_promote(results[2]) and promoted_early(results[3])
    audit_path = _write_audit(options.audit_dir, scenarios["reference"], results)
    summary = _summary(results, as_expected, audit_path, plan_seconds(scenarios["gated"]))
    view.summary(summary + write_experiment_reports(audit_path, results))
    return DemoOutcome(results, as_expected, audit_path)


def _scenarios(pause: float, rate: float) -> dict[str, Scenario]:
    """Each kind of experiment's scenario: the judge's pauses and the gates are kept long enough to decide."""
    judge = scaled_scenario(max(pause, JUDGE_PAUSE))
    gated = gated_scenario(judge, gate_max=gate_length(pause, rate))
    return {"reference": scaled_scenario(pause), "judge": judge, "gated": gated}


def _rollout(
    stack: LocalStack, scenario: Scenario, kind: str, clock: Clock, view: DemoView, metrics: MetricsPort
) -> Rollout:
    """One experiment's Rollout (its metrics, when asked for, served from now to the end of its run)."""
    options: dict[str, Any] = {}
    if kind == "judge":
        options["analysis"] = judged_analysis(scenario, stack.prometheus.url)
    if kind == "gated":
        options["analysis"] = gated_analysis(stack.prometheus.url, scenario)
    rollout = Rollout.from_spec(
        scenario.spec,
        stack.router,
        stack.workload,
        prometheus=stack.prometheus.url,
        clock=clock,
        on_event=view.on_event,
        state=stack.state,  # one record across experiments: revisions 2, 3, 4, as in Argo
        metrics_port=metrics.port,
        **options,
    )
    metrics.serving(rollout, view)
    return rollout


def interrupted(result: RolloutResult) -> bool:
    """Whether Ctrl-C (or another signal) aborted the release: the demo then stops."""
    return any(isinstance(e, ev.Aborted) and e.reason.startswith("received SIG") for e in result.events)


def _summary(results: list[RolloutResult], as_expected: bool, audit_path: Path, gated: float) -> list[str]:
    lines = []
    for result in results:
        lines.append(
            f"{result.version}: {result.phase.value} after {result.steps_done}/{result.steps_total} steps"
        )
        lines += [f"  {result.message}"] if result.message else []
        if result.version == "orange":
            lines += [f"  {line}" for line in both_verdicts(result)]
        if result.version == "cyan":
            lines.append(f"  {promotion_summary(result, gated)}")
    return [*lines, *closing_lines(as_expected, audit_path)]


def closing_lines(as_expected: bool, audit_path: Path) -> list[str]:
    """A demo summary's last lines: whether every experiment ended as expected, and the audit record."""
    verdict = "all experiments ended as expected" if as_expected else "an experiment did NOT end as expected"
    return [verdict, f"audit record: {audit_path}"]


def _write_audit(directory: Path, scenario: Scenario, results: list[RolloutResult]) -> Path:
    """Every measurement and decision of the experiments, with the scaled scenario, as JSON."""
    scaled = {"factor": scenario.factor, "rollout": scenario.rollout_yaml, "template": scenario.template_yaml}
    return write_audit_record(
        directory, "demo", {"scenario": scaled, "experiments": [result.to_dict() for result in results]}
    )


def _state_dir() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(base) / "canarykit"

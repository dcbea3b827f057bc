"""`canarykit demo --strategy bluegreen`: two blue-green releases on a real local stack, live.

1. blue -> green: the preview gets green, pre-promotion analysis on the preview's requests holds, the
   active port switches in one reload, post-promotion analysis holds, green is promoted.
2. green -> bad-red: bad-red serves 30 requests/s and sheds the rest (`bluegreen_load`): the preview's
   10 requests/s pass pre-promotion analysis, production's rate after the switch does not; post-promotion
   analysis fails and the active port goes back to green in one reload.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from canarykit.clock import SystemClock
from canarykit.local.audit import write_audit_record
from canarykit.local.bluegreen_load import LoadShedding
from canarykit.local.bluegreen_router import Move, WatchedRouter, served_after
from canarykit.local.bluegreen_scenario import Timing, blue_green, describe
from canarykit.local.demo import DemoOptions, DemoOutcome, closing_lines, interrupted
from canarykit.local.demo_metrics import MetricsPort
from canarykit.local.demo_workload import Version
from canarykit.local.stack import LocalStack, check_tools
from canarykit.local.traffic_clock import TrafficClock
from canarykit.local.view import DemoView
from canarykit.report.experiments import write_experiment_reports
from canarykit.rollout import events as ev
from canarykit.rollout.orchestrator import Rollout
from canarykit.rollout.result import RolloutResult
from canarykit.rollout.status import RolloutPhase

BASELINE_ERRORS = 0.005
CAPACITY = 30.0
"""Requests per second bad-red serves before it sheds the rest with 500s."""
VERSIONS = {
    "blue": Version("blue", "blue", error_rate=BASELINE_ERRORS),
    "green": Version("green", "green", error_rate=BASELINE_ERRORS),
    "bad-red": Version("bad-red", "red", error_rate=BASELINE_ERRORS),
}
EXPERIMENTS = (
    ("green", RolloutPhase.HEALTHY, "blue -> green: previewed, analysed, switched, promoted"),
    ("bad-red", RolloutPhase.DEGRADED, "green -> bad-red: fails only under production load, switched back"),
)
POST_PROMOTION_FAILED = "Blue/green post-promotion analysis phase error/failed"
NAME = "bluegreen-demo"


@dataclass
class Experiment:
    """One release's result, its router moves, and what the active port served after its last active move."""

    result: RolloutResult
    moves: list[Move]
    active_after: tuple[int, int] = (0, 0)
    """(requests on the active port once its last move was in force, how many the new slot served)."""

    def active_answers(self) -> str | None:
        """The version the active port answered after its last move."""
        return next((move.active for move in reversed(self.moves) if move.port == "active"), None)

    def to_dict(self) -> dict[str, Any]:
        logged, by_new = self.active_after
        return {
            "moves": [move.to_dict() for move in self.moves],
            "activeAfterLastMove": {"requests": logged, "servedByNewVersionSlot": by_new},
        }


def run_bluegreen_demo(options: DemoOptions, out: TextIO) -> DemoOutcome:
    """Check the tools, start the stack with a preview, run both releases, stop everything."""
    metrics = MetricsPort(options.metrics_port)  # a bad port is said before the stack starts
    timing = Timing.of(options.pause)
    check_tools()
    view = DemoView(out, colors=options.colors)
    experiments: list[Experiment] = []
    with LocalStack(VERSIONS, "blue", rate=options.rate, preview=True) as stack:
        apps = (stack.stable_app, stack.canary_app)
        with LoadShedding(apps, VERSIONS["bad-red"].color, CAPACITY, BASELINE_ERRORS):
            clock = TrafficClock(SystemClock(), lambda: _show_traffic(view, stack))
            view.note(describe(timing))
            for version, _, title in EXPERIMENTS:
                experiments.append(_experiment(stack, timing, clock, view, metrics, version, title))
                if interrupted(experiments[-1].result):
                    break  # Ctrl-C: traffic went back to stable; the stack stops on the way out
    results = [experiment.result for experiment in experiments]
    as_expected = _as_expected(experiments)
    audit_path = _write_audit(options.audit_dir, timing, experiments)
    view.summary(
        _summary(experiments, as_expected, audit_path) + write_experiment_reports(audit_path, results)
    )
    return DemoOutcome(results, as_expected, audit_path)


def _experiment(
    stack: LocalStack,
    timing: Timing,
    clock: TrafficClock,
    view: DemoView,
    metrics: MetricsPort,
    version: str,
    title: str,
) -> Experiment:
    """One release of `version`, with each router move shown once nginx serves it."""
    pending: list[Move] = []
    router = WatchedRouter(stack.router, stack.nginx, on_move=pending.append)

    def on_event(event: ev.Event) -> None:
        view.on_event(event)
        if isinstance(event, ev.ServiceSwitched | ev.Promoted | ev.Aborted):
            _show_moves(view, pending)

    rollout = Rollout(
        NAME,
        blue_green(stack.prometheus.url, timing),
        router,
        stack.workload,
        clock=clock,
        on_event=on_event,
        state=stack.state,  # one record across releases: revisions 2 and 3, as in Argo
        metrics_port=metrics.port,
    )
    metrics.serving(rollout, view)
    view.experiment(title, len(rollout.plan))
    _show_moves(view, [router.current("before")])
    result = rollout.run(version)
    _show_moves(view, pending)
    experiment = Experiment(result, router.moves)
    if (last := router.last_active_move()) is not None:
        log, new_slot = stack.nginx.access_log_path, stack.canary_app.address
        experiment.active_after = served_after(log, last.log_offset, new_slot)
    return experiment


def _show_moves(view: DemoView, moves: list[Move]) -> None:
    for move in moves:
        view.note(
            f"  {move.what:<26} active port answers {move.active:<8} preview port answers {move.preview}"
        )
    moves.clear()


def _show_traffic(view: DemoView, stack: LocalStack) -> None:
    for label, traffic in (("active ", stack.traffic), ("preview", stack.preview_traffic)):
        strip = view.strip(traffic.recent(view.width)).splitlines()
        view.note("\n".join(f"  {label}  {line}" for line in strip))


def _as_expected(experiments: list[Experiment]) -> bool:
    """Both phases as planned, bad-red caught after the switch, and never served on the active port again."""
    if [e.result.phase for e in experiments] != [phase for _, phase, _ in EXPERIMENTS]:
        return False
    bad, green = experiments[-1], VERSIONS["green"].color
    switched_back = bad.active_answers() == green and bad.active_after[1] == 0
    return POST_PROMOTION_FAILED in bad.result.message and switched_back


def _summary(experiments: list[Experiment], as_expected: bool, audit_path: Path) -> list[str]:
    lines = []
    for experiment in experiments:
        result = experiment.result
        done = f"{result.steps_done}/{result.steps_total}"
        lines.append(f"{result.version}: {result.phase.value} after {done} steps")
        lines += [f"  {event.message}" for event in result.events if isinstance(event, ev.ServiceSwitched)]
        lines += [f"  {result.message}"] if result.message else []
        lines += [
            f"  {e.message}" for e in result.events if isinstance(e, ev.Promoted) and not result.message
        ]
        if result.phase is RolloutPhase.DEGRADED:
            logged, by_new = experiment.active_after
            lines.append(
                f"  after the switch back to {experiment.active_answers()}: {logged} requests on the active "
                f"port, {by_new} answered by {result.version}"
            )
    return [*lines, *closing_lines(as_expected, audit_path)]


def _write_audit(directory: Path, timing: Timing, experiments: list[Experiment]) -> Path:
    """Every measurement, decision and router move of both releases, with the timing used, as JSON."""
    record = {
        "strategy": "bluegreen",
        "timing": {"pause": timing.pause, "window": timing.window, "interval": timing.interval},
        "experiments": [{**e.result.to_dict(), **e.to_dict()} for e in experiments],
    }
    return write_audit_record(directory, "bluegreen-demo", record)

"""`Rollout`: walks the steps, runs analysis beside them, promotes or rolls back (Argo's canary reconcile)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from canarykit.analysis import AnalysisResult, AnalysisRun
from canarykit.clock import Clock, SystemClock
from canarykit.durations import Duration, parse_duration
from canarykit.errors import SpecError
from canarykit.rollout import events as ev
from canarykit.rollout.analyses import BackgroundAnalysis
from canarykit.rollout.completion import full_weight
from canarykit.rollout.driver import drive
from canarykit.rollout.edges import check_edges
from canarykit.rollout.listeners import EventListener, EventLog
from canarykit.rollout.manual import pause_by_user, undo
from canarykit.rollout.result import RolloutResult, result_of
from canarykit.rollout.resume import check_resume_policy, initial_status
from canarykit.rollout.rollback import ONCE, Backoff
from canarykit.rollout.start import begin, check_plan, store_lock
from canarykit.rollout.status import RolloutPhase, RolloutStatus
from canarykit.rollout.stepper import Stepper
from canarykit.rollout.store import StateStore
from canarykit.rollout.strategy import plan_of, scale_down_delays
from canarykit.steps import Step
from canarykit.steps.bluegreen import BlueGreen
from canarykit.telemetry.serving import metrics_served, serve_metrics
from canarykit.traffic import TrafficRouter
from canarykit.workload import Workload

RollbackHook = Callable[[RolloutStatus], None]
POLICIES = ("rollback", "pause")
DEFAULT_BACKOFF = Backoff()


class Rollout:
    """A canary (or, given a `BlueGreen` in place of the steps, a blue-green) rollout of one version.

    `run(version)` blocks until Healthy or rolled back and returns a `RolloutResult`; `advance()` does what is
    due now and returns when to call again, so one loop can drive many rollouts. `promote()`, `abort()` and
    `retry()` may be called from any thread, or from an event listener, while `run()` blocks.
    Rollback hooks run once each (`hook_backoff` retries them) as soon as traffic is back on stable.
    `metrics_port` serves canarykit's Prometheus metrics (docs/metrics.md) until `run()` ends (0: any port).
    """

    def __init__(
        self,
        name: str,
        steps: Sequence[Step] | BlueGreen,
        router: TrafficRouter,
        workload: Workload,
        analysis: BackgroundAnalysis | None = None,
        clock: Clock | None = None,
        state: StateStore | None = None,
        on_event: EventListener | None = None,
        scale_down_delay: Duration | None = None,
        abort_scale_down_delay: Duration | None = None,
        progress_deadline: Duration = 600,
        failure_policy: str = "rollback",
        backoff: Backoff = DEFAULT_BACKOFF,
        prometheus: Any = None,
        on_resume: str = "continue",
        rollback_hooks: Sequence[RollbackHook] = (),
        hook_backoff: Backoff = ONCE,
        rollback_on_error: bool = True,
        metrics_port: int | None = None,
        metrics_address: str = "127.0.0.1",
    ) -> None:
        if not name:
            raise SpecError("a rollout needs a name")
        if failure_policy not in POLICIES:
            raise SpecError(f"failure_policy must be one of {POLICIES}, got {failure_policy!r}")
        self.name = name
        self.plan, self.blue_green = plan_of(steps)
        check_edges(router, workload, state)
        self.router, self.workload, self.analysis = router, workload, analysis
        self.clock: Clock = clock or SystemClock()
        self.prometheus = prometheus
        self.on_resume = check_resume_policy(on_resume)
        self.rollback_hooks, self.hook_backoff = tuple(rollback_hooks), hook_backoff
        self.rollback_on_error = rollback_on_error
        self.max_weight = full_weight(router)
        check_plan(self)
        self.store = state
        self.failure_policy = failure_policy
        self.backoff = backoff
        delays = scale_down_delays(self.blue_green, scale_down_delay, abort_scale_down_delay)
        self.scale_down_delay, self.abort_scale_down_delay = delays
        self.progress_deadline = parse_duration(progress_deadline, "progress_deadline")
        self._log = EventLog([on_event] if on_event else [])
        self._lock = threading.RLock()
        self._analyses: list[AnalysisRun] = []
        self.stepper: Stepper | None = None
        self.metrics_server = serve_metrics(self, metrics_port, metrics_address)  # before anything moves
        self.metrics_port = self.metrics_server.port if self.metrics_server else None

    @property
    def status(self) -> RolloutStatus | None:
        return self.stepper.status if self.stepper else None

    def start(self, version: str, retry: bool = False) -> None:
        """Begin (or resume, when the state store holds an unfinished rollout of `version`) a rollout.

        A version this rollout rolled back before is refused (`StateError`) unless `retry=True`.
        """
        with self._lock:
            status, resumed = initial_status(self, version, self.clock.now(), retry)
            self._log.clear()
            self._analyses.clear()
            begin(self, status, resumed)
        self.deliver_events()

    def advance(self) -> float | None:
        """Do everything due now; return when to call again (unix seconds), None once finished."""
        with self._lock:
            return self._require().advance()

    def run(self, version: str, handle_signals: bool = True, retry: bool = False) -> RolloutResult:
        """Roll `version` out to the end: Healthy, or rolled back (Degraded). Never raises for a rollback.

        In the main thread, SIGINT/SIGTERM abort the rollout (traffic back to stable, state saved); a second
        signal exits once the abort is saved. `handle_signals=False` leaves signals alone. Each call starts
        a clean result. See `canarykit.rollout.driver` for what an exception leaves behind.
        """
        with store_lock(self), metrics_served(self.metrics_server):
            self.start(version, retry=retry)
            drive(self, handle_signals)
            return self.result()

    def promote(self, full: bool = False) -> None:
        """Go on past a pause (or the current step); `full=True` skips the remaining steps and analysis."""
        self._command(lambda stepper: stepper.promote(full))

    def abort(self, reason: str = "") -> None:
        """Stop and roll back: traffic to stable at once, the canary removed after the abort delay."""
        self._command(lambda stepper: stepper.abort(reason))

    def pause(self) -> None:
        """Hold the rollout at its step (Argo's `spec.paused`) until `promote()`; analysis goes on."""
        self._command(pause_by_user)

    def undo(self) -> None:
        """Return to the stable version without the remaining steps (Argo's fast-track rollback)."""
        self._command(undo)

    def retry(self) -> None:
        """Start an aborted rollout again from its first step."""
        self._command(Stepper.retry)

    def _command(self, action: Callable[[Stepper], None]) -> None:
        """Apply a command to the running rollout, then hand its events to the listeners."""
        with self._lock:
            action(self._require())
        self.deliver_events()

    def result(self) -> RolloutResult:
        with self._lock:
            status = self._require().status
            return result_of(self.name, status, len(self.plan), self.analysis_results(), self._log.events)

    def analysis_results(self) -> list[AnalysisResult]:
        return [run.result() for run in self._analyses]

    def add_listener(self, listener: EventListener) -> None:
        self._log.listeners.append(listener)

    def emit(self, kind: type[ev.Event], message: str, **fields: Any) -> None:
        """Record an event and log it; listeners get it at the next `deliver_events()`."""
        self._log.record(kind(self.clock.now(), self.name, message, **fields))

    def deliver_events(self) -> None:
        """Hand the events recorded so far to the listeners (between reconciles, never inside one)."""
        with self._lock:
            self._log.deliver()

    def track(self, run: AnalysisRun) -> AnalysisRun:
        self._analyses.append(run)
        return run

    @classmethod
    def from_spec(cls, spec: Any, router: TrafficRouter, workload: Workload, **options: Any) -> Rollout:
        """A rollout of a loaded Argo Rollout (`canarykit.argo.load`); `prometheus=` replaces addresses."""
        from canarykit.rollout.from_spec import rollout_from_spec

        return rollout_from_spec(spec, router, workload, **options)

    def _require(self) -> Stepper:
        if self.stepper is None:
            raise SpecError(
                f"rollout {self.name!r} has not been started: call run(version) or start(version)"
            )
        return self.stepper


__all__ = ["Rollout", "RolloutPhase"]

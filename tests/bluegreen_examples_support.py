"""For the runs of argo-rollouts' blue-green examples (tests/data/argo/bluegreen): the four Rollouts, the
request history their `smoke-tests` analysis reads from a real Prometheus, and a driver that promotes at a
`BlueGreenPause` as a person would."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from canarykit import Rollout, RolloutPhase
from canarykit.argo import load
from canarykit.argo.rollout import RolloutSpec
from canarykit.rollout import events as ev
from canarykit.testing import FakeClock
from canarykit.testing.prometheus import Counter

DATA = Path(__file__).parent / "data" / "argo" / "bluegreen"
SMOKE_TESTS = DATA / "smoke-tests.yaml"
SMOKE_SERVICE = "preview-svc.default.svc.cluster.local"  # the docs' examples pass it to smoke-tests
METRIC = "http_requests_total"
HEALTHY_START = 1_710_000_000.0  # code 200 at 19/s, 500 at 0.5/s: success rate 0.974 (>= 0.95)
FAILING_START = 1_710_010_000.0  # code 200 at 8/s, 500 at 2/s: success rate 0.8
WINDOW_SECONDS, STEP_SECONDS = 3600.0, 10.0
SETTLED = 120.0  # into a window: a whole [1m] rate window of samples lies behind the clock
BLUE_GREEN_PAUSE = "BlueGreenPause"
POST_FAILED = (
    "Blue/green post-promotion analysis phase error/failed: "
    'Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)'
)
ABORTED = f"RolloutAborted: Rollout aborted update to revision 2: {POST_FAILED}"
HEALTHY_MEASURED = f"success-rate measured [{19.0 / 19.5}]: Successful"
FAILING_MEASURED = f"success-rate measured [{8.0 / 10.0}]: Failed"
MAX_ADVANCES = 1000


@dataclass(frozen=True)
class Example:
    """One of argo-rollouts' blue-green Rollouts, and the image change that makes its new version."""

    file: str
    container: str
    old_image: str
    new_image: str
    analysis: str | None = None  # "PrePromotion" or "PostPromotion": which smoke-tests run it has
    manual: bool = False  # autoPromotionEnabled: false

    def load(self) -> RolloutSpec:
        templates = [str(SMOKE_TESTS)] if self.analysis else []
        return load(str(DATA / self.file), *templates)

    def services(self) -> list[dict[str, Any]]:
        """The file's Services (default namespace) or, where the docs give none, ones selecting the pods."""
        documents = yaml.safe_load_all((DATA / self.file).read_text())
        found = [doc for doc in documents if doc and doc.get("kind") == "Service"]
        spec = self.load()
        assert spec.blue_green is not None, self.file
        names = [spec.blue_green.active_service, spec.blue_green.preview_service]
        labels = dict(spec.pod_template["metadata"]["labels"])
        found = found or [_service(name, labels) for name in names if name]
        return [{**doc, "metadata": {**doc["metadata"], "namespace": "default"}} for doc in found]


EXAMPLES = [
    Example("rollout-bluegreen.yaml", "rollouts-demo", "argoproj/rollouts-demo:blue",
            "argoproj/rollouts-demo:green", manual=True),
    Example("e2e-rollout-bluegreen.yaml", "bluegreen", "nginx:1.19-alpine", "nginx:1.21-alpine"),
    Example("pre-promotion.yaml", "guestbook", "argoproj/rollouts-demo:blue", "argoproj/rollouts-demo:green",
            analysis="PrePromotion"),
    Example("post-promotion.yaml", "guestbook", "argoproj/rollouts-demo:blue",
            "argoproj/rollouts-demo:green", analysis="PostPromotion"),
]  # fmt: skip
POST_PROMOTION = EXAMPLES[3]


def _service(name: str, labels: dict[str, str]) -> dict[str, Any]:
    ports = [{"protocol": "TCP", "port": 80, "targetPort": 8080}]
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
            "spec": {"selector": labels, "ports": ports}}  # fmt: skip


def history() -> list[Counter]:
    """`http_requests_total{service=<smoke-tests' service>, code=...}`: a healthy hour, then a failing one."""
    ok_before, bad_before = 19.0 * WINDOW_SECONDS, 0.5 * WINDOW_SECONDS
    return [
        _counter("200", HEALTHY_START, 19.0),
        _counter("500", HEALTHY_START, 0.5),
        _counter("200", FAILING_START, 8.0, initial=ok_before),
        _counter("500", FAILING_START, 2.0, initial=bad_before),
    ]


def _counter(code: str, start: float, rate: float, initial: float = 0.0) -> Counter:
    labels = {"service": SMOKE_SERVICE, "code": code}
    return Counter(METRIC, labels, start, start + WINDOW_SECONDS, STEP_SECONDS, rate, initial)


class Events:
    """The events a rollout emitted, as its `on_event` listener."""

    def __init__(self) -> None:
        self.seen: list[ev.Event] = []

    def __call__(self, event: ev.Event) -> None:
        self.seen.append(event)

    def messages(self, kind: type[ev.Event] = ev.Event) -> list[str]:
        return [event.message for event in self.seen if isinstance(event, kind)]


def drive(rollout: Rollout, clock: FakeClock, at_pause: Callable[[], None] = lambda: None) -> int:
    """Advance to the end, moving the clock to each wake-up; at a `BlueGreenPause` call `at_pause()`, then
    `promote()` as a person would. Returns how many pauses were promoted."""
    promoted = 0
    for _ in range(MAX_ADVANCES):
        wake = rollout.advance()
        status = rollout.status
        assert status is not None
        if wake is None or status.finished:
            return promoted
        if status.phase is RolloutPhase.PAUSED and status.message == BLUE_GREEN_PAUSE:
            at_pause()
            rollout.promote()
            promoted += 1
            continue
        clock.set(max(wake, clock.now()))
    raise AssertionError(f"the rollout did not finish in {MAX_ADVANCES} advances: {rollout.status}")


def steps_of(example: Example) -> list[str]:
    """The phases the example's release runs, as `StepStarted` names them (Argo's order)."""
    strategy = example.load().blue_green
    assert strategy is not None
    phases = ["Preview(full size)"]
    phases += ["PrePromotionAnalysis(smoke-tests)"] if example.analysis == "PrePromotion" else []
    phases += ["BlueGreenPause(until promoted)"] if example.manual else []
    phases += [f"ActiveSwitch({strategy.active_service})"]
    phases += ["PostPromotionAnalysis(smoke-tests)"] if example.analysis == "PostPromotion" else []
    return [f"Step {at}/{len(phases)} started: {phase}" for at, phase in enumerate(phases, 1)]


def switch_messages(active: str, preview: str | None, old: str, new: str, failed: bool = False) -> list[str]:
    """Argo's `SwitchService` messages of a release (or of one whose post-promotion analysis failed)."""
    moves = [(preview, old, new)] if preview else []
    moves.append((active, old, new))
    if failed:
        moves.append((active, new, old))
        moves += [(preview, new, old)] if preview else []
    return [f"Switched selector for service '{name}' from '{a}' to '{b}'" for name, a, b in moves]

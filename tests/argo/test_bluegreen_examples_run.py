"""argo-rollouts' blue-green examples (examples/rollout-bluegreen.yaml, the e2e Rollout, the docs' pre-
and post-promotion examples) load unchanged and run to the end on the fake Kubernetes API and on plain nginx,
their `smoke-tests` analysis asking a real Prometheus; a failing post-promotion analysis switches back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from bluegreen_examples_kube import KubeExample
from bluegreen_examples_nginx import NEW, OLD, ONLY_NEW, ONLY_OLD, Seen, nginx_stack
from bluegreen_examples_support import (
    ABORTED,
    EXAMPLES,
    FAILING_MEASURED,
    FAILING_START,
    HEALTHY_MEASURED,
    HEALTHY_START,
    POST_PROMOTION,
    SETTLED,
    Events,
    Example,
    drive,
    history,
    steps_of,
    switch_messages,
)

from canarykit import Rollout, RolloutPhase
from canarykit.kube import connect
from canarykit.rollout import events as ev
from canarykit.testing import FakeClock
from canarykit.testing.kube import FakeKubeAPI
from canarykit.testing.prometheus import PrometheusServer, openmetrics_text

COMPLETED = "Rollout completed update to revision 2: Completed blue-green update"
CASES = [
    pytest.param(example, id=example.file, marks=[pytest.mark.prometheus] if example.analysis else [])
    for example in EXAMPLES
]


@pytest.fixture(scope="module")
def smoke_prometheus() -> Iterator[str]:
    """A real Prometheus holding the `http_requests_total` history `smoke-tests` asks about."""
    with PrometheusServer([openmetrics_text(history())]) as server:
        yield server.url


def prometheus_for(example: Example, request: pytest.FixtureRequest) -> str | None:
    """The real Prometheus's address for an example with analysis (the others never start one)."""
    return str(request.getfixturevalue("smoke_prometheus")) if example.analysis else None


def names(example: Example) -> tuple[str, str | None]:
    strategy = example.load().blue_green
    assert strategy is not None
    return strategy.active_service, strategy.preview_service


def time_of(events: Events, kind: type[ev.Event]) -> float:
    found = [event.time for event in events.seen if isinstance(event, kind)]
    assert len(found) == 1, (kind.__name__, events.messages())
    return found[0]


def assert_released(example: Example, events: Events, old: str, new: str, finished_at: float | None) -> None:
    """Argo's phases and messages of a release that ended Healthy, the old version removed on time."""
    (active, preview), strategy = names(example), example.load().blue_green
    assert strategy is not None
    assert events.messages(ev.StepStarted) == steps_of(example)
    assert events.messages(ev.ServiceSwitched) == switch_messages(active, preview, old, new)
    assert events.messages(ev.Paused) == (["paused: BlueGreenPause"] if example.manual else [])
    assert events.messages(ev.MeasurementTaken) == ([HEALTHY_MEASURED] * 3 if example.analysis else [])
    analyses = [f"{example.analysis} analysis Successful"] if example.analysis else []
    assert events.messages(ev.AnalysisCompleted) == analyses
    assert events.messages(ev.Promoted) == [COMPLETED]
    promoted_at = time_of(events, ev.Promoted)
    assert finished_at == promoted_at + strategy.scale_down_delay_seconds  # scaleDownDelaySeconds later


def assert_switched_back(events: Events, old: str, new: str, finished_at: float | None) -> None:
    """Argo's messages of the post-promotion example's failed release; the new version removed on time."""
    active, preview = names(POST_PROMOTION)
    assert events.messages(ev.ServiceSwitched) == switch_messages(active, preview, old, new, failed=True)
    assert events.messages(ev.MeasurementTaken) == [FAILING_MEASURED]  # failureLimit 0: the first fails it
    assert events.messages(ev.AnalysisCompleted) == ["PostPromotion analysis Failed"]
    assert events.messages(ev.Promoted) == []
    assert finished_at == time_of(events, ev.Aborted) + 30  # abortScaleDownDelaySeconds' default


# -- on the fake Kubernetes API ----------------------------------------------------------------------------


@pytest.mark.parametrize("example", CASES)
def test_on_the_fake_api_the_example_runs_to_healthy(
    example: Example, fake_kube: FakeKubeAPI, request: pytest.FixtureRequest
) -> None:
    clock, events = FakeClock(HEALTHY_START + SETTLED), Events()
    world = KubeExample.deployed(example, fake_kube, connect(host=fake_kube.url, request_timeout=5), clock)
    active, preview = names(example)
    binding = world.release()
    prometheus = prometheus_for(example, request)
    rollout = binding.rollout(clock=clock, state=world.store, prometheus=prometheus, on_event=events)
    rollout.start(binding.version)
    at_pause: list[tuple[str | None, str | None]] = []

    pauses = drive(rollout, clock, lambda: at_pause.append((world.selected(active), world.selected(preview))))

    result = rollout.result()
    assert result.phase is RolloutPhase.HEALTHY, str(result)
    old, new = world.old_revision, world.stable_revision
    assert new != old and world.stable_images == [example.new_image]
    assert world.selected(active) == new
    assert preview is None or world.selected(preview) == new
    assert world.deployments == [world.spec.name], "the old version gone, no canary Deployment left"
    assert (pauses, at_pause) == ((1, [(old, new)]) if example.manual else (0, []))
    assert rollout.status is not None
    assert_released(example, events, world.old_version, binding.version, rollout.status.finished_at)


@pytest.mark.prometheus
def test_on_the_fake_api_a_failing_post_promotion_analysis_switches_active_back(
    fake_kube: FakeKubeAPI, smoke_prometheus: str
) -> None:
    example, clock, events = POST_PROMOTION, FakeClock(FAILING_START + SETTLED), Events()
    world = KubeExample.deployed(example, fake_kube, connect(host=fake_kube.url, request_timeout=5), clock)
    active, preview = names(example)
    binding = world.release()
    rollout = binding.rollout(clock=clock, state=world.store, prometheus=smoke_prometheus, on_event=events)
    rollout.start(binding.version)

    drive(rollout, clock)

    result = rollout.result()
    assert (result.phase, result.message) == (RolloutPhase.DEGRADED, ABORTED), str(result)
    old = world.old_revision
    assert (world.stable_revision, world.stable_images) == (old, [example.old_image])
    assert (world.selected(active), world.selected(preview)) == (old, old)
    assert world.deployments == [world.spec.name], "the new version removed after abortScaleDownDelaySeconds"
    assert rollout.status is not None
    assert_switched_back(events, world.old_version, binding.version, rollout.status.finished_at)


# -- on plain nginx --------------------------------------------------------------------------------------


def released(preview: bool) -> list[Seen]:
    """The router's moves in a release and what both ports served after each (one reload per move)."""
    old, new = ONLY_OLD, ONLY_NEW
    shown = [Seen("set_preview(True)", 1, old, new)] if preview else []
    switched = [Seen("set_weight(100)", 1, new, new if preview else old)]
    promoted = [Seen("set_weight(0)", 1, new, new)]  # stable runs the new version: active onto it
    return shown + switched + promoted + ([Seen("set_preview(False)", 1, new, new)] if preview else [])


@pytest.mark.parametrize("example", CASES)
def test_on_plain_nginx_the_example_runs_to_healthy(
    example: Example, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    clock, events = FakeClock(HEALTHY_START + SETTLED), Events()
    with nginx_stack(tmp_path) as stack:
        before = stack.router.serving()
        rollout = Rollout.from_spec(
            example.load(), stack.router, stack.workload,
            prometheus=prometheus_for(example, request), clock=clock, on_event=events,
        )  # fmt: skip
        rollout.start(NEW)
        at_pause: list[tuple[frozenset[str], frozenset[str]]] = []

        pauses = drive(rollout, clock, lambda: at_pause.append(stack.router.serving()))

        result = rollout.result()
        assert result.phase is RolloutPhase.HEALTHY, str(result)
        assert before == (ONLY_OLD, ONLY_OLD)
        assert (pauses, at_pause) == ((1, [(ONLY_OLD, ONLY_NEW)]) if example.manual else (0, []))
        assert stack.router.seen == released(names(example)[1] is not None)
        assert stack.router.serving() == (ONLY_NEW, ONLY_NEW)
        assert (stack.workload.stable_version, stack.workload.canary_version) == (NEW, None)
        assert {app.color for app in stack.apps} == {NEW}, "the old version runs nowhere"
    assert rollout.status is not None
    assert_released(example, events, OLD, NEW, rollout.status.finished_at)


@pytest.mark.prometheus
def test_on_plain_nginx_a_failing_post_promotion_analysis_switches_back_in_one_reload(
    tmp_path: Path, smoke_prometheus: str
) -> None:
    clock, events = FakeClock(FAILING_START + SETTLED), Events()
    with nginx_stack(tmp_path) as stack:
        rollout = Rollout.from_spec(
            POST_PROMOTION.load(), stack.router, stack.workload,
            prometheus=smoke_prometheus, clock=clock, on_event=events,
        )  # fmt: skip
        rollout.start(NEW)

        drive(rollout, clock)

        result = rollout.result()
        assert (result.phase, result.message) == (RolloutPhase.DEGRADED, ABORTED), str(result)
        old, new = ONLY_OLD, ONLY_NEW
        assert stack.router.seen == [
            Seen("set_preview(True)", 1, old, new),
            Seen("set_weight(100)", 1, new, new),
            Seen("set_weight(0)", 1, old, new),  # active back on the old version in one reload
            Seen(
                "set_preview(False)", 1, old, old
            ),  # the new version's removal, abortScaleDownDelaySeconds on
        ]
        assert (stack.workload.stable_version, stack.workload.canary_version) == (OLD, None)
    assert rollout.status is not None
    assert_switched_back(events, OLD, NEW, rollout.status.finished_at)

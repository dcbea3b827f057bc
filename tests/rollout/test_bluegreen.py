"""Blue-green releases run by `Rollout`: Argo's order, messages and pauses, with a fake clock (docs §18)."""

from __future__ import annotations

from typing import Any

import pytest

from canarykit import Metric, Rollout, RolloutPhase
from canarykit.errors import SpecError
from canarykit.rollout import events as ev
from canarykit.rollout.analyses import BackgroundAnalysis
from canarykit.steps import Analysis
from canarykit.steps.bluegreen import BlueGreen
from canarykit.testing import (
    FakeClock,
    InMemoryRouter,
    InMemoryStateStore,
    InMemoryWorkload,
    ScriptedProvider,
)

T0 = 1_700_000_000.0


def metric(values: list[Any], name: str = "success-rate", count: int = 1) -> Metric:
    provider = ScriptedProvider(values)
    return Metric(name, provider, query="q", success_condition="result[0] > 0.9", interval=10, count=count)


def strategy(**options: Any) -> BlueGreen:
    return BlueGreen("web-active", "web-preview", **options)


class World:
    """A blue-green rollout of `web` on in-memory parts, stable on v1."""

    def __init__(
        self, bluegreen: BlueGreen, replicas: int = 3, store: InMemoryStateStore | None = None
    ) -> None:
        self.clock, self.router = FakeClock(T0), InMemoryRouter()
        self.workload = InMemoryWorkload("v1", replicas=replicas)
        self.store = store or InMemoryStateStore()
        self.events: list[ev.Event] = []
        self.rollout = self.build(bluegreen)

    def build(self, bluegreen: BlueGreen) -> Rollout:
        return Rollout(
            "web", bluegreen, self.router, self.workload, clock=self.clock, state=self.store,
            on_event=self.events.append,
        )  # fmt: skip

    def drain(self, until: float | None = None) -> None:
        """Advance until finished, or until `until` (default: an hour on, past any manual pause)."""
        end = self.clock.now() + 3600 if until is None else until
        while (wake := self.rollout.advance()) is not None and wake <= end:
            self.clock.set(max(wake, self.clock.now()))

    def messages(self, kind: type[ev.Event] = ev.Event) -> list[str]:
        return [event.message for event in self.events if isinstance(event, kind)]

    @property
    def status(self) -> Any:
        assert self.rollout.status is not None
        return self.rollout.status


def test_the_full_sequence_runs_in_argos_order_with_its_messages() -> None:
    world = World(
        strategy(
            pre_promotion_analysis=Analysis([metric([[0.99]])]),
            post_promotion_analysis=Analysis([metric([[0.98]])]),
            auto_promotion_enabled=False,
            scale_down_delay=30,
        )
    )
    world.rollout.start("v2")
    world.drain()  # runs to the manual pause
    assert (world.status.phase, world.status.message) == (RolloutPhase.PAUSED, "BlueGreenPause")
    assert world.router.history == [] and world.router.preview is True
    assert world.workload.events == ["start v2", "scale 3"]
    assert "web-2-pre" in world.status.analyses
    world.rollout.promote()
    world.drain()
    assert world.status.finished and world.status.phase is RolloutPhase.HEALTHY
    assert world.router.history == [100, 0] and world.router.preview_history == [True, False]
    assert world.workload.events == ["start v2", "scale 3", "promote v2", "remove canary"]
    assert world.messages(ev.ServiceSwitched) == [
        "Switched selector for service 'web-preview' from 'v1' to 'v2'",
        "Switched selector for service 'web-active' from 'v1' to 'v2'",
    ], "after promotion the preview moves to stable, which runs v2 too: no version changes"
    assert "Rollout completed update to revision 2: Completed blue-green update" in world.messages(
        ev.Promoted
    )
    assert world.messages(ev.AnalysisCompleted) == [
        "PrePromotion analysis Successful",
        "PostPromotion analysis Successful",
    ]
    assert world.messages(ev.Paused) == ["paused: BlueGreenPause"]


def test_the_old_version_stays_until_the_scale_down_delay_after_promotion() -> None:
    world = World(strategy(scale_down_delay="45s"))
    world.rollout.start("v2")
    world.drain(until=T0)
    promoted_at = next(event.time for event in world.events if isinstance(event, ev.Promoted))
    assert world.router.history == [100] and "promote v2" not in world.workload.events
    world.drain()
    removed = world.status.finished_at
    assert removed == promoted_at + 45 and world.workload.events[-2:] == ["promote v2", "remove canary"]


def test_a_failed_pre_promotion_analysis_never_switches_active_and_keeps_the_preview_until_removal() -> None:
    world = World(strategy(pre_promotion_analysis=Analysis([metric([[0.5]])]), abort_scale_down_delay=60))
    world.rollout.start("v2")
    world.drain(until=T0 + 59)
    assert world.status.aborted and world.router.preview is True and 100 not in world.router.history
    assert world.status.message == (
        "RolloutAborted: Rollout aborted update to revision 2: Blue/green pre-promotion analysis phase "
        'error/failed: Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)'
    )
    world.drain()
    assert world.router.preview is False and world.workload.events[-1] == "remove canary"
    assert world.rollout.result().phase is RolloutPhase.DEGRADED


def test_a_failed_post_promotion_analysis_switches_active_back_in_one_router_call() -> None:
    world = World(strategy(post_promotion_analysis=Analysis([metric([[0.99], [0.5]], count=2)])))
    world.rollout.start("v2")
    world.drain()
    assert world.router.history == [100, 0], "one call to switch, one to switch back"
    assert world.messages(ev.ServiceSwitched)[1:3] == [
        "Switched selector for service 'web-active' from 'v1' to 'v2'",
        "Switched selector for service 'web-active' from 'v2' to 'v1'",
    ]
    reason = world.status.abort_message
    assert reason.startswith("Blue/green post-promotion analysis phase error/failed: ")
    assert "promote v2" not in world.workload.events
    result = world.rollout.result()
    assert result.phase is RolloutPhase.DEGRADED and world.workload.stable_version == "v1"


def test_auto_promotion_seconds_counts_from_the_end_of_pre_promotion_analysis() -> None:
    world = World(
        strategy(pre_promotion_analysis=Analysis([metric([[0.99]] * 3, count=3)]), auto_promotion_seconds=30)
    )
    world.rollout.start("v2")
    world.drain()
    paused = next(event.time for event in world.events if isinstance(event, ev.Paused))
    switched = next(
        e.time for e in world.events if isinstance(e, ev.ServiceSwitched) and e.service == "web-active"
    )
    assert paused == T0 + 20  # three measurements, 10 s apart
    assert switched == paused + 30


def test_without_a_pause_and_analyses_the_switch_follows_readiness() -> None:
    world = World(strategy(), replicas=2)
    world.workload.not_ready_polls = 2
    world.rollout.start("v2")
    world.drain()
    assert world.messages(ev.Paused) == [] and world.router.history == [100, 0]
    assert [e.message for e in world.events if isinstance(e, ev.StepStarted)] == [
        "Step 1/2 started: Preview(full size)",
        "Step 2/2 started: ActiveSwitch(web-active)",
    ]


def test_the_preview_runs_at_its_replica_count_then_full_size_before_the_switch() -> None:
    world = World(strategy(preview_replica_count=1, auto_promotion_enabled=False), replicas=4)
    world.rollout.start("v2")
    world.drain()
    assert world.workload.events == ["start v2", "scale 1"]
    world.rollout.promote()
    world.drain()
    assert world.workload.events[:3] == ["start v2", "scale 1", "scale 4"]


def test_promote_without_a_pause_changes_nothing_and_full_promotion_skips_post_analysis() -> None:
    post = Analysis([metric([[0.99]] * 9, count=9)])
    world = World(strategy(post_promotion_analysis=post, auto_promotion_enabled=False))
    world.rollout.start("v2")
    world.drain()
    world.rollout.promote()  # ends the BlueGreenPause
    world.rollout.advance()
    index = world.status.step_index
    world.rollout.promote()  # post-promotion analysis runs: no pause to end
    assert world.status.step_index == index and not world.status.promoted
    world.rollout.promote(full=True)
    world.drain()
    assert "Rollout completed update to revision 2: Full promotion requested" in world.messages(ev.Promoted)


def test_full_promotion_from_the_pause_switches_before_promoting() -> None:
    world = World(strategy(auto_promotion_enabled=False))
    world.rollout.start("v2")
    world.drain()
    world.rollout.promote(full=True)
    world.drain()
    assert world.router.history == [100, 0] and world.rollout.result().phase is RolloutPhase.HEALTHY


def test_abort_scale_down_delay_zero_leaves_the_new_version_running() -> None:
    world = World(strategy(auto_promotion_enabled=False, abort_scale_down_delay=0))
    world.rollout.start("v2")
    world.drain()
    world.rollout.abort("not today")
    world.drain()
    assert world.status.finished and "remove canary" not in world.workload.events
    assert world.router.preview is True and "v2 left running" in world.messages()[-1]


def test_an_inconclusive_pre_promotion_analysis_pauses_and_promote_goes_on() -> None:
    inconclusive = Metric(
        "m", ScriptedProvider([[0.5]]), query="q", success_condition="result[0] > 0.9",
        failure_condition="result[0] < 0.1",
    )  # fmt: skip
    world = World(strategy(pre_promotion_analysis=Analysis([inconclusive])))
    world.rollout.start("v2")
    world.drain()
    assert world.status.pause_reason == "InconclusiveAnalysisRun" and world.router.history == []
    world.rollout.promote()
    world.drain()
    assert world.router.history == [100, 0] and world.rollout.result().phase is RolloutPhase.HEALTHY


def test_a_new_driver_resumes_the_pause_where_the_record_left_it() -> None:
    bluegreen = strategy(pre_promotion_analysis=Analysis([metric([[0.99]])]), auto_promotion_seconds=60)
    world = World(bluegreen)
    world.rollout.start("v2")
    world.drain(until=T0 + 30)
    assert world.status.pause_reason == "BlueGreenPause"
    world.rollout = world.build(bluegreen)  # the driver restarts on the same record
    world.rollout.start("v2")
    world.drain()
    switched = [
        e.time for e in world.events if isinstance(e, ev.ServiceSwitched) and e.service == "web-active"
    ]
    assert switched == [T0 + 60] and world.rollout.result().phase is RolloutPhase.HEALTHY
    assert world.workload.events.count("start v2") == 2, "the new driver finds its canary again"


def test_retry_after_an_abort_runs_a_new_pre_promotion_analysis() -> None:
    world = World(strategy(pre_promotion_analysis=Analysis([metric([[0.5], [0.99]])])))
    world.rollout.start("v2")
    world.drain()
    assert world.rollout.result().phase is RolloutPhase.DEGRADED
    world.rollout.retry()
    world.drain()
    assert world.rollout.result().phase is RolloutPhase.HEALTHY
    assert world.messages(ev.AnalysisCompleted) == [
        "PrePromotion analysis Failed",
        "PrePromotion analysis Successful",
    ]


def test_a_router_without_a_preview_is_refused_before_anything_moves() -> None:
    class NoPreview:
        def set_weight(self, weight: int) -> None:
            raise AssertionError("nothing may move")

        def get_weight(self) -> int:
            return 0

    with pytest.raises(SpecError, match="NoPreview cannot serve a preview") as caught:
        Rollout("web", strategy(), NoPreview(), InMemoryWorkload("v1"))
    assert caught.value.path == "BlueGreen.preview_service"
    Rollout("web", BlueGreen("web-active"), NoPreview(), InMemoryWorkload("v1"))  # no preview: fine


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"scale_down_delay": 10}, "takes scale_down_delay from BlueGreen"),
        ({"abort_scale_down_delay": 10}, "takes abort_scale_down_delay from BlueGreen"),
        ({"analysis": BackgroundAnalysis([metric([[1.0]])])}, "has no background analysis"),
    ],
)
def test_canary_only_options_are_refused(options: dict[str, Any], match: str) -> None:
    with pytest.raises(SpecError, match=match):
        Rollout("web", strategy(), InMemoryRouter(), InMemoryWorkload("v1"), **options)


def test_an_analysis_that_cannot_resolve_is_refused_with_its_place() -> None:
    class BadTemplate:
        name = "bad"

        def metrics(self, args: Any, prometheus: Any) -> list[Metric]:
            raise SpecError("args.service: missing")

    router = InMemoryRouter()
    with pytest.raises(SpecError) as caught:
        Rollout(
            "web", strategy(post_promotion_analysis=Analysis(BadTemplate())), router, InMemoryWorkload("v1")
        )
    assert caught.value.path == "BlueGreen.post_promotion_analysis" and router.history == []


def test_an_nginx_router_without_a_preview_upstream_is_refused_for_a_preview(tmp_path: Any) -> None:
    from canarykit.traffic import NginxUpstreamRouter

    router = NginxUpstreamRouter(tmp_path / "app.conf", "127.0.0.1:8001", "127.0.0.1:8002")
    with pytest.raises(SpecError, match="NginxUpstreamRouter cannot serve a preview"):
        Rollout("web", strategy(), router, InMemoryWorkload("v1"))
    assert not (tmp_path / "app.conf").exists()
    previewing = NginxUpstreamRouter(
        tmp_path / "app.conf", "127.0.0.1:8001", "127.0.0.1:8002", preview_upstream="app-preview"
    )
    Rollout("web", strategy(), previewing, InMemoryWorkload("v1"))


def test_the_record_says_where_the_active_side_is_during_post_promotion_analysis() -> None:
    world = World(strategy(post_promotion_analysis=Analysis([metric([[0.99]] * 9, count=9)])))
    world.rollout.start("v2")
    world.drain(until=T0 + 30)
    record = world.store.load("web")
    assert record is not None and (record["weight"], record["set_weight"], record["preview_version"]) == (
        100,
        100,
        "v2",
    )
    assert record["step_count"] == 3 and record["step_index"] == 2

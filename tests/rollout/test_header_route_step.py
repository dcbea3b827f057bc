"""`SetHeaderRoute` steps: validation, routers that cannot route on headers, and the route's lifetime.

The route is set when its step runs, kept while later steps run, and removed at promotion (after the weight
is back to 0) and at abort (after traffic is back on stable); `SetHeaderRoute()` removes it mid-plan.
"""

from __future__ import annotations

import pytest

from canarykit import Rollout, RolloutPhase, SpecError, UnsupportedFeature
from canarykit.rollout import events as ev
from canarykit.steps import Pause, SetHeaderRoute, SetWeight, Step
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryStateStore, InMemoryWorkload

T0 = 1_700_000_000.0
Route = tuple[str, str | None, str | None]


class RecordingRouter(InMemoryRouter):
    """An InMemoryRouter whose `calls` lists weights and header route changes in the order they happened."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[object] = []

    def set_weight(self, weight: int) -> None:
        super().set_weight(weight)
        self.calls.append(weight)

    def set_header_route(self, header: str, value: str | None = None, pattern: str | None = None) -> None:
        super().set_header_route(header, value=value, pattern=pattern)
        self.calls.append(("route", header, value, pattern))

    def remove_header_routes(self) -> None:
        super().remove_header_routes()
        self.calls.append("remove routes")


class WeightOnlyRouter:
    """A router that can only split traffic by weight."""

    def __init__(self) -> None:
        self.weight = 0

    def set_weight(self, weight: int) -> None:
        self.weight = weight

    def get_weight(self) -> int:
        return self.weight


class StrictRouter(RecordingRouter):
    """A header router with its own limits, checked before the rollout starts."""

    def __init__(self) -> None:
        super().__init__()
        self.checked: list[Route] = []

    def check_header_route(self, header: str, value: str | None = None, pattern: str | None = None) -> None:
        self.checked.append((header, value, pattern))
        if "_" in header:
            raise SpecError("underscores are dropped by the proxy", "header")


def drive(rollout: Rollout, clock: FakeClock) -> None:
    while (wake := rollout.advance()) is not None:
        clock.set(max(wake, clock.now()))


def routes_at_pauses(rollout: Rollout, router: InMemoryRouter) -> list[Route | None]:
    """The router's header route each time the rollout pauses."""
    seen: list[Route | None] = []

    def on_event(event: ev.Event) -> None:
        if isinstance(event, ev.Paused):
            seen.append(router.header_route)

    rollout.add_listener(on_event)
    return seen


# -- validation ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("header", ["X Canary", "X-Canary:", "", "Überschrift", "a(b)", "X-Canary\n"])
def test_a_bad_header_name_is_refused(header: str) -> None:
    with pytest.raises(SpecError, match="not a valid HTTP header name"):
        SetHeaderRoute(header)


def test_value_and_pattern_together_are_refused() -> None:
    with pytest.raises(SpecError, match="a value or a pattern, not both"):
        SetHeaderRoute("X-Canary", value="yes", pattern="^y")


@pytest.mark.parametrize("pattern", ["(unclosed", "[a-", "*start", "a{2,1}"])
def test_a_bad_regex_is_refused(pattern: str) -> None:
    with pytest.raises(SpecError, match="is not a valid regular expression"):
        SetHeaderRoute("X-Canary", pattern=pattern)


@pytest.mark.parametrize(("value", "pattern"), [("yes", None), (None, "^y")])
def test_a_value_or_pattern_without_a_header_is_refused(value: str | None, pattern: str | None) -> None:
    with pytest.raises(SpecError, match="needs a header to match a value or pattern"):
        SetHeaderRoute(value=value, pattern=pattern)


def test_valid_header_routes() -> None:
    assert SetHeaderRoute("X-Canary") == SetHeaderRoute("X-Canary", None, None)
    assert SetHeaderRoute("X-Canary", value="yes").value == "yes"
    assert SetHeaderRoute("x_region", pattern="^(eu|us)-").pattern == "^(eu|us)-"  # a valid HTTP token
    removal = SetHeaderRoute()
    assert (removal.header, removal.value, removal.pattern) == (None, None, None)


def test_a_router_without_set_header_route_is_refused() -> None:
    steps: list[Step] = [SetWeight(20), Pause(10), SetHeaderRoute("X-Canary", value="yes")]
    with pytest.raises(UnsupportedFeature) as caught:
        Rollout("web", steps, WeightOnlyRouter(), InMemoryWorkload(), clock=FakeClock(T0))
    assert caught.value.path == "steps[2]"
    assert "WeightOnlyRouter cannot route on headers" in str(caught.value)


def test_a_removal_step_also_needs_a_header_router() -> None:
    with pytest.raises(UnsupportedFeature) as caught:
        Rollout("web", [SetHeaderRoute()], WeightOnlyRouter(), InMemoryWorkload(), clock=FakeClock(T0))
    assert caught.value.path == "steps[0]"


def test_a_plan_without_header_routes_needs_no_header_router() -> None:
    clock = FakeClock(T0)
    router = WeightOnlyRouter()
    rollout = Rollout("web", [SetWeight(30)], router, InMemoryWorkload(), clock=clock)
    rollout.start("v2")
    drive(rollout, clock)
    assert rollout.result().phase is RolloutPhase.HEALTHY
    assert router.weight == 0


def test_the_routers_own_limits_are_checked_before_anything_runs() -> None:
    router, workload = StrictRouter(), InMemoryWorkload()
    steps: list[Step] = [SetWeight(10), SetHeaderRoute("X-Canary"), SetHeaderRoute("X_Canary", value="y")]
    with pytest.raises(SpecError) as caught:
        Rollout("web", steps, router, workload, clock=FakeClock(T0))
    assert caught.value.path == "steps[2]"
    assert caught.value.reason == "underscores are dropped by the proxy"
    assert router.checked == [("X-Canary", None, None), ("X_Canary", "y", None)]
    assert router.calls == [] and workload.events == []


# -- the route's lifetime -----------------------------------------------------------------------------------


def test_header_route_is_set_during_its_step_and_cleared_at_promotion() -> None:
    clock, router, workload = FakeClock(T0), RecordingRouter(), InMemoryWorkload()
    steps: list[Step] = [SetWeight(20), SetHeaderRoute("X-Canary", value="yes"), Pause(10), SetWeight(50)]
    rollout = Rollout("web", steps, router, workload, clock=clock)
    seen = routes_at_pauses(rollout, router)

    result = rollout.run("v2", handle_signals=False)

    assert result.phase is RolloutPhase.HEALTHY, result.message
    assert seen == [("X-Canary", "yes", None)]
    assert router.header_route is None
    # Weight 100, promote, weight 0, and only then is the route removed.
    assert router.calls == [20, ("route", "X-Canary", "yes", None), 50, 100, 0, "remove routes"]
    assert workload.events == ["start v2", "scale 1", "promote v2", "remove canary"]
    status = rollout.status
    assert status is not None and status.header_route is None


def test_header_route_is_kept_across_later_steps() -> None:
    clock, router = FakeClock(T0), RecordingRouter()
    steps: list[Step] = [
        SetHeaderRoute("X-Region", pattern="^eu-"),
        SetWeight(10),
        Pause(5),
        SetWeight(30),
        Pause(5),
    ]
    rollout = Rollout("web", steps, router, InMemoryWorkload(), clock=clock)
    seen = routes_at_pauses(rollout, router)
    rollout.run("v2", handle_signals=False)
    assert seen == [("X-Region", None, "^eu-"), ("X-Region", None, "^eu-")]
    assert router.header_route is None
    assert router.calls[0] == ("route", "X-Region", None, "^eu-")  # at weight 0, before any SetWeight
    assert router.calls.count("remove routes") == 1


def test_header_route_is_cleared_at_abort() -> None:
    clock, router, workload = FakeClock(T0), RecordingRouter(), InMemoryWorkload()
    steps: list[Step] = [SetWeight(20), SetHeaderRoute("X-Canary"), Pause(None), SetWeight(50)]
    rollout = Rollout("web", steps, router, workload, clock=clock, abort_scale_down_delay=30)
    rollout.start("v2")
    rollout.advance()  # weight 20, route set, paused indefinitely
    status = rollout.status
    assert status is not None and status.phase is RolloutPhase.PAUSED
    assert router.header_route == ("X-Canary", None, None)
    assert status.header_route == ["X-Canary", None, None]

    rollout.abort("bad canary")
    rollout.advance()

    assert router.header_route is None  # at once, not after the scale-down delay
    assert router.calls == [20, ("route", "X-Canary", None, None), 0, "remove routes"]
    assert "remove canary" not in workload.events
    drive(rollout, clock)
    result = rollout.result()
    assert result.phase is RolloutPhase.DEGRADED
    assert result.message.endswith("bad canary")
    assert workload.events[-1] == "remove canary"
    assert workload.stable_version == "stable"  # never promoted
    assert router.calls.count("remove routes") == 1


def test_an_empty_set_header_route_removes_the_route_mid_plan() -> None:
    clock, router = FakeClock(T0), RecordingRouter()
    steps: list[Step] = [
        SetWeight(20),
        SetHeaderRoute("X-Canary", value="yes"),
        Pause(10),
        SetHeaderRoute(),
        Pause(10),
        SetWeight(50),
    ]
    rollout = Rollout("web", steps, router, InMemoryWorkload(), clock=clock)
    seen = routes_at_pauses(rollout, router)

    result = rollout.run("v2", handle_signals=False)

    assert result.phase is RolloutPhase.HEALTHY, result.message
    assert seen == [("X-Canary", "yes", None), None]
    # Removed by its step; nothing left to remove at promotion.
    assert router.calls == [20, ("route", "X-Canary", "yes", None), "remove routes", 50, 100, 0]


def test_a_later_route_replaces_the_earlier_one() -> None:
    clock, router = FakeClock(T0), RecordingRouter()
    steps: list[Step] = [
        SetHeaderRoute("X-Canary", value="yes"),
        Pause(10),
        SetHeaderRoute("X-Canary", pattern="^(yes|true)$"),
        Pause(10),
    ]
    rollout = Rollout("web", steps, router, InMemoryWorkload(), clock=clock)
    seen = routes_at_pauses(rollout, router)
    rollout.run("v2", handle_signals=False)
    assert seen == [("X-Canary", "yes", None), ("X-Canary", None, "^(yes|true)$")]
    assert router.header_route is None


def test_a_route_removed_before_the_end_is_not_removed_again_at_abort() -> None:
    clock, router = FakeClock(T0), RecordingRouter()
    steps: list[Step] = [SetWeight(10), SetHeaderRoute("X-Canary"), SetHeaderRoute(), Pause(None)]
    rollout = Rollout("web", steps, router, InMemoryWorkload(), clock=clock)
    rollout.start("v2")
    rollout.advance()
    rollout.abort("enough")
    drive(rollout, clock)
    assert rollout.result().phase is RolloutPhase.DEGRADED
    assert router.calls == [10, ("route", "X-Canary", None, None), "remove routes", 0]


def test_step_events_name_the_header_route_step() -> None:
    clock, router = FakeClock(T0), RecordingRouter()
    steps: list[Step] = [SetWeight(10), SetHeaderRoute("X-Canary", value="yes")]
    rollout = Rollout("web", steps, router, InMemoryWorkload(), clock=clock)
    result = rollout.run("v2", handle_signals=False)
    started = [e for e in result.events if isinstance(e, ev.StepStarted)]
    completed = [e for e in result.events if isinstance(e, ev.StepCompleted)]
    assert [e.index for e in started] == [0, 1]
    assert [e.index for e in completed] == [0, 1]
    assert "SetHeaderRoute" in started[1].message


def test_a_resumed_rollout_restores_the_header_route_on_a_fresh_router() -> None:
    store = InMemoryStateStore()
    steps: list[Step] = [SetWeight(20), SetHeaderRoute("X-Canary", value="yes"), Pause(None), SetWeight(50)]
    first = Rollout("web", steps, InMemoryRouter(), InMemoryWorkload(), clock=FakeClock(T0), state=store)
    first.start("v2")
    first.advance()  # weight 20, route set, paused: then the process dies
    fresh = InMemoryRouter(weight=20)

    resumed = Rollout("web", steps, fresh, InMemoryWorkload(), clock=FakeClock(T0 + 5), state=store)
    resumed.start("v2")
    resumed.advance()

    assert fresh.header_route == ("X-Canary", "yes", None)
    assert fresh.history == []  # the weight on record is in force already: nothing re-sent

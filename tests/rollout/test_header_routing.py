"""Header routes in the form each router takes: one header for ingress-nginx, named routes for Gateway API.

A step keeps Argo's route name and match kinds. A simple router (`set_header_route`) gets one match, a prefix
as an anchored pattern; a named router (`set_header_matches`) gets the name and every match. The record keeps
the form given, so a resumed driver gives a fresh router the same routes.
"""

from __future__ import annotations

import json

import pytest

from canarykit import Rollout, RolloutPhase, SpecError, StateError, UnsupportedFeature
from canarykit.steps import HeaderMatch, Pause, SetHeaderRoute, SetWeight, Step
from canarykit.testing import (
    FakeClock,
    InMemoryNamedRouter,
    InMemoryRouter,
    InMemoryStateStore,
    InMemoryWorkload,
)

T0 = 1_700_000_000.0
BETA = HeaderMatch("X-Canary", prefix="beta.")
REGION = HeaderMatch("X-Region", exact="eu")


def started(steps: list[Step], router: InMemoryRouter, store: InMemoryStateStore | None = None) -> Rollout:
    rollout = Rollout("web", steps, router, InMemoryWorkload(), clock=FakeClock(T0), state=store)
    rollout.start("v2")
    rollout.advance()
    return rollout


@pytest.mark.parametrize(
    ("match", "expected"),
    [
        (HeaderMatch("X-Canary", exact="yes"), ("X-Canary", "yes", None)),
        (HeaderMatch("X-Canary", regex="^be.*"), ("X-Canary", None, "^be.*")),
        (BETA, ("X-Canary", None, "^beta\\.")),  # Argo's prefix, anchored and escaped for ingress-nginx
    ],
)
def test_a_simple_router_gets_one_header(match: HeaderMatch, expected: tuple[object, ...]) -> None:
    router = InMemoryRouter()
    started([SetWeight(20), SetHeaderRoute(name="h", matches=(match,)), Pause(None)], router)
    assert router.header_route == expected


def test_a_simple_router_refuses_several_matches_before_anything_runs() -> None:
    router = InMemoryRouter()
    steps: list[Step] = [SetWeight(20), SetHeaderRoute(name="h", matches=(BETA, REGION))]
    with pytest.raises(UnsupportedFeature, match="single header") as raised:
        Rollout("web", steps, router, InMemoryWorkload(), clock=FakeClock(T0))
    assert raised.value.path == "steps[1]"
    assert router.history == []


def test_a_named_router_gets_the_name_and_every_match() -> None:
    router = InMemoryNamedRouter(managed_routes=("h1", "h2"))
    steps: list[Step] = [
        SetWeight(20),
        SetHeaderRoute(name="h1", matches=(BETA, REGION)),
        SetHeaderRoute(name="h2", matches=(REGION,)),
        Pause(None),
    ]
    rollout = started(steps, router)
    assert router.header_routes == {"h1": (BETA, REGION), "h2": (REGION,)}
    assert rollout.status is not None
    assert rollout.status.header_route == {
        "h1": [["X-Canary", "prefix", "beta."], ["X-Region", "exact", "eu"]],
        "h2": [["X-Region", "exact", "eu"]],
    }


def test_the_short_form_goes_to_a_named_router_under_its_first_managed_route() -> None:
    router = InMemoryNamedRouter(managed_routes=("first", "second"))
    started([SetWeight(20), SetHeaderRoute("X-Canary", value="yes"), Pause(None)], router)
    assert router.header_routes == {"first": (HeaderMatch("X-Canary", exact="yes"),)}


def test_a_named_router_checks_the_route_name_before_anything_runs() -> None:
    router = InMemoryNamedRouter(managed_routes=("h1",))
    steps: list[Step] = [SetWeight(20), SetHeaderRoute(name="other", matches=(REGION,))]
    with pytest.raises(SpecError, match="not one of managedRoutes") as raised:
        Rollout("web", steps, router, InMemoryWorkload(), clock=FakeClock(T0))
    assert raised.value.path == "steps[1]"


def test_a_bare_header_cannot_go_to_a_named_router() -> None:
    """ingress-nginx's `always`/`never` header has no Gateway API equivalent."""
    steps: list[Step] = [SetWeight(20), SetHeaderRoute("X-Canary")]
    with pytest.raises(SpecError, match="needs a value or a pattern"):
        Rollout("web", steps, InMemoryNamedRouter(), InMemoryWorkload(), clock=FakeClock(T0))


def test_a_removal_step_removes_every_named_route_and_the_end_clears_them() -> None:
    router = InMemoryNamedRouter(managed_routes=("h1", "h2"))
    steps: list[Step] = [
        SetWeight(20),
        SetHeaderRoute(name="h1", matches=(BETA,)),
        SetHeaderRoute(name="h2"),  # no match: all managed routes go, as the plugin does
        SetHeaderRoute(name="h2", matches=(REGION,)),
        SetWeight(50),
    ]
    rollout = Rollout("web", steps, router, InMemoryWorkload(), clock=FakeClock(T0))
    seen: list[dict[str, object]] = []
    rollout.add_listener(lambda event: seen.append(dict(router.header_routes)))
    result = rollout.run("v2", handle_signals=False)
    assert result.phase is RolloutPhase.HEALTHY
    assert {"h1": (BETA,)} in seen and {"h2": (REGION,)} in seen
    assert not any("h1" in routes and "h2" in routes for routes in seen)
    assert router.header_routes == {}


def test_a_resumed_rollout_restores_named_routes_on_a_fresh_router() -> None:
    store = InMemoryStateStore()
    steps: list[Step] = [SetWeight(20), SetHeaderRoute(name="h1", matches=(BETA, REGION)), Pause(None)]
    started(steps, InMemoryNamedRouter(managed_routes=("h1",)), store)
    fresh = InMemoryNamedRouter(weight=20, managed_routes=("h1",))
    resumed = Rollout("web", steps, fresh, InMemoryWorkload(), clock=FakeClock(T0 + 5), state=store)
    resumed.start("v2")
    resumed.advance()
    assert fresh.header_routes == {"h1": (BETA, REGION)}


def test_the_named_record_survives_the_json_record_check() -> None:
    """Records are strictly typed: the dict form is read back as written, and a bad one is refused."""
    store = InMemoryStateStore()
    steps: list[Step] = [SetWeight(20), SetHeaderRoute(name="h1", matches=(REGION,)), Pause(None)]
    started(steps, InMemoryNamedRouter(managed_routes=("h1",)), store)
    record = json.loads(json.dumps(store.load("web")))
    assert record["header_route"] == {"h1": [["X-Region", "exact", "eu"]]}
    record["header_route"] = {"h1": [["X-Region", "exact", 5]]}
    store.save("web", record)
    resumed = Rollout(
        "web", steps, InMemoryNamedRouter(managed_routes=("h1",)), InMemoryWorkload(), state=store
    )
    with pytest.raises(StateError, match="header_route"):
        resumed.start("v2")

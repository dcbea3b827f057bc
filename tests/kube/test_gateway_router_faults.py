"""GatewayAPIRouter under the fault cases of the ingress-nginx router.

409, 500, timeouts, dropped connections, a route edited or deleted by someone else mid-rollout. Where the
orchestrator's retries and rollback are the point, a `Rollout` drives the router (FakeClock, in-memory
workload): traffic must end on stable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from gateway_router_support import (
    CANARY,
    IN_PROGRESS,
    STABLE,
    content,
    create,
    refs,
    route_doc,
    router,
    stored,
    weights,
)

from canarykit import RolloutPhase
from canarykit.errors import KubernetesError, RoutingError
from canarykit.kube import KubeAPI, connect
from canarykit.kube.gateway_router import GatewayAPIRouter, GatewayRoute
from canarykit.rollout import events as ev
from canarykit.rollout.orchestrator import Rollout
from canarykit.steps import HeaderMatch, Pause, SetHeaderRoute, SetWeight, Step
from canarykit.testing import FakeClock, FakeKubeAPI, InMemoryStateStore, InMemoryWorkload

Doc = dict[str, Any]
PATH = "/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes/r"
ROUTE = GatewayRoute("HTTPRoute", "r", use_header_routes=True)
FILTER = {
    "type": "RequestHeaderModifier",
    "requestHeaderModifier": {"set": [{"name": "X-Env", "value": "a"}]},
}


@pytest.fixture
def gateway(cluster: FakeKubeAPI, api: KubeAPI) -> GatewayAPIRouter:
    """Router over HTTPRoute `r` (one rule to both Services, with a filter) at weight 20."""
    create(api, route_doc("HTTPRoute", "r", [{"filters": [FILTER], "backendRefs": refs()}]))
    gateway = router(api, ROUTE, managed_routes=("hr",), conflict_retries=2)
    gateway.set_weight(20)
    cluster.clear_requests()
    return gateway


def methods(cluster: FakeKubeAPI) -> list[str]:
    return [method for method, _, _ in cluster.requests]


def edit_route(cluster: FakeKubeAPI, edit: Callable[[Doc], None]) -> None:
    """Someone else changes the stored route (a new resourceVersion)."""
    route = stored(cluster, "HTTPRoute", "r")
    edit(route)
    cluster.put(route)


# -- one call, one fault ----------------------------------------------------------------------------------


def test_a_conflict_is_reread_recomputed_and_written(cluster: FakeKubeAPI, gateway: GatewayAPIRouter) -> None:
    cluster.fail_next(1, 409, method="PUT")
    gateway.set_weight(40)
    assert methods(cluster) == ["GET", "PUT", "GET", "PUT"]
    assert gateway.get_weight() == 40


def test_conflicts_every_time_give_up_saying_so(cluster: FakeKubeAPI, gateway: GatewayAPIRouter) -> None:
    before = stored(cluster, "HTTPRoute", "r")
    cluster.fail_next(10, 409, method="PUT")
    with pytest.raises(RoutingError, match="still conflicting after 3 attempts") as caught:
        gateway.set_weight(40)
    assert isinstance(caught.value.__cause__, KubernetesError) and caught.value.__cause__.status == 409
    assert methods(cluster) == ["GET", "PUT"] * 3
    assert stored(cluster, "HTTPRoute", "r") == before


def test_a_writer_racing_between_read_and_write_keeps_its_edit(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    """A real 409 (stale resourceVersion, no injected fault): the other writer's filter and rule survive."""
    create(api, route_doc("HTTPRoute", "r", [{"filters": [FILTER], "backendRefs": refs()}]))
    admin = {"matches": [{"path": {"type": "PathPrefix", "value": "/admin"}}], "backendRefs": [refs()[0]]}
    raced: list[bool] = []

    def other_writer() -> None:
        last = cluster.requests[-1]
        if last[:2] == ("PUT", PATH) and not raced:
            raced.append(True)
            edit_route(cluster, lambda route: route["spec"]["rules"].append(admin))

    cluster.add_controller(other_writer)
    router(api, ROUTE).set_weight(30)
    assert raced and methods(cluster)[-4:] == ["GET", "PUT", "GET", "PUT"]
    rules = stored(cluster, "HTTPRoute", "r")["spec"]["rules"]
    assert rules[0]["filters"] == [FILTER] and rules[1]["matches"][0]["path"]["value"] == "/admin"
    assert weights(stored(cluster, "HTTPRoute", "r")) == [[(STABLE, 70), (CANARY, 30)], [(STABLE, 70)]]


@pytest.mark.parametrize("method", ["GET", "PUT"])
def test_a_server_error_passes_through_with_its_status(
    cluster: FakeKubeAPI, gateway: GatewayAPIRouter, method: str
) -> None:
    before = stored(cluster, "HTTPRoute", "r")
    cluster.fail_next(1, 500, method=method)
    with pytest.raises(KubernetesError) as caught:
        gateway.set_weight(40)
    assert caught.value.status == 500 and "500" in str(caught.value)
    assert stored(cluster, "HTTPRoute", "r") == before
    gateway.set_weight(40)  # the next call works
    assert gateway.get_weight() == 40


@pytest.mark.parametrize("fault", ["timeout", "disconnect"])
def test_an_unanswered_write_is_a_kubernetes_error_and_changes_nothing(
    cluster: FakeKubeAPI, fault: str
) -> None:
    quick = connect(host=cluster.url, request_timeout=0.3)
    create(quick, route_doc("HTTPRoute", "r", [{"backendRefs": refs()}]))
    gateway = router(quick, ROUTE)
    cluster.hang_seconds = 2.0
    before = stored(cluster, "HTTPRoute", "r")
    cluster.fail_next(1, fault, method="PUT")
    with pytest.raises(KubernetesError, match="cannot reach the Kubernetes API") as caught:
        gateway.set_weight(40)
    assert caught.value.status is None
    assert stored(cluster, "HTTPRoute", "r") == before
    gateway.set_weight(40)
    assert gateway.get_weight() == 40


# -- the route edited or deleted by someone else ----------------------------------------------------------


@pytest.mark.parametrize(
    "edit",
    [
        lambda route: route["spec"]["rules"].append({"backendRefs": [{"name": "legacy", "port": 80}]}),
        lambda route: route["spec"]["rules"][0]["filters"][0]["requestHeaderModifier"]["set"][0].update(
            value="b"
        ),
        lambda route: route["metadata"].setdefault("annotations", {}).update(note="hand edit"),
    ],
    ids=["rule-added", "filter-changed", "annotation-added"],
)
def test_edits_made_mid_rollout_are_kept(cluster: FakeKubeAPI, gateway: GatewayAPIRouter, edit: Any) -> None:
    edit_route(cluster, edit)
    expected = content(stored(cluster, "HTTPRoute", "r"))
    expected["spec"]["rules"][0]["backendRefs"][0]["weight"] = 50
    expected["spec"]["rules"][0]["backendRefs"][1]["weight"] = 50
    gateway.set_weight(50)
    assert content(stored(cluster, "HTTPRoute", "r")) == expected


def test_a_removed_canary_backend_stops_weights_but_not_the_way_back(
    cluster: FakeKubeAPI, gateway: GatewayAPIRouter
) -> None:
    edit_route(cluster, lambda route: route["spec"]["rules"][0]["backendRefs"].pop())
    cluster.clear_requests()
    with pytest.raises(RoutingError, match=f"no backendRef to {CANARY!r}"):
        gateway.set_weight(50)
    assert methods(cluster) == ["GET"]
    gateway.set_weight(0)
    route = stored(cluster, "HTTPRoute", "r")
    assert weights(route) == [[(STABLE, 100)]] and "labels" not in route["metadata"]
    assert route["spec"]["rules"][0]["filters"] == [FILTER]
    assert gateway.get_weight() == 0


def test_a_removed_stable_backend_fails_even_the_way_back(
    cluster: FakeKubeAPI, gateway: GatewayAPIRouter
) -> None:
    """Only the stable Service can take the traffic back: without it the rollback must not claim success."""
    edit_route(cluster, lambda route: route["spec"]["rules"][0]["backendRefs"].pop(0))
    with pytest.raises(RoutingError, match=f"no backendRef to {STABLE!r}"):
        gateway.set_weight(0)
    with pytest.raises(RoutingError, match="stable Service"):
        gateway.get_weight()


def test_a_deleted_route_fails_weights_and_is_skipped_on_the_way_back(
    cluster: FakeKubeAPI, api: KubeAPI, gateway: GatewayAPIRouter
) -> None:
    create(api, route_doc("GRPCRoute", "g", [{"backendRefs": refs()}]))
    both = router(api, ROUTE, GatewayRoute("GRPCRoute", "g"))
    both.set_weight(20)
    cluster.delete("httproutes", "default", "r")
    with pytest.raises(RoutingError, match='HTTPRoute "default/r" not found'):
        both.set_weight(50)
    assert weights(stored(cluster, "GRPCRoute", "g")) == [[(STABLE, 80), (CANARY, 20)]]  # nothing written
    both.set_weight(0)
    assert weights(stored(cluster, "GRPCRoute", "g")) == [[(STABLE, 100), (CANARY, 0)]]
    assert both.get_weight() == 0


# -- through the orchestrator: retried, and traffic always back on stable ----------------------------------


STEPS: list[Step] = [SetWeight(20), Pause(60), SetWeight(50), Pause(60)]


def rollout_of(gateway: GatewayAPIRouter, steps: list[Step] = STEPS, **options: Any) -> Rollout:
    return Rollout("demo", steps, gateway, InMemoryWorkload(), clock=FakeClock(), **options)


def at_weight(weight: int, act: Callable[[], None]) -> Callable[[ev.Event], None]:
    """An event listener acting once, when the canary weight becomes `weight`."""
    done: list[bool] = []

    def listener(event: ev.Event) -> None:
        if isinstance(event, ev.WeightChanged) and event.weight == weight and not done:
            done.append(True)
            act()

    return listener


def assert_on_stable(cluster: FakeKubeAPI) -> None:
    route = stored(cluster, "HTTPRoute", "r")
    assert weights(route)[0][0] == (STABLE, 100) and set(weights(route)[0][1:]) <= {(CANARY, 0)}
    assert "labels" not in route["metadata"] and len(route["spec"]["rules"]) == 1


@pytest.fixture
def fresh(cluster: FakeKubeAPI, api: KubeAPI) -> Iterator[GatewayAPIRouter]:
    create(api, route_doc("HTTPRoute", "r", [{"backendRefs": refs()}]))
    yield router(api, ROUTE, managed_routes=("hr",), conflict_retries=1)


def test_transient_faults_are_retried_and_the_rollout_is_promoted(
    cluster: FakeKubeAPI, fresh: GatewayAPIRouter
) -> None:
    def faults() -> None:
        cluster.fail_next(4, 409, method="PUT")  # two set_weight calls' worth (conflict_retries=1)
        cluster.fail_next(2, 500, method="GET")
        cluster.fail_next(1, "disconnect", method="PUT")

    rollout = rollout_of(fresh, on_event=at_weight(20, faults))
    result = rollout.run("v2", handle_signals=False)
    assert result.phase is RolloutPhase.HEALTHY and result.weight_history == (20, 50, 100, 0)
    assert_on_stable(cluster)
    # weight 0 at the start (the route was written without weights), four weights, each failed PUT again
    assert methods(cluster).count("PUT") == 1 + 4 + 5


def test_faults_during_the_rollback_are_retried_until_traffic_is_on_stable(
    cluster: FakeKubeAPI, fresh: GatewayAPIRouter
) -> None:
    rollout = rollout_of(fresh)

    def abort_under_faults() -> None:
        cluster.fail_next(3, 500, method="PUT")
        cluster.fail_next(2, 409, method="PUT")
        rollout.abort("by hand")

    rollout.add_listener(at_weight(50, abort_under_faults))
    result = rollout.run("v2", handle_signals=False)
    assert result.phase is RolloutPhase.DEGRADED and result.weight_history == (20, 50, 0)
    assert_on_stable(cluster)
    assert methods(cluster).count("PUT") == 1 + 2 + 5 + 1  # 0 first, 20, 50, then 0 after five failures


def test_a_canary_backend_removed_mid_rollout_stops_it_with_traffic_on_stable(
    cluster: FakeKubeAPI, fresh: GatewayAPIRouter
) -> None:
    remove = at_weight(20, lambda: edit_route(cluster, lambda r: r["spec"]["rules"][0]["backendRefs"].pop()))
    rollout = rollout_of(fresh, on_event=remove)
    with pytest.raises(RoutingError, match=f"no backendRef to {CANARY!r}"):
        rollout.run("v2", handle_signals=False)
    assert rollout.status is not None and rollout.status.aborted
    assert_on_stable(cluster)


def test_a_route_deleted_mid_rollout_stops_it_with_the_other_route_on_stable(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    create(api, route_doc("HTTPRoute", "r", [{"backendRefs": refs()}]))
    create(api, route_doc("TCPRoute", "t", [{"backendRefs": refs()}]))
    gateway = router(api, ROUTE, GatewayRoute("TCPRoute", "t"))

    def delete() -> None:
        cluster.delete("tcproutes", "default", "t")

    deleted = at_weight(20, delete)
    rollout = rollout_of(gateway, on_event=deleted)
    with pytest.raises(RoutingError, match='TCPRoute "default/t" not found'):
        rollout.run("v2", handle_signals=False)
    assert_on_stable(cluster)


def test_a_header_rule_deleted_by_hand_is_restored_when_the_rollout_resumes(
    cluster: FakeKubeAPI, api: KubeAPI, fresh: GatewayAPIRouter
) -> None:
    """The state store records the header route; a new driver gives it to the router again."""
    steps: list[Step] = [
        SetWeight(20),
        SetHeaderRoute(name="hr", matches=(HeaderMatch("X-Canary", exact="yes"),)),
        Pause(),
        SetWeight(50),
    ]
    store, clock = InMemoryStateStore(), FakeClock()
    first = Rollout("demo", steps, fresh, InMemoryWorkload(), clock=clock, state=store)
    first.start("v2")
    for _ in range(20):
        if first.status is not None and first.status.phase is RolloutPhase.PAUSED:
            break
        first.advance()
    assert len(stored(cluster, "HTTPRoute", "r")["spec"]["rules"]) == 2
    edit_route(cluster, lambda route: route["spec"]["rules"].pop())  # someone removes the header rule
    second = Rollout(
        "demo",
        steps,
        router(api, ROUTE, managed_routes=("hr",)),
        InMemoryWorkload(),
        clock=clock,
        state=store,
    )
    second.start("v2")
    second.advance()
    rules = stored(cluster, "HTTPRoute", "r")["spec"]["rules"]
    assert [rule.get("name") for rule in rules] == [None, "hr"]
    assert rules[1]["matches"][0]["headers"] == [{"name": "X-Canary", "type": "Exact", "value": "yes"}]
    assert stored(cluster, "HTTPRoute", "r")["metadata"]["labels"] == IN_PROGRESS

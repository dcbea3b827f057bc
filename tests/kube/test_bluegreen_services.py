"""`BlueGreenServiceRouter` against the fake API server: the active and preview selectors."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from bluegreen_support import (
    ACTIVE,
    GREEN,
    MANAGED_BY_ROLLOUTS,
    MERGE_PATCH,
    NAME,
    PREVIEW,
    SELECTOR,
    SERVICES_PATH,
    annotations_of,
    revisions,
    router,
    seed,
    selected,
    service,
    service_writes,
)

from canarykit.errors import RoutingError, SpecError
from canarykit.kube import KubeAPI, connect
from canarykit.kube.bluegreen_services import BlueGreenServiceRouter
from canarykit.kube.templates import REVISION_LABEL
from canarykit.rollout.rollback import return_traffic_to_stable
from canarykit.testing import FakeClock
from canarykit.testing.kube import FakeKubeAPI
from canarykit.traffic.base import PreviewRouter, TrafficRouter


@pytest.fixture
def cluster() -> Iterator[FakeKubeAPI]:
    with FakeKubeAPI() as kube:
        seed(kube)
        yield kube


@pytest.fixture
def api(cluster: FakeKubeAPI) -> KubeAPI:
    return connect(host=cluster.url, request_timeout=5)


def started(cluster: FakeKubeAPI, api: KubeAPI) -> tuple[str, str]:
    """The green canary up and ready (the workload pins active on blue, preview on green); (blue, green)."""
    workload = router(api).workload
    workload.start_canary(GREEN)
    workload.scale_canary(3)
    assert workload.canary_ready()
    cluster.clear_requests()
    return revisions(cluster)


def test_it_is_a_traffic_and_preview_router(api: KubeAPI) -> None:
    assert isinstance(router(api), TrafficRouter) and isinstance(router(api), PreviewRouter)


def test_preview_moves_to_the_new_revision_in_one_merge_patch_with_argos_annotation(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    bluegreen = router(api)
    bluegreen.workload.start_canary(GREEN)  # the runner shows the preview before the canary is ready
    cluster.clear_requests()

    bluegreen.set_preview(True)

    _, green = revisions(cluster)
    assert service_writes(cluster, PREVIEW) == [("PATCH", f"{SERVICES_PATH}/{PREVIEW}", MERGE_PATCH)]
    preview = cluster.get("services", "default", PREVIEW)
    assert preview is not None and preview["spec"]["selector"] == {**SELECTOR, REVISION_LABEL: green}
    assert annotations_of(cluster, PREVIEW) == {MANAGED_BY_ROLLOUTS: NAME}
    assert bluegreen.get_preview() is True
    assert selected(cluster, ACTIVE) is None  # the active side is not touched by the preview


def test_active_switches_to_the_new_revision_and_back_with_one_patch_each(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    blue, green = started(cluster, api)
    bluegreen = router(api)
    assert (selected(cluster, ACTIVE), bluegreen.get_weight()) == (blue, 0)

    bluegreen.set_weight(100)
    assert (selected(cluster, ACTIVE), bluegreen.get_weight()) == (green, 100)
    assert annotations_of(cluster, ACTIVE) == {MANAGED_BY_ROLLOUTS: NAME}
    assert len(service_writes(cluster, ACTIVE)) == 1

    bluegreen.set_weight(0)
    assert (selected(cluster, ACTIVE), bluegreen.get_weight()) == (blue, 0)
    assert len(service_writes(cluster, ACTIVE)) == 2
    assert service_writes(cluster, PREVIEW) == []


def test_a_switch_already_in_force_writes_nothing(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    started(cluster, api)
    bluegreen = router(api)
    bluegreen.set_weight(100)
    bluegreen.set_preview(True)  # the workload pinned it; the annotation was still missing
    cluster.clear_requests()

    bluegreen.set_weight(100)
    bluegreen.set_preview(True)

    assert [r for r in cluster.requests if r[0] != "GET"] == []


def test_the_annotation_is_added_once_and_never_overwritten(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    owned = service(ACTIVE)
    owned["metadata"]["annotations"] = {MANAGED_BY_ROLLOUTS: "someone-else", "team": "web"}
    cluster.put(owned)
    _, green = started(cluster, api)

    router(api).set_weight(100)

    assert annotations_of(cluster, ACTIVE) == {MANAGED_BY_ROLLOUTS: "someone-else", "team": "web"}
    assert selected(cluster, ACTIVE) == green


def test_the_workloads_polls_after_the_switch_leave_the_active_service_alone(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    _, green = started(cluster, api)
    bluegreen = router(api)
    bluegreen.set_weight(100)
    cluster.clear_requests()

    assert bluegreen.workload.canary_ready() and bluegreen.workload.stable_ready()  # a resumed driver's polls

    assert selected(cluster, ACTIVE) == green
    assert service_writes(cluster, ACTIVE) == []


def test_promotion_then_removal_ends_with_both_services_on_the_new_stable(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    _, green = started(cluster, api)
    bluegreen, workload = router(api), router(api).workload
    bluegreen.set_preview(True)
    bluegreen.set_weight(100)

    workload.promote(GREEN)
    assert workload.stable_ready() and workload.stable_revision() == green
    assert bluegreen.get_weight() == 100  # stable took the new revision; the canary still runs it too
    cluster.clear_requests()
    bluegreen.set_weight(0)  # active onto stable, which already is that revision
    assert service_writes(cluster, ACTIVE) == []
    workload.remove_canary()
    bluegreen.set_preview(False)

    assert (selected(cluster, ACTIVE), selected(cluster, PREVIEW)) == (green, green)
    assert (bluegreen.get_weight(), bluegreen.get_preview()) == (0, False)
    assert service_writes(cluster, PREVIEW) == []  # already on stable's revision, annotated


def test_abort_puts_active_back_on_the_old_revision(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    blue, _ = started(cluster, api)
    bluegreen = router(api)
    bluegreen.set_preview(True)
    bluegreen.set_weight(100)

    return_traffic_to_stable(bluegreen, FakeClock())  # the runner's rollback: weight 0, read back 0
    bluegreen.workload.remove_canary()
    bluegreen.set_preview(False)

    assert (selected(cluster, ACTIVE), selected(cluster, PREVIEW)) == (blue, blue)
    assert (bluegreen.get_weight(), bluegreen.get_preview()) == (0, False)


def test_a_new_router_reads_the_switches_back(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    started(cluster, api)
    first = router(api)
    first.set_preview(True)
    first.set_weight(100)
    cluster.clear_requests()

    resumed = router(connect(host=cluster.url, request_timeout=5))
    assert (resumed.get_weight(), resumed.get_preview()) == (100, True)
    resumed.set_weight(100)
    assert [r for r in cluster.requests if r[0] != "GET"] == []


def test_an_unpinned_active_reads_as_stable_until_a_canary_exists(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    bluegreen = router(api)
    assert (bluegreen.get_weight(), bluegreen.get_preview()) == (0, False)

    bluegreen.workload.start_canary(GREEN)

    with pytest.raises(RoutingError, match=f"Service default/{ACTIVE} selects every revision"):
        bluegreen.get_weight()
    bluegreen.set_weight(0)
    assert selected(cluster, ACTIVE) == revisions(cluster)[0]


def test_a_selector_on_another_revision_is_named(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    started(cluster, api)
    cluster.put(service(ACTIVE, {**SELECTOR, REVISION_LABEL: "0123456789"}))

    with pytest.raises(RoutingError, match=rf"Service default/{ACTIVE} selects {REVISION_LABEL}=0123456789"):
        router(api).get_weight()


@pytest.mark.parametrize("weight", [1, 50, 99, -1, 101, True])
def test_weights_between_are_refused_before_anything_moves(
    cluster: FakeKubeAPI, api: KubeAPI, weight: int
) -> None:
    started(cluster, api)
    with pytest.raises(SpecError, match="blue-green switches all or nothing"):
        router(api).set_weight(weight)
    assert cluster.requests == []


def test_switching_to_a_canary_that_does_not_exist_names_the_deployment(api: KubeAPI) -> None:
    with pytest.raises(RoutingError, match=f"Deployment default/{NAME}-canary does not exist"):
        router(api).set_weight(100)
    with pytest.raises(RoutingError, match=f"Deployment default/{NAME}-canary does not exist"):
        router(api).set_preview(True)


def test_a_missing_service_is_named(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    started(cluster, api)
    cluster.delete("services", "default", ACTIVE)

    for action in (lambda: router(api).set_weight(100), router(api).get_weight):
        with pytest.raises(RoutingError, match=f"Service default/{ACTIVE} not found"):
            action()
    with pytest.raises(SpecError, match=f"Service default/{ACTIVE} not found"):
        router(api).check()


@pytest.mark.parametrize("status", [409, 500])
def test_api_faults_on_the_switch_are_routing_errors_naming_the_service(
    cluster: FakeKubeAPI, api: KubeAPI, status: int
) -> None:
    blue, green = started(cluster, api)
    bluegreen = router(api)
    cluster.fail_next(1, status, method="PATCH", path=f"services/{ACTIVE}")

    with pytest.raises(RoutingError, match=rf"Service default/{ACTIVE}: services '{ACTIVE}': {status}"):
        bluegreen.set_weight(100)
    assert selected(cluster, ACTIVE) == blue

    bluegreen.set_weight(100)  # the runner's retry
    assert selected(cluster, ACTIVE) == green


def test_api_faults_while_reading_name_the_object(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    started(cluster, api)
    cluster.fail_next(1, 500, method="GET", path=f"services/{PREVIEW}")
    with pytest.raises(RoutingError, match=f"Service default/{PREVIEW}: .*500"):
        router(api).get_preview()
    cluster.fail_next(1, 503, method="GET", path=f"deployments/{NAME}-canary")
    with pytest.raises(RoutingError, match=f"Deployment default/{NAME}-canary: .*503"):
        router(api).get_weight()


def test_without_a_preview_service_set_preview_changes_nothing(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    started(cluster, api)
    bluegreen = router(api, preview=None)

    bluegreen.set_preview(True)

    assert bluegreen.get_preview() is False
    assert cluster.requests == []


def test_the_same_service_for_both_sides_is_refused(api: KubeAPI) -> None:
    with pytest.raises(SpecError, match="uses the same service for the active and preview services"):
        router(api, preview=ACTIVE)
    with pytest.raises(SpecError, match="needs an active Service"):
        BlueGreenServiceRouter(router(api).workload, "")

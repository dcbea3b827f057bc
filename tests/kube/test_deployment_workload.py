"""`DeploymentWorkload` against the fake API server: Deployments, revision labels and Service pinning."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from fake_kube_bodies import deployment_of

from canarykit import Rollout, RolloutPhase
from canarykit.errors import SpecError, WorkloadError
from canarykit.kube import REVISION_LABEL, DeploymentWorkload, KubeAPI
from canarykit.kube.templates import VERSION_ANNOTATION, labelled, revision_of
from canarykit.steps import Pause, SetWeight
from canarykit.testing import FakeClock, InMemoryRouter
from canarykit.testing.kube import FakeKubeAPI

NAME, CANARY = "canary-demo", "canary-demo-canary"
STABLE_SERVICE, CANARY_SERVICE = "canary-demo", "canary-demo-canary"
BLUE, GREEN, RED = "argoproj/rollouts-demo:blue", "argoproj/rollouts-demo:green", "argoproj/rollouts-demo:red"
ENVOY = "envoyproxy/envoy:v1.29.0"
DEPLOYMENT_PATH = "/apis/apps/v1/namespaces/default/deployments"
SELECTOR = {"app": NAME}
JSON_PATCH = "application/json-patch+json"


def pod_template(*containers: tuple[str, str]) -> dict[str, Any]:
    """A pod template labelled `app: canary-demo` with (name, image) containers."""
    return {
        "metadata": {"labels": dict(SELECTOR)},
        "spec": {"containers": [{"name": name, "image": image} for name, image in containers]},
    }


APP_AND_SIDECAR = pod_template((NAME, BLUE), ("proxy", ENVOY))


def deployment(template: dict[str, Any], replicas: int = 5, name: str = NAME) -> dict[str, Any]:
    return deployment_of(name, template, replicas, SELECTOR)


def adopted(template: dict[str, Any]) -> dict[str, Any]:
    """A template as canarykit leaves a stable one: labelled with its own revision."""
    return labelled(template, revision_of(template))


def workload(api: KubeAPI, **options: Any) -> DeploymentWorkload:
    options.setdefault("container", NAME)
    return DeploymentWorkload(
        api, NAME, "default", stable_service=STABLE_SERVICE, canary_service=CANARY_SERVICE, **options
    )


def get(cluster: FakeKubeAPI, resource: str, name: str) -> dict[str, Any]:
    found = cluster.get(resource, "default", name)
    assert found is not None, f"{resource}/{name} is missing"
    return found


def template_of(cluster: FakeKubeAPI, name: str) -> dict[str, Any]:
    template: dict[str, Any] = get(cluster, "deployments", name)["spec"]["template"]
    return template


def revision(cluster: FakeKubeAPI, name: str) -> str:
    return str(template_of(cluster, name)["metadata"]["labels"][REVISION_LABEL])


def selector(cluster: FakeKubeAPI, service: str) -> dict[str, str]:
    return dict(get(cluster, "services", service)["spec"]["selector"])


def images(template: dict[str, Any]) -> dict[str, str]:
    return {c["name"]: c["image"] for c in template["spec"]["containers"]}


def writes(cluster: FakeKubeAPI, path_part: str) -> list[tuple[str, str, str | None]]:
    """Every request but GETs whose path contains `path_part`."""
    return [r for r in cluster.requests if r[0] != "GET" and path_part in r[1]]


def ready_stable(cluster: FakeKubeAPI, template: dict[str, Any], replicas: int = 5) -> None:
    """Seed the stable Deployment fully rolled out, whatever `auto_ready` says."""
    cluster.put(deployment(template, replicas))
    cluster.mark_ready("default", NAME)


# -- start_canary ---------------------------------------------------------------------------------------


def test_start_canary_adopts_an_unlabelled_stable_and_creates_an_empty_canary(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    cluster.put(deployment(APP_AND_SIDECAR))
    cluster.clear_requests()

    workload(api).start_canary(GREEN)

    stable = template_of(cluster, NAME)
    assert stable == adopted(APP_AND_SIDECAR)  # same pods, now labelled with their own revision
    assert revision(cluster, NAME) == revision_of(APP_AND_SIDECAR)
    assert writes(cluster, f"{DEPLOYMENT_PATH}/{NAME}") == [
        ("PATCH", f"{DEPLOYMENT_PATH}/{NAME}", JSON_PATCH)
    ]

    canary = get(cluster, "deployments", CANARY)
    green = revision(cluster, CANARY)
    assert green != revision(cluster, NAME)
    assert canary["spec"]["replicas"] == 0
    assert canary["spec"]["selector"] == {"matchLabels": {"app": NAME, REVISION_LABEL: green}}
    assert canary["metadata"]["labels"] == {"app.kubernetes.io/managed-by": "canarykit"}
    template = canary["spec"]["template"]
    assert images(template) == {NAME: GREEN, "proxy": ENVOY}  # the sidecar is kept as it was
    assert template["metadata"]["labels"] == {"app": NAME, REVISION_LABEL: green}
    assert template["metadata"]["annotations"] == {VERSION_ANNOTATION: GREEN}
    assert green == revision_of(template)
    # nothing is pinned before anything is ready
    assert selector(cluster, STABLE_SERVICE) == SELECTOR
    assert selector(cluster, CANARY_SERVICE) == SELECTOR


def test_an_already_labelled_stable_is_left_alone(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    cluster.put(deployment(adopted(APP_AND_SIDECAR)))
    before = get(cluster, "deployments", NAME)
    cluster.clear_requests()

    workload(api).start_canary(GREEN)

    assert writes(cluster, f"{DEPLOYMENT_PATH}/{NAME}") == []
    after = get(cluster, "deployments", NAME)
    assert after["metadata"]["resourceVersion"] == before["metadata"]["resourceVersion"]
    assert images(template_of(cluster, CANARY)) == {NAME: GREEN, "proxy": ENVOY}


def test_the_only_container_is_updated_when_none_is_named(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    cluster.put(deployment(pod_template(("web", BLUE))))

    workload(api, container=None).start_canary(GREEN)

    assert images(template_of(cluster, CANARY)) == {"web": GREEN}


def test_several_containers_and_none_named_is_refused_before_any_change(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    cluster.put(deployment(APP_AND_SIDECAR))
    cluster.clear_requests()

    with pytest.raises(SpecError, match=r"containers \['canary-demo', 'proxy'\]: name the one to update"):
        workload(api, container=None).start_canary(GREEN)

    assert writes(cluster, DEPLOYMENT_PATH) == []
    assert cluster.get("deployments", "default", CANARY) is None


def test_an_unknown_container_is_refused_as_argo_does(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    cluster.put(deployment(APP_AND_SIDECAR))

    with pytest.raises(SpecError, match='unable to find container named "nginx"'):
        workload(api, container="nginx").start_canary(GREEN)

    assert cluster.get("deployments", "default", CANARY) is None


def test_template_mode_runs_the_given_pod_template(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    cluster.put(deployment(APP_AND_SIDECAR))
    given = pod_template((NAME, GREEN))
    given["spec"]["containers"][0]["env"] = [{"name": "COLOR", "value": "green"}]
    unchanged = copy.deepcopy(given)
    version = f"{NAME}={GREEN}"

    workload(api, container=None, template=given).start_canary(version)

    canary = template_of(cluster, CANARY)
    assert canary["spec"] == given["spec"]  # the given template, not stable's with another image
    assert canary["metadata"]["annotations"] == {VERSION_ANNOTATION: version}
    assert revision(cluster, CANARY) == revision_of(canary)
    assert get(cluster, "deployments", CANARY)["spec"]["selector"]["matchLabels"] == {
        "app": NAME,
        REVISION_LABEL: revision_of(canary),
    }
    assert template_of(cluster, NAME) == adopted(APP_AND_SIDECAR)  # stable adopted, not changed
    assert given == unchanged  # the argument is not mutated


def test_start_canary_without_a_stable_deployment_is_a_workload_error(api: KubeAPI) -> None:
    with pytest.raises(WorkloadError, match="stable Deployment default/canary-demo not found"):
        workload(api).start_canary(GREEN)


def test_a_leftover_canary_of_another_revision_is_replaced(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    cluster.put(deployment(adopted(APP_AND_SIDECAR)))
    first = workload(api)
    first.start_canary(RED)
    first.scale_canary(2)
    leftover = get(cluster, "deployments", CANARY)

    second = workload(api)  # a new driver, after the red one crashed
    second.start_canary(GREEN)

    canary = get(cluster, "deployments", CANARY)
    assert canary["metadata"]["uid"] != leftover["metadata"]["uid"]
    assert images(canary["spec"]["template"])[NAME] == GREEN
    assert canary["spec"]["replicas"] == 0
    green = revision(cluster, CANARY)
    assert canary["spec"]["selector"]["matchLabels"] == {"app": NAME, REVISION_LABEL: green}
    assert ("DELETE", f"{DEPLOYMENT_PATH}/{CANARY}", None) in cluster.requests


def test_a_leftover_canary_of_the_same_revision_is_kept_with_its_scale(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    cluster.put(deployment(adopted(APP_AND_SIDECAR)))
    first = workload(api)
    first.start_canary(GREEN)
    first.scale_canary(2)
    leftover = get(cluster, "deployments", CANARY)
    cluster.clear_requests()

    resumed = workload(api)  # a resumed driver finds the canary it was running
    resumed.start_canary(GREEN)
    resumed.scale_canary(2)

    canary = get(cluster, "deployments", CANARY)
    assert canary["metadata"]["uid"] == leftover["metadata"]["uid"]
    assert canary["spec"]["replicas"] == 2
    assert writes(cluster, DEPLOYMENT_PATH) == []  # nothing created, deleted or scaled


# -- scale_canary ---------------------------------------------------------------------------------------


def test_scale_canary_uses_the_scale_subresource_only_when_the_count_changes(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    cluster.put(deployment(adopted(APP_AND_SIDECAR)))
    canary = workload(api)
    canary.start_canary(GREEN)
    cluster.clear_requests()

    for replicas in (0, 1, 1, 3, 3, 3, 0):
        canary.scale_canary(replicas)

    scale = f"{DEPLOYMENT_PATH}/{CANARY}/scale"
    assert [(method, path) for method, path, _ in writes(cluster, DEPLOYMENT_PATH)] == [("PATCH", scale)] * 3
    assert get(cluster, "deployments", CANARY)["spec"]["replicas"] == 0
    canary.scale_canary(4)
    assert get(cluster, "deployments", CANARY)["spec"]["replicas"] == 4
    assert get(cluster, "deployments", NAME)["spec"]["replicas"] == 5  # stable untouched


# -- readiness and Service pinning ---------------------------------------------------------------------


def test_canary_ready_waits_for_both_deployments_and_pins_each_service_only_then(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    cluster.auto_ready = False
    ready_stable(cluster, APP_AND_SIDECAR)
    canary = workload(api)
    canary.start_canary(GREEN)  # adopting stable restarts it: not ready any more
    canary.scale_canary(1)
    blue, green = revision_of(APP_AND_SIDECAR), revision(cluster, CANARY)

    assert canary.canary_ready() is False
    assert not canary.stable_ready()
    assert selector(cluster, STABLE_SERVICE) == SELECTOR  # stable's new pods are not there yet
    assert selector(cluster, CANARY_SERVICE) == SELECTOR

    cluster.mark_ready("default", NAME)
    assert canary.canary_ready() is False  # the canary replica is not available yet
    assert selector(cluster, STABLE_SERVICE) == {"app": NAME, REVISION_LABEL: blue}
    assert selector(cluster, CANARY_SERVICE) == SELECTOR

    cluster.mark_ready("default", CANARY)
    assert canary.canary_ready() is True
    assert selector(cluster, STABLE_SERVICE) == {"app": NAME, REVISION_LABEL: blue}
    assert selector(cluster, CANARY_SERVICE) == {"app": NAME, REVISION_LABEL: green}

    cluster.clear_requests()
    assert canary.canary_ready() is True
    assert writes(cluster, "services") == []  # pinned already: no more patches

    canary.scale_canary(3)  # more replicas asked for: not ready until they are available
    assert canary.canary_ready() is False
    assert selector(cluster, CANARY_SERVICE) == {"app": NAME, REVISION_LABEL: green}
    cluster.mark_ready("default", CANARY)
    assert canary.canary_ready() is True


def test_a_deployment_with_old_replicas_left_is_not_ready(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    stable = deployment(adopted(APP_AND_SIDECAR), replicas=2)
    stable["metadata"]["generation"] = 1
    stable["status"] = {
        "observedGeneration": 1,
        "replicas": 3,  # one old pod still running beside the two updated ones
        "updatedReplicas": 2,
        "availableReplicas": 3,
    }
    cluster.put(stable)
    assert workload(api).stable_ready() is False
    assert selector(cluster, STABLE_SERVICE) == SELECTOR

    cluster.mark_ready("default", NAME)
    assert workload(api).stable_ready() is True


def test_canary_ready_fails_when_the_canary_deployment_is_gone(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    cluster.put(deployment(adopted(APP_AND_SIDECAR)))
    canary = workload(api)
    canary.start_canary(GREEN)
    cluster.delete("deployments", "default", CANARY)

    with pytest.raises(WorkloadError, match="canary Deployment 'canary-demo-canary' is gone"):
        canary.canary_ready()


def test_pinning_a_missing_service_is_a_workload_error(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    cluster.put(deployment(adopted(APP_AND_SIDECAR)))
    cluster.delete("services", "default", STABLE_SERVICE)

    with pytest.raises(WorkloadError, match="Service default/canary-demo not found"):
        workload(api).stable_ready()


# -- promote, remove_canary -----------------------------------------------------------------------------


def test_promote_replaces_stable_template_and_pins_stable_once_fully_available(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    cluster.auto_ready = False
    ready_stable(cluster, adopted(APP_AND_SIDECAR))
    canary = workload(api)
    canary.start_canary(GREEN)
    canary.scale_canary(1)
    cluster.mark_ready("default", CANARY)
    assert canary.canary_ready()
    blue, green = revision(cluster, NAME), revision(cluster, CANARY)
    cluster.clear_requests()

    canary.promote(GREEN)

    assert writes(cluster, DEPLOYMENT_PATH) == [("PATCH", f"{DEPLOYMENT_PATH}/{NAME}", JSON_PATCH)]
    assert template_of(cluster, NAME) == template_of(cluster, CANARY)
    assert get(cluster, "deployments", NAME)["spec"]["replicas"] == 5
    assert canary.stable_ready() is False  # the rolling update has not finished
    assert selector(cluster, STABLE_SERVICE) == {"app": NAME, REVISION_LABEL: blue}

    canary.promote(GREEN)  # called again while waiting: no second patch
    assert len(writes(cluster, f"{DEPLOYMENT_PATH}/{NAME}")) == 1

    cluster.mark_ready("default", NAME)
    assert canary.stable_ready() is True
    assert selector(cluster, STABLE_SERVICE) == {"app": NAME, REVISION_LABEL: green}
    assert selector(cluster, CANARY_SERVICE) == {"app": NAME, REVISION_LABEL: green}


def test_remove_canary_points_the_canary_service_at_stable_then_deletes_it(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    cluster.put(deployment(adopted(APP_AND_SIDECAR)))
    canary = workload(api)
    canary.start_canary(GREEN)
    canary.scale_canary(1)
    assert canary.canary_ready()
    blue = revision(cluster, NAME)
    cluster.clear_requests()

    canary.remove_canary()

    assert selector(cluster, CANARY_SERVICE) == {"app": NAME, REVISION_LABEL: blue}
    assert cluster.get("deployments", "default", CANARY) is None
    order = [(method, path) for method, path, _ in cluster.requests if method != "GET"]
    assert order == [
        ("PATCH", f"/api/v1/namespaces/default/services/{CANARY_SERVICE}"),
        ("DELETE", f"{DEPLOYMENT_PATH}/{CANARY}"),
    ]
    canary.remove_canary()  # already gone: harmless
    assert get(cluster, "deployments", NAME)["spec"]["template"] == adopted(APP_AND_SIDECAR)


def test_promote_ignores_a_leftover_canary_of_another_version(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    """Stable already runs green (nothing to compare): promote must not switch it to a red leftover."""
    cluster.put(deployment(adopted(APP_AND_SIDECAR)))
    crashed = workload(api)
    crashed.start_canary(RED)  # a driver that died and left its canary behind
    stable_before = template_of(cluster, NAME)
    fast = workload(api)
    assert fast.needs_steps(BLUE) is False

    fast.promote(BLUE)

    assert template_of(cluster, NAME) == stable_before
    assert images(template_of(cluster, NAME))[NAME] == BLUE


# -- needs_steps, first deploy --------------------------------------------------------------------------


def test_needs_steps(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    canary = workload(api)
    assert canary.needs_steps(GREEN) is False  # no stable: a first deploy

    cluster.put(deployment(APP_AND_SIDECAR))
    assert canary.needs_steps(BLUE) is False  # unlabelled stable already running blue
    assert canary.needs_steps(GREEN) is True

    canary.start_canary(GREEN)
    canary.promote(GREEN)
    assert canary.needs_steps(GREEN) is False  # stable runs green now
    assert canary.needs_steps(BLUE) is True


def test_first_deploy_creates_the_stable_deployment(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    template = pod_template((NAME, BLUE))
    first = workload(api, container=None, template=template, selector=SELECTOR, replicas=3)
    assert first.replicas == 3
    assert first.needs_steps(BLUE) is False

    first.promote(BLUE)

    created = get(cluster, "deployments", NAME)
    assert created["spec"]["replicas"] == 3
    assert created["spec"]["selector"] == {"matchLabels": SELECTOR}
    assert created["metadata"]["labels"] == {"app.kubernetes.io/managed-by": "canarykit"}
    stable = created["spec"]["template"]
    assert stable["spec"] == template["spec"]
    assert stable["metadata"]["annotations"] == {VERSION_ANNOTATION: BLUE}
    assert stable["metadata"]["labels"] == {"app": NAME, REVISION_LABEL: revision_of(stable)}
    assert first.replicas == 3
    assert first.stable_ready() is True
    assert selector(cluster, STABLE_SERVICE) == {"app": NAME, REVISION_LABEL: revision_of(stable)}
    assert first.needs_steps(BLUE) is False
    assert first.needs_steps(GREEN) is False  # template mode: the template is the version
    assert cluster.get("deployments", "default", CANARY) is None


def test_first_deploy_defaults_to_one_replica(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    first = workload(api, container=None, template=pod_template((NAME, BLUE)), selector=SELECTOR)
    assert first.replicas == 1
    first.promote(BLUE)
    assert get(cluster, "deployments", NAME)["spec"]["replicas"] == 1


@pytest.mark.parametrize(
    "options",
    [{}, {"template": pod_template((NAME, BLUE))}, {"selector": SELECTOR}],
    ids=["nothing", "no-selector", "no-template"],
)
def test_first_deploy_without_template_and_selector_is_a_workload_error(
    cluster: FakeKubeAPI, api: KubeAPI, options: dict[str, Any]
) -> None:
    cluster.clear_requests()
    with pytest.raises(WorkloadError, match="does not exist and no pod template and selector were given"):
        workload(api, **options).promote(BLUE)
    assert cluster.get("deployments", "default", NAME) is None
    assert writes(cluster, DEPLOYMENT_PATH) == []


def test_stable_ready_without_a_stable_deployment_is_a_workload_error(api: KubeAPI) -> None:
    with pytest.raises(WorkloadError, match="not found"):
        workload(api).stable_ready()


# -- through Rollout: readiness and the progress deadline -----------------------------------------------


class ReadyLater(FakeClock):
    """A fake clock whose cluster finishes every Deployment rollout once its time reaches `ready_at`."""

    def __init__(self, cluster: FakeKubeAPI, ready_at: float) -> None:
        super().__init__(1_700_000_000)
        self.cluster, self.ready_at = cluster, ready_at

    def sleep(self, seconds: float) -> None:
        super().sleep(seconds)
        if self.now() >= self.ready_at:
            for found in self.cluster.list("deployments", "default"):
                self.cluster.mark_ready("default", found["metadata"]["name"])


def test_a_canary_that_never_becomes_ready_times_out_progressing(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    cluster.auto_ready = False
    ready_stable(cluster, adopted(APP_AND_SIDECAR))
    clock, router = FakeClock(1_700_000_000), InMemoryRouter()
    rollout = Rollout(
        NAME,
        [SetWeight(20), Pause("1m")],
        router,
        workload(api),
        clock=clock,
        progress_deadline=120,
        abort_scale_down_delay=0,
    )

    result = rollout.run(GREEN, handle_signals=False)

    assert result.phase is RolloutPhase.DEGRADED
    assert result.message == (
        "RolloutAborted: Rollout aborted update to revision 2: "
        'Canary "canary-demo" has timed out progressing.'
    )
    assert 120 < clock.now() - 1_700_000_000 <= 125  # polled each second up to the deadline
    assert router.history == [0]  # the canary never took traffic
    assert result.weight_history == (0,)
    blue = revision(cluster, NAME)
    assert cluster.get("deployments", "default", CANARY) is None
    assert selector(cluster, STABLE_SERVICE) == {"app": NAME, REVISION_LABEL: blue}
    assert selector(cluster, CANARY_SERVICE) == {"app": NAME, REVISION_LABEL: blue}  # never the canary
    assert len(writes(cluster, f"services/{CANARY_SERVICE}")) == 1


def test_a_canary_ready_before_the_deadline_goes_on_to_healthy(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    cluster.auto_ready = False
    ready_stable(cluster, adopted(APP_AND_SIDECAR))
    clock, router = ReadyLater(cluster, ready_at=1_700_000_100), InMemoryRouter()
    rollout = Rollout(
        NAME, [SetWeight(20)], router, workload(api), clock=clock, progress_deadline=120, scale_down_delay=0
    )

    result = rollout.run(GREEN, handle_signals=False)

    assert result.phase is RolloutPhase.HEALTHY, result.message
    assert router.history == [20, 100, 0]
    assert 100 <= clock.now() - 1_700_000_000 < 110
    assert images(template_of(cluster, NAME)) == {NAME: GREEN, "proxy": ENVOY}
    green = revision(cluster, NAME)
    assert selector(cluster, STABLE_SERVICE) == {"app": NAME, REVISION_LABEL: green}
    assert selector(cluster, CANARY_SERVICE) == {"app": NAME, REVISION_LABEL: green}
    assert cluster.get("deployments", "default", CANARY) is None


def test_rolling_out_the_version_an_unlabelled_stable_runs_adopts_it_without_steps(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    cluster.put(deployment(APP_AND_SIDECAR))
    router = InMemoryRouter()
    rollout = Rollout(NAME, [SetWeight(20), Pause("1m")], router, workload(api), clock=FakeClock())

    result = rollout.run(BLUE, handle_signals=False)

    assert result.phase is RolloutPhase.HEALTHY, result.message
    assert result.weight_history == () and router.history == []  # no canary, no steps
    assert cluster.get("deployments", "default", CANARY) is None
    stable = template_of(cluster, NAME)
    assert images(stable) == {NAME: BLUE, "proxy": ENVOY}
    assert stable["metadata"]["annotations"] == {VERSION_ANNOTATION: BLUE}
    assert selector(cluster, STABLE_SERVICE) == {"app": NAME, REVISION_LABEL: revision_of(stable)}


def test_first_deploy_through_rollout_creates_stable_without_steps(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    template = pod_template((NAME, BLUE))
    first = workload(api, container=None, template=template, selector=SELECTOR, replicas=2)
    router = InMemoryRouter()

    result = Rollout(NAME, [SetWeight(20), Pause("1m")], router, first, clock=FakeClock()).run(
        BLUE, handle_signals=False
    )

    assert result.phase is RolloutPhase.HEALTHY, result.message
    assert router.history == []
    assert get(cluster, "deployments", NAME)["spec"]["replicas"] == 2
    assert cluster.get("deployments", "default", CANARY) is None
    assert selector(cluster, STABLE_SERVICE) == {"app": NAME, REVISION_LABEL: revision(cluster, NAME)}

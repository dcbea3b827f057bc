"""Taking over a live Argo Rollout mid-update (fake API server, the real `kubernetes` client).

Argo left `canary-demo` at step 3 (the pause after weight 40, 30 s in). canarykit re-owns the canary
Ingress, moves the pods to its Deployments a Service at a time, and goes on to promotion with the pause's
remaining 90 s. Every refusal happens before the cluster sees a single write.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from argo_world import (
    BLUE,
    CANARY_HASH,
    CANARY_INGRESS,
    CANARY_REPLICAS,
    CANARY_SERVICE,
    GREEN,
    NAME,
    NAMESPACE,
    PAUSED_AT,
    REPLICAS,
    STABLE_HASH,
    STABLE_SERVICE,
    START,
    WEIGHT_KEY,
    argo_canary_ingress,
    argo_rollout,
    argo_service,
    file_spec,
    replica_set,
    rollout_document,
    seed_argo_world,
)

from canarykit import RolloutPhase, StateError
from canarykit.errors import AdoptionRefused, RoutingError
from canarykit.kube import KubeAPI, KubernetesStateStore, bind
from canarykit.kube.adopt import AdoptedAt
from canarykit.kube.argo_rollout import HASH_LABEL, INSTANCE_LABEL, MANAGED_BY_ROLLOUTS
from canarykit.kube.canary_owner import ROLLOUT_ANNOTATION
from canarykit.kube.templates import REVISION_LABEL
from canarykit.rollout import events as ev
from canarykit.rollout.status import RolloutStatus
from canarykit.testing import FakeClock
from canarykit.testing.kube import FakeKubeAPI

WRITES = ("POST", "PUT", "PATCH", "DELETE")


def writes(cluster: FakeKubeAPI) -> list[tuple[str, str, str | None]]:
    return [request for request in cluster.requests if request[0] in WRITES]


def get(cluster: FakeKubeAPI, resource: str, name: str) -> dict[str, Any]:
    found = cluster.get(resource, NAMESPACE, name)
    assert found is not None, f"{resource}/{name} missing"
    return found


def adopt(api: KubeAPI, clock: FakeClock, **options: Any) -> tuple[Any, Any]:
    """`bind(..., adopt=True)` and its rollout, with the state in the cluster."""
    binding = bind(file_spec(), api, {NAME: GREEN}, adopt=True)
    rollout = binding.rollout(clock=clock, state=KubernetesStateStore(api), **options)
    return binding, rollout


def test_adopted_at_step_3_weight_40_and_promoted(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    seed_argo_world(cluster)
    clock = FakeClock(START)
    cluster.clear_requests()
    binding, rollout = adopt(api, clock)
    assert binding.adoption is not None and not binding.first_deploy
    assert writes(cluster) == []  # bind only reads

    assert binding.take_over(rollout) == AdoptedAt(step_index=3, weight=40, revision=2, paused_at=PAUSED_AT)

    canary = get(cluster, "ingresses", CANARY_INGRESS)
    assert canary["metadata"]["annotations"][WEIGHT_KEY] == "40"  # the weight never moved
    assert canary["metadata"]["annotations"][ROLLOUT_ANNOTATION] == NAME
    assert [(r["kind"], r["controller"]) for r in canary["metadata"]["ownerReferences"]] == [
        ("Ingress", False)
    ]
    stable, canary_deployment = (
        get(cluster, "deployments", NAME),
        get(cluster, "deployments", f"{NAME}-canary"),
    )
    assert stable["spec"]["replicas"] == REPLICAS
    assert stable["spec"]["template"]["spec"]["containers"][0]["image"] == BLUE
    assert canary_deployment["spec"]["replicas"] == CANARY_REPLICAS
    for service, deployment in ((STABLE_SERVICE, stable), (CANARY_SERVICE, canary_deployment)):
        found = get(cluster, "services", service)
        revision = deployment["spec"]["template"]["metadata"]["labels"][REVISION_LABEL]
        assert found["spec"]["selector"] == {"app": NAME, REVISION_LABEL: revision}
        assert MANAGED_BY_ROLLOUTS not in (found["metadata"].get("annotations") or {})

    result = rollout.run(binding.version, handle_signals=False)
    assert result.phase is RolloutPhase.HEALTHY
    assert result.message == "" and result.weight_history == (40, 60, 80, 100, 0)
    messages = [event.message for event in result.events]
    assert messages[0] == f"resuming {binding.version} at step 4/8 (weight 40)"
    assert "Rollout completed update to revision 2" in messages
    step_4_done = [e.time for e in result.events if e.message == "Rollout step 4/8 completed"]
    assert step_4_done == [PAUSED_AT + 120]  # Argo's pause went on where it was, not from the start
    assert get(cluster, "deployments", NAME)["spec"]["template"]["spec"]["containers"][0]["image"] == GREEN


def test_an_interrupted_take_over_is_finished_by_running_it_again(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    seed_argo_world(cluster)
    cluster.auto_ready = False  # canarykit's stable Deployment never becomes available
    binding, rollout = adopt(api, FakeClock(START), progress_deadline=60)
    with pytest.raises(Exception, match="is not available after 60 s; its Service still selects Argo's pods"):
        binding.take_over(rollout)
    assert get(cluster, "services", STABLE_SERVICE)["spec"]["selector"][HASH_LABEL] == STABLE_HASH
    assert ROLLOUT_ANNOTATION in get(cluster, "ingresses", CANARY_INGRESS)["metadata"]["annotations"]

    cluster.auto_ready = True
    cluster.mark_ready(NAMESPACE, NAME)
    binding, rollout = adopt(api, FakeClock(START + 100))
    assert binding.take_over(rollout).step_index == 3
    assert HASH_LABEL not in get(cluster, "services", STABLE_SERVICE)["spec"]["selector"]
    result = rollout.run(binding.version, handle_signals=False)
    assert result.phase is RolloutPhase.HEALTHY and result.weight_history == (40, 60, 80, 100, 0)


def expect_refused(
    cluster: FakeKubeAPI, api: KubeAPI, message: str, error: type[Exception] = AdoptionRefused
) -> None:
    """Adoption is refused with `message` (a substring), and the cluster saw no write at all."""
    cluster.clear_requests()
    with pytest.raises(error) as refused:
        binding, rollout = adopt(api, FakeClock(START))
        binding.take_over(rollout)
    assert message in str(refused.value)
    assert writes(cluster) == []


Change = Callable[[FakeKubeAPI, dict[str, Any]], None]


def relabel(value: str | None) -> Change:
    def change(cluster: FakeKubeAPI, rollout: dict[str, Any]) -> None:
        labels = rollout["metadata"]["labels"]
        labels.pop(INSTANCE_LABEL)
        if value is not None:
            labels[INSTANCE_LABEL] = value
        cluster.put(rollout)

    return change


def status(**fields: Any) -> Change:
    def change(cluster: FakeKubeAPI, rollout: dict[str, Any]) -> None:
        rollout["status"].update(fields)
        cluster.put(rollout)

    return change


def spec_change(edit: Callable[[dict[str, Any]], None]) -> Change:
    def change(cluster: FakeKubeAPI, rollout: dict[str, Any]) -> None:
        edit(rollout["spec"])
        stored = cluster.put(rollout)  # a new generation, which Argo observed before it was released
        stored["status"]["observedGeneration"] = str(stored["metadata"]["generation"])
        cluster.put(stored)

    return change


def ingress_weight(weight: str) -> Change:
    def change(cluster: FakeKubeAPI, rollout: dict[str, Any]) -> None:
        canary = get(cluster, "ingresses", CANARY_INGRESS)
        canary["metadata"]["annotations"][WEIGHT_KEY] = weight
        cluster.put(canary)

    return change


def unannotated_service(cluster: FakeKubeAPI, rollout: dict[str, Any]) -> None:
    service = get(cluster, "services", STABLE_SERVICE)
    del service["metadata"]["annotations"][MANAGED_BY_ROLLOUTS]
    cluster.put(service)


def foreign_owner(cluster: FakeKubeAPI, rollout: dict[str, Any]) -> None:
    canary = get(cluster, "ingresses", CANARY_INGRESS)
    canary["metadata"]["ownerReferences"][0]["uid"] = "another-rollout"
    cluster.put(canary)


REFUSALS: list[tuple[str, Change, str]] = [
    ("not released", relabel(None), "still managed by Argo Rollouts: stop its controller for it first"),
    ("other instance", relabel("shard-a"), f"has {INSTANCE_LABEL}=shard-a: an Argo controller"),
    ("aborted", status(abort=True), "was aborted (status.abort)"),
    ("degraded", status(phase="Degraded", message="ProgressDeadlineExceeded"), "is Degraded"),
    ("old status", status(observedGeneration="0"), "its status is for generation 0"),
    ("not updating", status(currentPodHash=STABLE_HASH), "is not updating"),
    ("first deploy", status(stableRS=""), "has no stable ReplicaSet yet"),
    (
        "inconclusive",
        status(pauseConditions=[{"reason": "InconclusiveAnalysisRun"}]),
        "InconclusiveAnalysisRun",
    ),
    ("full promotion", status(promoteFull=True), "is being fully promoted"),
    ("step out of range", status(currentStepIndex=9), "currentStepIndex 9 is not a step of 0..8"),
    ("pause elsewhere", status(currentStepIndex=2), "at step 3/8, which is not a pause step"),
    ("weights disagree", ingress_weight("20"), "its status says weight 40, its canary Ingress 20"),
    ("other steps", spec_change(lambda s: s["strategy"]["canary"]["steps"].pop()), "spec.strategy.canary"),
    ("other image", spec_change(lambda s: s["template"]["spec"]["containers"][0].update(image="x")), "image"),
    ("paused by hand", spec_change(lambda s: s.update(paused=True)), "paused by hand (spec.paused)"),
    ("service unmanaged", unannotated_service, "lacks Argo's argo-rollouts.argoproj.io/managed-by-rollouts"),
]


@pytest.mark.parametrize(("change", "message"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS])
def test_refused_before_any_write(cluster: FakeKubeAPI, api: KubeAPI, change: Change, message: str) -> None:
    change(cluster, seed_argo_world(cluster))
    expect_refused(cluster, api, message)


def test_a_canary_ingress_of_another_rollout_is_refused(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    foreign_owner(cluster, seed_argo_world(cluster))
    expect_refused(
        cluster, api, f"canary ingress `{CANARY_INGRESS}` controlled by different object", RoutingError
    )


def test_no_argo_rollout_to_adopt(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    expect_refused(cluster, api, "no Argo Rollout default/canary-demo to adopt")


def test_a_controller_still_writing_is_refused(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    """An Argo controller that still reconciles writes the Rollout's status while canarykit watches."""
    seed_argo_world(cluster)
    ticks = iter(range(1_000_000))

    def argo_controller() -> None:
        rollout = cluster.get("rollouts", NAMESPACE, NAME)
        assert rollout is not None
        rollout["status"]["message"] = f"CanaryPauseStep {next(ticks)}"  # heartbeat-like status writes
        cluster.put(rollout)

    cluster.add_controller(argo_controller)
    try:
        expect_refused(cluster, api, "changed within 5 s")
    finally:
        cluster.remove_controller(argo_controller)


def test_an_unfinished_canarykit_rollout_of_another_version_is_refused(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    seed_argo_world(cluster)
    record = RolloutStatus(
        NAME, "canary-demo=other", step_index=1, weight=20, weight_history=[20], step_count=3
    )
    KubernetesStateStore(api).save(NAME, record.to_dict())
    expect_refused(cluster, api, "is still rolling out 'canary-demo=other'", StateError)


def test_live_template_with_server_defaults_matches_but_not_an_extra_container(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    """The API server adds defaults to what it stores; anything the file has must be there, equal."""
    rollout = seed_argo_world(cluster)
    document = rollout_document()
    document["spec"]["template"]["spec"]["containers"].append({"name": "sidecar", "image": "proxy:1"})
    cluster.clear_requests()
    with pytest.raises(AdoptionRefused, match=r"spec.template.spec.containers differs from the file's"):
        bind(file_spec(document), api, {NAME: GREEN}, adopt=True)
    assert writes(cluster) == [] and rollout["spec"]["template"] == argo_rollout()["spec"]["template"]


def test_a_binding_without_adopt_cannot_take_over(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    binding = bind(file_spec(), api, {NAME: BLUE})
    with pytest.raises(Exception, match="take_over needs a binding made with bind"):
        binding.take_over(binding.rollout())


def test_the_adopted_pause_is_reported_as_argo_reported_it(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    seed_argo_world(cluster)
    binding, rollout = adopt(api, FakeClock(START))
    binding.take_over(rollout)
    rollout.start(binding.version)
    status = rollout.status
    assert status is not None and (status.phase, status.message) == (RolloutPhase.PAUSED, "CanaryPauseStep")
    assert (status.step_index, status.weight, status.set_weight, status.revision) == (3, 40, 40, 2)
    assert any(
        isinstance(event, ev.Event) and "resuming" in event.message for event in rollout.result().events
    )


def test_argos_step_index_is_mapped_when_a_step_combines_fields(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    """Argo's step 0 `{setWeight: 20, setCanaryScale: ...}` is two plan steps: Argo's currentStepIndex 3 (the
    pause after 40) is plan step 4, and the pause goes on where Argo left it."""
    combined = {"setWeight": 20, "setCanaryScale": {"matchTrafficWeight": True}}
    live = argo_rollout()
    live["spec"]["strategy"]["canary"]["steps"][0] = combined
    rollout_object = cluster.put(live)
    cluster.put(replica_set(rollout_object, STABLE_HASH, BLUE, REPLICAS))
    cluster.put(replica_set(rollout_object, CANARY_HASH, GREEN, CANARY_REPLICAS))
    cluster.put(argo_service(STABLE_SERVICE, STABLE_HASH))
    cluster.put(argo_service(CANARY_SERVICE, CANARY_HASH))
    cluster.put(argo_canary_ingress(cluster, rollout_object))
    document = rollout_document()
    document["spec"]["strategy"]["canary"]["steps"][0] = combined
    binding = bind(file_spec(document), api, {NAME: GREEN}, adopt=True)
    rollout = binding.rollout(clock=FakeClock(START), state=KubernetesStateStore(api))
    assert binding.take_over(rollout) == AdoptedAt(step_index=4, weight=40, revision=2, paused_at=PAUSED_AT)
    result = rollout.run(binding.version, handle_signals=False)
    assert result.phase is RolloutPhase.HEALTHY and result.weight_history == (40, 60, 80, 100, 0)

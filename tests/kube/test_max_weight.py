"""`trafficRouting.maxTrafficWeight` on a (fake) cluster through the real client, with Argo's arithmetic.

Weights run from 0 to N: `canary-weight` of `canary-weight-total: N` on the canary Ingress, promotion at N,
`ceil(weight * replicas / N)` canary replicas (Argo's `trafficWeightToReplicas`), records holding weights up
to N, and a record never resumed on another scale.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from canarykit import Rollout, RolloutPhase, SpecError, StateError
from canarykit.argo import load
from canarykit.argo.rollout import RolloutSpec
from canarykit.kube import DeploymentWorkload, KubeAPI, KubernetesStateStore, NginxIngressRouter, bind
from canarykit.rollout import events as ev
from canarykit.steps import Pause, SetCanaryScale, SetWeight, Step
from canarykit.testing import FakeClock
from canarykit.testing.kube import FakeKubeAPI

DATA = Path(__file__).parent.parent / "data"
NAME = "canary-demo"
BLUE, GREEN = "argoproj/rollouts-demo:blue", "argoproj/rollouts-demo:green"
CANARY_INGRESS = "canary-demo-canary-demo-canary"
PREFIX = "nginx.ingress.kubernetes.io"
WRITES = ("POST", "PUT", "PATCH", "DELETE")
STEPS_OF_1000: list[dict[str, Any]] = [
    {"setWeight": 5},
    {"pause": {}},
    {"setWeight": 250},
    {"setWeight": 500},
]


def spec_with(steps: list[dict[str, Any]], max_weight: int | None = 1000, replicas: int = 10) -> RolloutSpec:
    """The reference Rollout without analysis, with these steps, replicas and maxTrafficWeight."""
    document: dict[str, Any] = yaml.safe_load((DATA / "rollout.yaml").read_text())
    document["spec"]["replicas"] = replicas
    canary = document["spec"]["strategy"]["canary"]
    del canary["analysis"]
    canary["steps"] = steps
    if max_weight is not None:
        canary["trafficRouting"]["maxTrafficWeight"] = max_weight
    return load(yaml.safe_dump(document))


def deploy_blue(api: KubeAPI, spec: RolloutSpec) -> None:
    binding = bind(spec, api, {NAME: BLUE})
    assert binding.first_deploy
    assert binding.rollout(clock=FakeClock()).run(binding.version, handle_signals=False).healthy


def canary_weights(cluster: FakeKubeAPI) -> tuple[str, str]:
    """`canary-weight` and `canary-weight-total` on the canary Ingress."""
    ingress = cluster.get("ingresses", "default", CANARY_INGRESS)
    assert ingress is not None
    annotations = ingress["metadata"]["annotations"]
    return annotations[f"{PREFIX}/canary-weight"], annotations[f"{PREFIX}/canary-weight-total"]


def canary_replicas(cluster: FakeKubeAPI) -> int | None:
    canary = cluster.get("deployments", "default", f"{NAME}-canary")
    return None if canary is None else int(canary["spec"]["replicas"])


def writes(cluster: FakeKubeAPI) -> list[tuple[str, str, str | None]]:
    return [request for request in cluster.requests if request[0] in WRITES]


def test_argo_yaml_with_weights_above_100_loads() -> None:
    spec = spec_with(STEPS_OF_1000)
    assert [getattr(step, "weight", None) for step in spec.steps] == [5, None, 250, 500]
    assert spec.nginx is not None and spec.nginx.max_weight == 1000


def test_argo_yaml_above_the_maximum_is_refused_with_argos_message() -> None:
    with pytest.raises(SpecError) as refused:
        spec_with([{"setWeight": 1001}])
    assert refused.value.reason == "SetWeight needs to be between 0 and 1000, got 1001"
    assert refused.value.path == "spec.strategy.canary.steps[0].setWeight"


def test_weights_of_1000_on_the_ingress_and_argos_replica_counts(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    spec = spec_with(STEPS_OF_1000)
    deploy_blue(api, spec)
    seen: list[tuple[str, str, int | None]] = []

    def snapshot(event: ev.Event) -> None:
        if isinstance(event, ev.WeightChanged):
            seen.append((*canary_weights(cluster), canary_replicas(cluster)))
        if isinstance(event, ev.Paused):
            rollout.promote()

    binding = bind(spec, api, {NAME: GREEN})
    rollout = binding.rollout(clock=FakeClock(), on_event=snapshot)
    result = rollout.run(binding.version, handle_signals=False)

    assert result.phase is RolloutPhase.HEALTHY
    assert result.weight_history == (5, 250, 500, 1000, 0)
    assert seen == [  # ceil(5*10/1000) = 1, ceil(250*10/1000) = 3, ceil(500*10/1000) = 5
        ("5", "1000", 1),
        ("250", "1000", 3),
        ("500", "1000", 5),
        ("1000", "1000", 5),
        ("0", "1000", 5),
    ]
    assert rollout.status is not None and rollout.status.set_weight == 1000  # past the last step: N


def test_set_canary_scale_weight_is_on_the_same_scale(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    deploy_blue(api, spec_with([{"setWeight": 5}], replicas=4))
    router = NginxIngressRouter(api, NAME, NAME, NAME, f"{NAME}-canary", max_weight=1000)
    workload = DeploymentWorkload(api, NAME, stable_service=NAME, canary_service=f"{NAME}-canary")
    steps: list[Step] = [SetCanaryScale(weight=500), Pause()]
    rollout = Rollout(NAME, steps, router, workload, clock=FakeClock())
    rollout.start(GREEN)
    rollout.advance()
    assert rollout.status is not None and rollout.status.phase is RolloutPhase.PAUSED
    assert canary_replicas(cluster) == 2  # ceil(500 * 4 / 1000)


@pytest.mark.parametrize(
    ("max_weight", "weight", "message"),
    [
        (None, 250, "steps[1].setWeight: SetWeight needs to be between 0 and 100, got 250"),
        (1000, 1001, "steps[1].setWeight: SetWeight needs to be between 0 and 1000, got 1001"),
    ],
)
def test_a_step_beyond_the_routers_maximum_is_refused_before_any_write(
    cluster: FakeKubeAPI, api: KubeAPI, max_weight: int | None, weight: int, message: str
) -> None:
    router = NginxIngressRouter(api, NAME, NAME, NAME, f"{NAME}-canary", max_weight=max_weight)
    workload = DeploymentWorkload(api, NAME, stable_service=NAME, canary_service=f"{NAME}-canary")
    cluster.clear_requests()
    with pytest.raises(SpecError) as refused:
        Rollout(NAME, [SetWeight(5), SetWeight(weight)], router, workload)
    assert str(refused.value) == message
    assert writes(cluster) == []


def paused_at_250(api: KubeAPI, spec: RolloutSpec) -> KubernetesStateStore:
    """A driver that reached the pause after weight 250 and stopped there (its record in the cluster)."""
    store = KubernetesStateStore(api)
    binding = bind(spec, api, {NAME: GREEN})
    first = binding.rollout(clock=FakeClock(), state=store)
    first.start(binding.version)
    first.advance()
    assert first.status is not None and (first.status.weight, first.status.phase) == (
        250,
        RolloutPhase.PAUSED,
    )
    return store


def test_a_record_at_weight_250_of_1000_is_resumed(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    spec = spec_with([{"setWeight": 250}, {"pause": {}}, {"setWeight": 750}], max_weight=1000)
    deploy_blue(api, spec)
    store = paused_at_250(api, spec)
    binding = bind(spec, api, {NAME: GREEN})
    resumed = binding.rollout(clock=FakeClock(), state=store)
    resumed.start(binding.version)
    assert resumed.status is not None and (resumed.status.weight, resumed.status.step_index) == (250, 1)
    resumed.promote()  # saved: the next start goes on from step 2
    result = resumed.run(binding.version, handle_signals=False)
    assert "resuming canary-demo=argoproj/rollouts-demo:green at step 3/3 (weight 250)" in [
        event.message for event in result.events
    ]
    assert result.weight_history == (250, 750, 1000, 0)
    assert canary_weights(cluster) == ("0", "1000")


def test_a_record_of_1000_is_not_resumed_on_a_scale_of_100(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    spec = spec_with([{"setWeight": 25}, {"pause": {}}], max_weight=1000)
    deploy_blue(api, spec)
    store = KubernetesStateStore(api)
    binding = bind(spec, api, {NAME: GREEN})
    first = binding.rollout(clock=FakeClock(), state=store)
    first.start(binding.version)
    first.advance()
    same_steps_out_of_100 = spec_with([{"setWeight": 25}, {"pause": {}}], max_weight=None)
    binding = bind(same_steps_out_of_100, api, {NAME: GREEN})
    cluster.clear_requests()
    with pytest.raises(StateError, match="plan: the record was made for other steps"):
        binding.rollout(clock=FakeClock(), state=store).start(binding.version)
    assert [path for method, path, _ in writes(cluster) if "configmaps" not in path] == []
    assert canary_weights(cluster) == ("25", "1000")


def test_after_a_rollout_of_1000_the_next_may_use_100(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    """A finished record's weights are history: another scale does not make it unreadable. The weight
    total left on the canary Ingress is removed, or ingress-nginx would read 50 as 50 of 1000."""
    spec = spec_with([{"setWeight": 500}], max_weight=1000)
    deploy_blue(api, spec)
    store = KubernetesStateStore(api)
    binding = bind(spec, api, {NAME: GREEN})
    assert binding.rollout(clock=FakeClock(), state=store).run(binding.version, handle_signals=False).healthy
    binding = bind(spec_with([{"setWeight": 50}], max_weight=None), api, {NAME: "argoproj/rollouts-demo:red"})
    result = binding.rollout(clock=FakeClock(), state=store).run(binding.version, handle_signals=False)
    assert result.phase is RolloutPhase.HEALTHY and result.weight_history == (50, 100, 0)
    ingress = cluster.get("ingresses", "default", CANARY_INGRESS)
    assert ingress is not None and f"{PREFIX}/canary-weight-total" not in ingress["metadata"]["annotations"]

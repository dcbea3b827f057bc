"""API faults in the middle of a rollout: retried, and traffic never left on a failed canary."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from reference_history import ReferencePrometheus

from canarykit import RollbackFailed, Rollout, RolloutPhase
from canarykit.argo import load
from canarykit.kube import KubeAPI, KubernetesStateStore, bind
from canarykit.rollout import Backoff
from canarykit.rollout import events as ev
from canarykit.testing import FakeClock
from canarykit.testing.kube import FakeKubeAPI

DATA = Path(__file__).parent.parent / "data"
WEIGHT = "nginx.ingress.kubernetes.io/canary-weight"
CANARY_INGRESS = "canary-demo-canary-demo-canary"


def canary_weight(cluster: FakeKubeAPI) -> str | None:
    ingress = cluster.get("ingresses", "default", CANARY_INGRESS)
    return None if ingress is None else str(ingress["metadata"]["annotations"][WEIGHT])


def first_deploy(api: KubeAPI, clock: FakeClock) -> None:
    spec = load(DATA / "rollout.yaml", DATA / "analysis-template.yaml")
    binding = bind(spec, api, {"canary-demo": "argoproj/rollouts-demo:blue"})
    binding.rollout(clock=clock).run(binding.version, handle_signals=False).raise_for_status()


def rollout_red(
    api: KubeAPI, clock: FakeClock, prometheus: str, on_event: Callable[[ev.Event], None] | None
) -> tuple[Rollout, str]:
    spec = load(DATA / "rollout.yaml", DATA / "analysis-template.yaml")
    binding = bind(spec, api, {"canary-demo": "argoproj/rollouts-demo:red"})
    store = KubernetesStateStore(api, clock=clock)
    rollout = binding.rollout(prometheus=prometheus, clock=clock, state=store, on_event=on_event)
    return rollout, binding.version


def test_5xx_and_conflicts_while_rolling_back_are_retried(
    cluster: FakeKubeAPI, api: KubeAPI, prometheus: ReferencePrometheus
) -> None:
    clock = FakeClock(prometheus.failing_start + 60)
    first_deploy(api, clock)

    def on_event(event: ev.Event) -> None:
        if isinstance(event, ev.WeightChanged) and event.weight == 20:
            cluster.fail_next(2, 409, method="PATCH", path="ingresses")  # the next weight meets conflicts
        if isinstance(event, ev.Aborted):
            cluster.fail_next(3, 500, method="PATCH", path="ingresses")  # and the rollback meets 5xx

    rollout, version = rollout_red(api, clock, prometheus.url, on_event)
    result = rollout.run(version, handle_signals=False)

    assert result.phase is RolloutPhase.DEGRADED
    assert result.weight_history == (20, 40, 0)
    assert canary_weight(cluster) == "0"
    patches = [r for r in cluster.requests if r[0] == "PATCH" and "ingresses" in r[1]]
    assert len(patches) == (1 + 2) + (1 + 3)  # weights 40 and 0 (20 created it), each after its failures


def test_an_unreachable_api_during_rollback_raises_rollback_failed_with_state_on_record(
    cluster: FakeKubeAPI, api: KubeAPI, prometheus: ReferencePrometheus
) -> None:
    clock = FakeClock(prometheus.failing_start + 60)
    first_deploy(api, clock)

    def on_event(event: ev.Event) -> None:
        if isinstance(event, ev.Aborted):
            attempts = Backoff().attempts  # every attempt to return traffic to stable fails
            cluster.fail_next(attempts, 503, method="PATCH", path="ingresses")

    rollout, version = rollout_red(api, clock, prometheus.url, on_event)
    with pytest.raises(RollbackFailed) as caught:
        rollout.run(version, handle_signals=False)

    assert caught.value.last_known_weight == 40
    record = KubernetesStateStore(api).load("canary-demo")
    assert record is not None and record["aborted"] and not record["finished"]  # resumable: rollback pending
    again, version = rollout_red(api, clock, prometheus.url, None)
    assert again.run(version, handle_signals=False).phase is RolloutPhase.DEGRADED
    assert canary_weight(cluster) == "0"

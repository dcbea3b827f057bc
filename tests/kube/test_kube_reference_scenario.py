"""The reference scenario on a (fake) cluster: real client, real Prometheus history, fake clock.

Blue is deployed first (no steps), then experiment 1 rolls green out and promotes it, and experiment 2
rolls a failing version out and rolls it back. The canary Ingress and both Services are checked at every
weight change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reference_history import ReferencePrometheus

from canarykit import RolloutPhase, RolloutResult
from canarykit.argo import load
from canarykit.kube import REVISION_LABEL, KubeAPI, KubernetesStateStore, bind
from canarykit.rollout import events as ev
from canarykit.testing import FakeClock
from canarykit.testing.kube import FakeKubeAPI

DATA = Path(__file__).parent.parent / "data"
WEIGHT = "nginx.ingress.kubernetes.io/canary-weight"
CANARY_INGRESS = "canary-demo-canary-demo-canary"


@dataclass
class Snapshot:
    """What the cluster looked like right after one weight change."""

    weight: int
    annotations: dict[str, str]
    stable_selector: dict[str, str]
    canary_selector: dict[str, str]
    stable_revision: str
    canary_revision: str | None


@dataclass
class Recorder:
    cluster: FakeKubeAPI
    snapshots: list[Snapshot] = field(default_factory=list)

    def __call__(self, event: ev.Event) -> None:
        if isinstance(event, (ev.WeightChanged, ev.RolledBack)):
            self.snapshots.append(self.snapshot(event.weight))

    def snapshot(self, weight: int) -> Snapshot:
        ingress = self.cluster.get("ingresses", "default", CANARY_INGRESS) or {}
        canary = self.cluster.get("deployments", "default", "canary-demo-canary")
        return Snapshot(
            weight,
            dict(ingress.get("metadata", {}).get("annotations", {})),
            _selector(self.cluster, "canary-demo"),
            _selector(self.cluster, "canary-demo-canary"),
            _revision(self.cluster.get("deployments", "default", "canary-demo")),
            _revision(canary) if canary else None,
        )


def _selector(cluster: FakeKubeAPI, service: str) -> dict[str, str]:
    found = cluster.get("services", "default", service)
    assert found is not None
    return dict(found["spec"]["selector"])


def _revision(deployment: dict[str, Any] | None) -> str:
    assert deployment is not None
    return str(deployment["spec"]["template"]["metadata"]["labels"][REVISION_LABEL])


def deploy(
    api: KubeAPI, cluster: FakeKubeAPI, image: str, clock: FakeClock, prometheus: str
) -> tuple[RolloutResult, Recorder]:
    spec = load(DATA / "rollout.yaml", DATA / "analysis-template.yaml")
    binding = bind(spec, api, {"canary-demo": image})
    recorder = Recorder(cluster)
    store = KubernetesStateStore(api, "default", clock=clock)
    rollout = binding.rollout(prometheus=prometheus, clock=clock, state=store, on_event=recorder)
    return rollout.run(binding.version, handle_signals=False), recorder


def test_first_deploy_then_green_promoted(
    cluster: FakeKubeAPI, api: KubeAPI, prometheus: ReferencePrometheus
) -> None:
    clock = FakeClock(prometheus.healthy_start + 60)
    first, _ = deploy(api, cluster, "argoproj/rollouts-demo:blue", clock, prometheus.url)
    assert first.phase is RolloutPhase.HEALTHY and first.weight_history == ()
    assert cluster.get("ingresses", "default", CANARY_INGRESS) is None
    blue = _revision(cluster.get("deployments", "default", "canary-demo"))

    result, recorder = deploy(api, cluster, "argoproj/rollouts-demo:green", clock, prometheus.url)

    assert result.phase is RolloutPhase.HEALTHY, result.message
    assert [s.weight for s in recorder.snapshots] == [20, 40, 60, 80, 100, 0]
    green = recorder.snapshots[0].canary_revision
    assert green is not None and green != blue
    for snapshot in recorder.snapshots[:-1]:  # during the steps: each Service on its own revision
        assert snapshot.annotations[WEIGHT] == str(snapshot.weight)
        assert snapshot.annotations["nginx.ingress.kubernetes.io/canary"] == "true"
        assert snapshot.stable_selector == {"app": "canary-demo", REVISION_LABEL: blue}
        assert snapshot.canary_selector == {"app": "canary-demo", REVISION_LABEL: green}
    last = recorder.snapshots[-1]  # promoted: stable runs green and takes the traffic back
    assert last.annotations[WEIGHT] == "0"
    assert last.stable_revision == green
    assert last.stable_selector == {"app": "canary-demo", REVISION_LABEL: green}
    stable = cluster.get("deployments", "default", "canary-demo")
    assert stable is not None
    assert stable["spec"]["template"]["spec"]["containers"][0]["image"] == "argoproj/rollouts-demo:green"
    assert cluster.get("deployments", "default", "canary-demo-canary") is None
    ingress = cluster.get("ingresses", "default", CANARY_INGRESS)
    assert ingress is not None and ingress["metadata"]["annotations"][WEIGHT] == "0"  # kept, as Argo


def test_failing_version_rolled_back(
    cluster: FakeKubeAPI, api: KubeAPI, prometheus: ReferencePrometheus
) -> None:
    clock = FakeClock(prometheus.failing_start + 60)
    deploy(api, cluster, "argoproj/rollouts-demo:blue", clock, prometheus.url)
    blue = _revision(cluster.get("deployments", "default", "canary-demo"))

    result, recorder = deploy(api, cluster, "argoproj/rollouts-demo:red", clock, prometheus.url)

    assert result.phase is RolloutPhase.DEGRADED
    assert result.message == (
        "RolloutAborted: Rollout aborted update to revision 2: Background analysis phase error/failed: "
        'Metric "success-rate" assessed Failed due to failed (4) > failureLimit (3)'
    )
    assert [s.weight for s in recorder.snapshots] == [20, 40, 0]
    assert all(s.stable_selector == {"app": "canary-demo", REVISION_LABEL: blue} for s in recorder.snapshots)
    assert recorder.snapshots[-1].annotations[WEIGHT] == "0"
    stable = cluster.get("deployments", "default", "canary-demo")
    assert stable is not None
    assert stable["spec"]["template"]["spec"]["containers"][0]["image"] == "argoproj/rollouts-demo:blue"
    assert cluster.get("deployments", "default", "canary-demo-canary") is None
    assert _selector(cluster, "canary-demo-canary") == {"app": "canary-demo", REVISION_LABEL: blue}

"""An argo-rollouts blue-green example on the fake Kubernetes API, through the real `kubernetes` client:
its Services seeded, the first deploy (old image) done, then `bind()` for the new image. The record is kept
in the cluster (`KubernetesStateStore`, as `canarykit rollout -f` keeps it): the release knows stable's
version."""

from __future__ import annotations

from dataclasses import dataclass

from bluegreen_examples_support import Example

from canarykit import RolloutPhase
from canarykit.argo.rollout import RolloutSpec
from canarykit.kube import KubeAPI, KubeBinding, bind
from canarykit.kube.state_store import KubernetesStateStore
from canarykit.kube.templates import REVISION_LABEL
from canarykit.testing import FakeClock
from canarykit.testing.kube import FakeKubeAPI

NAMESPACE = "default"


@dataclass
class KubeExample:
    """An example's Rollout on a fake cluster, stable on the old image."""

    example: Example
    spec: RolloutSpec
    cluster: FakeKubeAPI
    api: KubeAPI
    store: KubernetesStateStore
    old_revision: str

    @classmethod
    def deployed(cls, example: Example, cluster: FakeKubeAPI, api: KubeAPI, clock: FakeClock) -> KubeExample:
        """Seed the example's Services and run its first deploy on the old image (no analysis, no pause)."""
        for service in example.services():
            cluster.put(service)
        spec, store = example.load(), KubernetesStateStore(api, NAMESPACE, clock=clock)
        first = bind(spec, api, {example.container: example.old_image})
        assert first.first_deploy
        result = first.rollout(clock=clock, state=store).run(first.version, handle_signals=False)
        assert result.phase is RolloutPhase.HEALTHY, str(result)
        return cls(example, spec, cluster, api, store, _revision(cluster, spec.name))

    def release(self) -> KubeBinding:
        """`bind()` for the new image: the blue-green router and workload of the release."""
        binding = bind(self.spec, self.api, {self.example.container: self.example.new_image})
        assert not binding.first_deploy
        return binding

    def selected(self, service: str | None) -> str | None:
        """The revision `service` selects (None: every revision)."""
        assert service is not None
        found = self.cluster.get("services", NAMESPACE, service)
        assert found is not None, service
        value = found["spec"]["selector"].get(REVISION_LABEL)
        return None if value is None else str(value)

    @property
    def old_version(self) -> str:
        """The first deploy's version, as `bind` names it: `container=image`."""
        return f"{self.example.container}={self.example.old_image}"

    @property
    def stable_revision(self) -> str:
        return _revision(self.cluster, self.spec.name)

    @property
    def stable_images(self) -> list[str]:
        stable = self.cluster.get("deployments", NAMESPACE, self.spec.name)
        assert stable is not None
        return [str(container["image"]) for container in stable["spec"]["template"]["spec"]["containers"]]

    @property
    def deployments(self) -> list[str]:
        """The names of the Deployments in the namespace."""
        return sorted(str(found["metadata"]["name"]) for found in self.cluster.list("deployments", NAMESPACE))


def _revision(cluster: FakeKubeAPI, name: str) -> str:
    stable = cluster.get("deployments", NAMESPACE, name)
    assert stable is not None, name
    return str(stable["spec"]["template"]["metadata"]["labels"][REVISION_LABEL])

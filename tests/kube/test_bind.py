"""`canarykit.kube.bind`: a loaded Argo Rollout bound to a (fake) cluster, checked before anything changes.

Also a hand-built `Rollout` with a `SetHeaderRoute` step on the real NginxIngressRouter and
DeploymentWorkload: the header annotations are on the canary Ingress while the step's route is in force,
and gone at the end.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from fake_kube_bodies import deployment_of

from canarykit import Rollout, RolloutPhase
from canarykit.argo import load
from canarykit.argo.rollout import RolloutSpec
from canarykit.errors import RoutingError, SpecError
from canarykit.kube import REVISION_LABEL, DeploymentWorkload, KubeAPI, NginxIngressRouter, bind
from canarykit.kube.templates import parse_image_option, with_images
from canarykit.rollout import events as ev
from canarykit.steps import Pause, SetHeaderRoute, SetWeight, Step
from canarykit.testing import FakeClock
from canarykit.testing.kube import FakeKubeAPI

DATA = Path(__file__).parent.parent / "data"
BLUE = "argoproj/rollouts-demo:blue"
GREEN = "argoproj/rollouts-demo:green"
CANARY_INGRESS = "canary-demo-canary-demo-canary"
PREFIX = "nginx.ingress.kubernetes.io"
WEIGHT = f"{PREFIX}/canary-weight"
HEADER_KEYS = (
    f"{PREFIX}/canary-by-header",
    f"{PREFIX}/canary-by-header-value",
    f"{PREFIX}/canary-by-header-pattern",
)
WRITES = ("POST", "PUT", "PATCH", "DELETE")
START = 1_700_000_000.0


def reference_spec() -> RolloutSpec:
    return load(DATA / "rollout.yaml", DATA / "analysis-template.yaml")


def reference_document() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((DATA / "rollout.yaml").read_text())
    return document


def spec_from(document: dict[str, Any]) -> RolloutSpec:
    return load(yaml.safe_dump(document))


def spec_without_analysis() -> RolloutSpec:
    """The reference Rollout without its background analysis (so it runs without Prometheus)."""
    document = reference_document()
    del document["spec"]["strategy"]["canary"]["analysis"]
    return spec_from(document)


def writes(cluster: FakeKubeAPI) -> list[tuple[str, str, str | None]]:
    return [request for request in cluster.requests if request[0] in WRITES]


def expect_refused(
    cluster: FakeKubeAPI, action: Callable[[], object], error: type[Exception], message: str
) -> Exception:
    """`action` raises `error` with exactly `message`, and the cluster saw no write at all."""
    before = {resource: cluster.list(resource) for resource in ("ingresses", "services", "deployments")}
    cluster.clear_requests()
    with pytest.raises(error) as caught:
        action()
    assert str(caught.value) == message
    assert writes(cluster) == []
    assert {resource: cluster.list(resource) for resource in before} == before
    return caught.value


def deployment(cluster: FakeKubeAPI, name: str = "canary-demo") -> dict[str, Any] | None:
    return cluster.get("deployments", "default", name)


def image_of(cluster: FakeKubeAPI, name: str = "canary-demo") -> str:
    found = deployment(cluster, name)
    assert found is not None
    return str(found["spec"]["template"]["spec"]["containers"][0]["image"])


def canary_annotations(cluster: FakeKubeAPI) -> dict[str, str]:
    found = cluster.get("ingresses", "default", CANARY_INGRESS)
    assert found is not None
    return dict(found["metadata"]["annotations"])


def first_deploy(api: KubeAPI, clock: FakeClock, image: str = BLUE) -> None:
    binding = bind(spec_without_analysis(), api, {"canary-demo": image})
    assert binding.first_deploy
    result = binding.rollout(clock=clock).run(binding.version, handle_signals=False)
    assert result.phase is RolloutPhase.HEALTHY, result.message


# -- refused before anything changes ------------------------------------------------------------------------


def test_missing_stable_ingress(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    cluster.delete("ingresses", "default", "canary-demo")
    expect_refused(
        cluster,
        lambda: bind(reference_spec(), api, {"canary-demo": GREEN}),
        SpecError,
        "ingress `canary-demo` not found in namespace default",
    )


@pytest.mark.parametrize("service", ["canary-demo", "canary-demo-canary"])
def test_missing_service(cluster: FakeKubeAPI, api: KubeAPI, service: str) -> None:
    cluster.delete("services", "default", service)
    error = expect_refused(
        cluster,
        lambda: bind(reference_spec(), api, {"canary-demo": GREEN}),
        SpecError,
        f"spec.strategy.canary: Service default/{service} not found",
    )
    assert isinstance(error, SpecError) and error.path == "spec.strategy.canary"


def test_services_are_looked_up_in_the_bound_namespace(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    expect_refused(
        cluster,
        lambda: bind(reference_spec(), api, {"canary-demo": GREEN}, namespace="shop"),
        SpecError,
        "spec.strategy.canary: Service shop/canary-demo not found",
    )


def test_stable_ingress_without_a_rule_for_the_stable_service(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    ingress = cluster.get("ingresses", "default", "canary-demo")
    assert ingress is not None
    ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"] = "legacy-web"
    cluster.put(ingress)
    expect_refused(
        cluster,
        lambda: bind(reference_spec(), api, {"canary-demo": GREEN}),
        SpecError,
        "ingress `canary-demo` has no rules using service canary-demo backend",
    )


def test_unknown_container_in_images(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    expect_refused(
        cluster,
        lambda: bind(reference_spec(), api, {"x": GREEN}),
        SpecError,
        'unable to find container named "x"',
    )


def test_deployment_whose_selector_differs(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    labels = {"app": "legacy"}
    template = {
        "metadata": {"labels": labels},
        "spec": {"containers": [{"name": "canary-demo", "image": BLUE}]},
    }
    cluster.put(deployment_of("canary-demo", template, 1, labels))
    error = expect_refused(
        cluster,
        lambda: bind(reference_spec(), api, {"canary-demo": GREEN}),
        SpecError,
        "spec.selector: Deployment 'canary-demo' selects {'app': 'legacy'}, "
        "the Rollout {'app': 'canary-demo'}",
    )
    assert isinstance(error, SpecError) and error.path == "spec.selector"


def test_canary_ingress_controlled_by_another_object(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    cluster.put(
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": {"name": CANARY_INGRESS, "namespace": "default", "annotations": {WEIGHT: "0"}},
            "spec": {"rules": []},
        }
    )
    expect_refused(
        cluster,
        lambda: bind(reference_spec(), api, {"canary-demo": GREEN}),
        RoutingError,
        f"canary ingress `{CANARY_INGRESS}` controlled by different object",
    )


def test_a_rollout_without_nginx_routing(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    document = reference_document()
    del document["spec"]["strategy"]["canary"]["trafficRouting"]
    del document["spec"]["strategy"]["canary"]["analysis"]
    spec = spec_from(document)
    expect_refused(
        cluster,
        lambda: bind(spec, api),
        SpecError,
        "spec.strategy.canary.trafficRouting: "
        "needs trafficRouting.nginx or the gatewayAPI plugin to run on Kubernetes",
    )


def test_template_labels_must_match_the_selector(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    template = copy.deepcopy(dict(reference_spec().pod_template))
    template["metadata"]["labels"] = {"app": "something-else"}
    spec = dataclasses.replace(reference_spec(), pod_template=template)  # `load` would refuse it already
    expect_refused(
        cluster,
        lambda: bind(spec, api),
        SpecError,
        "spec.template: selector does not match template labels (missing {'app': 'canary-demo'})",
    )


def test_template_needs_containers(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    spec = dataclasses.replace(
        reference_spec(), pod_template={"metadata": {"labels": {"app": "canary-demo"}}}
    )
    expect_refused(
        cluster, lambda: bind(spec, api), SpecError, "spec.template: needs a pod template with containers"
    )


@pytest.mark.parametrize("text", ["noequals", "=image:v2", "app=", " = "])
def test_parse_image_option_refuses_malformed_text(text: str) -> None:
    with pytest.raises(SpecError, match="expected container=image"):
        parse_image_option(text)


def test_parse_image_option() -> None:
    assert parse_image_option("canary-demo=argoproj/rollouts-demo:green") == ("canary-demo", GREEN)
    assert parse_image_option(" * = registry.example.com:5000/app:v2 ") == (
        "*",
        "registry.example.com:5000/app:v2",
    )


# -- bound ---------------------------------------------------------------------------------------------------


def test_first_deploy(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    cluster.clear_requests()
    binding = bind(reference_spec(), api, {"canary-demo": GREEN})

    assert writes(cluster) == []  # binding only reads
    assert binding.first_deploy is True
    assert binding.version == f"canary-demo={GREEN}"
    assert binding.namespace == "default"
    assert isinstance(binding.router, NginxIngressRouter)
    assert binding.router.stable_ingresses == ["canary-demo"]
    assert (binding.router.stable_service, binding.router.canary_service) == (
        "canary-demo",
        "canary-demo-canary",
    )
    assert binding.workload.name == "canary-demo"
    assert binding.workload.template is not None
    assert binding.workload.template["spec"]["containers"][0]["image"] == GREEN
    assert binding.workload.selector == {"app": "canary-demo"}


def test_first_deploy_runs_without_steps(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    binding = bind(spec_without_analysis(), api, {"canary-demo": GREEN})
    result = binding.rollout(clock=FakeClock(START)).run(binding.version, handle_signals=False)

    assert result.phase is RolloutPhase.HEALTHY, result.message
    assert result.weight_history == ()
    assert image_of(cluster) == GREEN
    assert cluster.get("ingresses", "default", CANARY_INGRESS) is None
    assert deployment(cluster, "canary-demo-canary") is None
    assert bind(spec_without_analysis(), api, {"canary-demo": GREEN}).first_deploy is False


def test_version_without_images_is_the_template_revision(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    binding = bind(reference_spec(), api)
    again = bind(reference_spec(), api)
    assert len(binding.version) == 10 and int(binding.version, 16) >= 0
    assert binding.version == again.version
    assert bind(reference_spec(), api, {}).version == binding.version
    assert binding.workload.template is not None
    assert binding.workload.template["spec"]["containers"][0]["image"] == BLUE  # the Rollout's own


def test_several_images_give_a_sorted_version(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    binding = bind(reference_spec(), api, {"*": "registry/app:v3", "canary-demo": GREEN})
    assert binding.version == f"*=registry/app:v3,canary-demo={GREEN}"


def test_same_image_as_stable_is_fast_tracked(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    clock = FakeClock(START)
    first_deploy(api, clock, BLUE)
    stable_before = deployment(cluster)
    assert stable_before is not None

    binding = bind(spec_without_analysis(), api, {"canary-demo": BLUE})
    assert binding.first_deploy is False
    cluster.clear_requests()
    result = binding.rollout(clock=clock).run(binding.version, handle_signals=False)

    assert result.phase is RolloutPhase.HEALTHY, result.message
    assert result.weight_history == ()
    assert [e for e in result.events if isinstance(e, ev.WeightChanged)] == []
    assert any("promoted without steps" in e.message for e in result.events if isinstance(e, ev.Promoted))
    assert cluster.get("ingresses", "default", CANARY_INGRESS) is None
    assert deployment(cluster, "canary-demo-canary") is None
    assert writes(cluster) == []  # stable already runs it and its Service already selects it
    stable_after = deployment(cluster)
    assert stable_after is not None
    assert stable_after["spec"]["template"] == stable_before["spec"]["template"]  # no rolling update


def test_a_new_image_goes_through_the_steps(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    clock = FakeClock(START)
    first_deploy(api, clock, BLUE)
    blue = deployment(cluster)
    assert blue is not None

    binding = bind(spec_without_analysis(), api, {"canary-demo": GREEN}, delete_on_complete=True)
    weights: list[str] = []

    def on_event(event: ev.Event) -> None:
        if isinstance(event, ev.WeightChanged):
            weights.append(canary_annotations(cluster)[WEIGHT])

    result = binding.rollout(clock=clock, on_event=on_event).run(binding.version, handle_signals=False)

    assert result.phase is RolloutPhase.HEALTHY, result.message
    assert result.weight_history == (20, 40, 60, 80, 100, 0)
    assert weights == ["20", "40", "60", "80", "100", "0"]
    assert image_of(cluster) == GREEN
    green = deployment(cluster)
    assert green is not None
    revision = green["spec"]["template"]["metadata"]["labels"][REVISION_LABEL]
    stable_service = cluster.get("services", "default", "canary-demo")
    assert stable_service is not None
    assert stable_service["spec"]["selector"] == {"app": "canary-demo", REVISION_LABEL: revision}
    assert deployment(cluster, "canary-demo-canary") is None
    assert cluster.get("ingresses", "default", CANARY_INGRESS) is None  # delete_on_complete


# -- SetHeaderRoute on the real router and workload ---------------------------------------------------------


def header_rollout(
    api: KubeAPI, clock: FakeClock, on_event: Callable[[ev.Event], None] | None = None
) -> Rollout:
    template = with_images(reference_spec().pod_template, {"canary-demo": GREEN})
    router = NginxIngressRouter(api, "canary-demo", "canary-demo", "canary-demo", "canary-demo-canary")
    workload = DeploymentWorkload(
        api,
        "canary-demo",
        stable_service="canary-demo",
        canary_service="canary-demo-canary",
        template=template,
        selector={"app": "canary-demo"},
        replicas=1,
    )
    steps: list[Step] = [SetWeight(20), SetHeaderRoute("X-Canary", value="yes"), Pause(10), SetWeight(50)]
    return Rollout("canary-demo", steps, router, workload, clock=clock, on_event=on_event)


def header_annotations(cluster: FakeKubeAPI) -> dict[str, str]:
    return {key: value for key, value in canary_annotations(cluster).items() if key in HEADER_KEYS}


def test_header_route_is_on_the_canary_ingress_during_the_pause(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    clock = FakeClock(START)
    first_deploy(api, clock, BLUE)
    during: list[tuple[dict[str, str], str]] = []

    def on_event(event: ev.Event) -> None:
        if isinstance(event, ev.Paused):
            during.append((header_annotations(cluster), canary_annotations(cluster)[WEIGHT]))

    result = header_rollout(api, clock, on_event).run(f"canary-demo={GREEN}", handle_signals=False)

    assert result.phase is RolloutPhase.HEALTHY, result.message
    assert result.weight_history == (20, 50, 100, 0)
    assert during == [
        ({f"{PREFIX}/canary-by-header": "X-Canary", f"{PREFIX}/canary-by-header-value": "yes"}, "20")
    ]
    assert header_annotations(cluster) == {}  # removed at promotion
    assert canary_annotations(cluster)[WEIGHT] == "0"  # the canary Ingress is kept, as Argo keeps it
    assert image_of(cluster) == GREEN
    assert deployment(cluster, "canary-demo-canary") is None


def test_header_route_is_removed_on_abort(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    clock = FakeClock(START)
    first_deploy(api, clock, BLUE)
    rollout = header_rollout(api, clock)
    rollout.start(f"canary-demo={GREEN}")

    during: dict[str, str] | None = None
    while (wake := rollout.advance()) is not None:
        status = rollout.status
        assert status is not None
        if status.phase is RolloutPhase.PAUSED and during is None:
            during = header_annotations(cluster)
            rollout.abort("stopped by hand")
            continue
        clock.set(max(wake, clock.now()))

    assert during == {f"{PREFIX}/canary-by-header": "X-Canary", f"{PREFIX}/canary-by-header-value": "yes"}
    result = rollout.result()
    assert result.phase is RolloutPhase.DEGRADED
    assert "stopped by hand" in result.message
    assert result.weight_history == (20, 0)
    assert header_annotations(cluster) == {}
    assert canary_annotations(cluster)[WEIGHT] == "0"
    assert image_of(cluster) == BLUE  # stable never took the canary's version
    assert deployment(cluster, "canary-demo-canary") is None


def test_a_header_nginx_cannot_use_is_refused_before_the_rollout(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    router = NginxIngressRouter(api, "canary-demo", "canary-demo", "canary-demo", "canary-demo-canary")
    workload = DeploymentWorkload(
        api, "canary-demo", stable_service="canary-demo", canary_service="canary-demo-canary"
    )
    cluster.clear_requests()
    with pytest.raises(SpecError) as caught:
        Rollout("canary-demo", [SetWeight(20), SetHeaderRoute("X_Canary")], router, workload)
    assert caught.value.path == "steps[1]"
    assert "nginx ignores header names" in str(caught.value)
    assert cluster.requests == []

"""`bind()` on an Argo `strategy.blueGreen` Rollout: a `BlueGreenServiceRouter` and a `DeploymentWorkload` on
the activeService and previewService, checked before anything changes, then whole releases on the fake API."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from bluegreen_support import (
    ACTIVE,
    MANAGED_BY_ROLLOUTS,
    NAME,
    PREVIEW,
    SELECTOR,
    SERVICES_PATH,
    annotations_of,
    seed,
    selected,
    service,
)
from reference_history import ReferencePrometheus

from canarykit import RolloutPhase
from canarykit.argo import load
from canarykit.argo.rollout import RolloutSpec
from canarykit.errors import SpecError, UnsupportedFeature
from canarykit.kube import KubeAPI, bind, connect
from canarykit.kube.bluegreen_services import BlueGreenServiceRouter
from canarykit.kube.templates import REVISION_LABEL
from canarykit.testing import FakeClock
from canarykit.testing.kube import FakeKubeAPI

BLUE, GREEN = "argoproj/rollouts-demo:blue", "argoproj/rollouts-demo:green"
WRITES = ("POST", "PUT", "PATCH", "DELETE")
TEMPLATE = {
    "metadata": {"labels": dict(SELECTOR)},
    "spec": {
        "containers": [{"name": NAME, "image": BLUE, "ports": [{"name": "http", "containerPort": 8080}]}]
    },
}
SUCCESS_RATE = {
    "apiVersion": "argoproj.io/v1alpha1",
    "kind": "AnalysisTemplate",
    "metadata": {"name": "success-rate"},
    "spec": {
        "metrics": [
            {
                "name": "success-rate",
                "count": 1,
                "successCondition": "result[0] > 0.90",
                "provider": {
                    "prometheus": {
                        "address": "http://prometheus:9090",
                        "query": 'sum(rate(nginx_ingress_controller_requests{ingress="canary-demo",'
                        'status!~"[4-5].*"}[60s]))/sum(rate(nginx_ingress_controller_requests'
                        '{ingress="canary-demo"}[60s]))',
                    }
                },
            }
        ]
    },
}


def rollout_document(**blue_green: Any) -> dict[str, Any]:
    strategy = {"activeService": ACTIVE, "previewService": PREVIEW, "scaleDownDelaySeconds": 0, **blue_green}
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "metadata": {"name": NAME},
        "spec": {
            "replicas": 3,
            "selector": {"matchLabels": dict(SELECTOR)},
            "template": TEMPLATE,
            "strategy": {"blueGreen": {k: v for k, v in strategy.items() if v is not None}},
        },
    }


def spec_of(**blue_green: Any) -> RolloutSpec:
    return load(yaml.safe_dump_all([rollout_document(**blue_green), SUCCESS_RATE]))


@pytest.fixture
def cluster() -> Iterator[FakeKubeAPI]:
    with FakeKubeAPI() as kube:
        seed(kube, with_deployment=False)
        yield kube


@pytest.fixture
def api(cluster: FakeKubeAPI) -> KubeAPI:
    return connect(host=cluster.url, request_timeout=5)


def writes(cluster: FakeKubeAPI) -> list[tuple[str, str, str | None]]:
    return [r for r in cluster.requests if r[0] in WRITES]


def deploy_blue(api: KubeAPI, clock: FakeClock) -> None:
    """The first deploy: the stable Deployment created on blue, no analysis."""
    binding = bind(spec_of(), api, {NAME: BLUE})
    binding.rollout(clock=clock).run(binding.version, handle_signals=False).raise_for_status()


def service_switches(cluster: FakeKubeAPI) -> list[str]:
    """The Services written to, in order."""
    return [r[1].rsplit("/", 1)[1] for r in writes(cluster) if r[1].startswith(SERVICES_PATH)]


def stable_revision(cluster: FakeKubeAPI) -> str:
    """The revision the stable Deployment's pods carry."""
    stable = cluster.get("deployments", "default", NAME)
    assert stable is not None
    return str(stable["spec"]["template"]["metadata"]["labels"][REVISION_LABEL])


def stable_image(cluster: FakeKubeAPI) -> str:
    stable = cluster.get("deployments", "default", NAME)
    assert stable is not None
    return str(stable["spec"]["template"]["spec"]["containers"][0]["image"])


# -- bind ------------------------------------------------------------------------------------------------


def test_bind_builds_the_service_router_and_a_workload_on_active_and_preview(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    cluster.clear_requests()

    binding = bind(spec_of(), api, {NAME: GREEN})

    router = binding.router
    assert isinstance(router, BlueGreenServiceRouter)
    assert (router.active_service, router.preview_service, router.rollout_name) == (ACTIVE, PREVIEW, NAME)
    assert router.workload is binding.workload
    services = binding.workload.services
    assert (services.stable_service, services.canary_service) == (ACTIVE, "")  # the router owns the preview
    assert binding.first_deploy and binding.version == f"{NAME}={GREEN}"
    assert writes(cluster) == []


def test_bind_without_a_preview_service(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    binding = bind(spec_of(previewService=None), api)

    assert isinstance(binding.router, BlueGreenServiceRouter)
    assert binding.router.preview_service is None
    assert binding.workload.services.canary_service == ""


def test_a_missing_preview_service_is_named_before_anything_changes(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    cluster.delete("services", "default", PREVIEW)
    cluster.clear_requests()

    with pytest.raises(SpecError, match=f"spec.strategy.blueGreen: Service default/{PREVIEW} not found"):
        bind(spec_of(), api)
    assert writes(cluster) == []


def test_a_service_selecting_other_pods_is_refused_with_argos_message(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    cluster.put(service(ACTIVE, {**SELECTOR, "tier": "web"}))

    with pytest.raises(SpecError) as caught:
        bind(spec_of(), api)
    assert caught.value.path == "spec.strategy.blueGreen.activeService"
    assert caught.value.reason == f'Service "{ACTIVE}" has unmatch label "tier" in rollout'


def test_a_service_already_pinned_to_a_revision_is_accepted(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    cluster.put(service(ACTIVE, {**SELECTOR, REVISION_LABEL: "0123456789"}))
    assert isinstance(bind(spec_of(), api).router, BlueGreenServiceRouter)


def test_adopting_a_blue_green_argo_rollout_is_refused(api: KubeAPI) -> None:
    with pytest.raises(UnsupportedFeature, match="only done for the canary strategy"):
        bind(spec_of(), api, adopt=True)


# -- whole releases through Rollout ------------------------------------------------------------------------


def test_a_release_switches_preview_then_active_and_ends_on_the_new_stable(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    clock = FakeClock(1_700_000_000.0)
    deploy_blue(api, clock)
    blue = stable_revision(cluster)
    assert selected(cluster, ACTIVE) == blue
    cluster.clear_requests()

    binding = bind(spec_of(), api, {NAME: GREEN})
    result = binding.rollout(clock=clock).run(binding.version, handle_signals=False)

    assert result.phase is RolloutPhase.HEALTHY, str(result)
    green = stable_revision(cluster)
    assert green != blue and stable_image(cluster) == GREEN
    assert (selected(cluster, ACTIVE), selected(cluster, PREVIEW)) == (green, green)
    assert cluster.get("deployments", "default", f"{NAME}-canary") is None
    assert service_switches(cluster) == [PREVIEW, ACTIVE]  # the preview first, then one active switch
    for name in (ACTIVE, PREVIEW):
        assert annotations_of(cluster, name) == {MANAGED_BY_ROLLOUTS: NAME}
    assert result.weight_history[-2:] == (100, 0)
    switched = [event.message for event in result.events if "Switched selector" in event.message]
    old, new = f"'{NAME}={BLUE}'", f"'{NAME}={GREEN}'"  # no state store: the workload names stable's version
    assert switched == [
        f"Switched selector for service '{name}' from {old} to {new}" for name in (PREVIEW, ACTIVE)
    ]


def test_without_auto_promotion_it_waits_with_active_on_the_old_version(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    clock = FakeClock(1_700_000_000.0)
    deploy_blue(api, clock)
    blue = stable_revision(cluster)
    binding = bind(spec_of(autoPromotionEnabled=False), api, {NAME: GREEN})
    rollout = binding.rollout(clock=clock)
    rollout.start(binding.version)

    during: tuple[str | None, str | None, str] | None = None
    while (wake := rollout.advance()) is not None:
        status = rollout.status
        assert status is not None
        if status.phase is RolloutPhase.PAUSED and during is None:
            during = (selected(cluster, ACTIVE), selected(cluster, PREVIEW), status.message)
            rollout.promote()
            continue
        clock.set(max(wake, clock.now()))

    green = stable_revision(cluster)
    assert green != blue
    assert during == (blue, green, "BlueGreenPause")  # waiting: active on blue, preview on green
    assert rollout.result().phase is RolloutPhase.HEALTHY
    assert selected(cluster, ACTIVE) == green


@pytest.mark.prometheus
def test_a_failed_post_promotion_analysis_switches_active_back(
    cluster: FakeKubeAPI, api: KubeAPI, prometheus: ReferencePrometheus
) -> None:
    clock = FakeClock(prometheus.healthy_start + 60)
    deploy_blue(api, clock)
    blue = stable_revision(cluster)
    analysis = {"templates": [{"templateName": "success-rate"}]}
    wait = int(prometheus.failing_start - prometheus.healthy_start)  # the switch lands in the failing window
    spec = spec_of(prePromotionAnalysis=analysis, postPromotionAnalysis=analysis, autoPromotionSeconds=wait)
    binding = bind(spec, api, {NAME: GREEN})
    cluster.clear_requests()

    result = binding.rollout(clock=clock, prometheus=prometheus.url).run(
        binding.version, handle_signals=False
    )

    assert result.phase is RolloutPhase.DEGRADED, str(result)
    assert "post-promotion analysis" in result.message
    assert 100 in result.weight_history and result.weight_history[-1] == 0
    assert selected(cluster, ACTIVE) == blue and stable_image(cluster) == BLUE
    assert (
        selected(cluster, PREVIEW) == blue and cluster.get("deployments", "default", f"{NAME}-canary") is None
    )
    assert service_switches(cluster) == [PREVIEW, ACTIVE, ACTIVE, PREVIEW]  # active back in one patch

"""`canarykit rollout` with a Gateway API Rollout, as with ingress-nginx: the reference scenario with its
`trafficRouting` swapped for the gatewayAPI plugin's (the migration docs/gateway-api.md describes), and the
plugin's header-route example promoted from another terminal."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from cli_support import in_process
from kube_support import DATA, TOKEN, write_kubeconfig
from reference_history import ReferencePrometheus

from canarykit.testing.kube import FakeKubeAPI

EXAMPLES = Path(__file__).parents[2] / "examples" / "gateway-api"
TEMPLATE = str(DATA / "analysis-template.yaml")
LABEL = "rollouts.argoproj.io/gatewayapi-canary"
ROUTE = {
    "apiVersion": "gateway.networking.k8s.io/v1",
    "kind": "HTTPRoute",
    "metadata": {"name": "canary-demo", "namespace": "default"},
    "spec": {
        "parentRefs": [{"name": "gateway"}],
        "rules": [
            {"backendRefs": [{"name": "canary-demo", "port": 80}, {"name": "canary-demo-canary", "port": 80}]}
        ],
    },
}


@pytest.fixture
def gateway_cluster(cluster: FakeKubeAPI) -> FakeKubeAPI:
    """The reference Services with an HTTPRoute in front of them (and no Ingress)."""
    cluster.delete("ingresses", "default", "canary-demo")
    cluster.put(ROUTE)
    return cluster


@pytest.fixture
def kubeconfig(gateway_cluster: FakeKubeAPI, tmp_path: Path) -> str:
    return str(write_kubeconfig(tmp_path / "kubeconfig", gateway_cluster.url))


def gateway_rollout(tmp_path: Path) -> str:
    """tests/data/rollout.yaml with `trafficRouting: {plugins: {argoproj-labs/gatewayAPI: ...}}`."""
    document = yaml.safe_load((DATA / "rollout.yaml").read_text())
    document["spec"]["strategy"]["canary"]["trafficRouting"] = {
        "plugins": {"argoproj-labs/gatewayAPI": {"httpRoute": "canary-demo"}}
    }
    path = tmp_path / "rollout-gateway.yaml"
    path.write_text(yaml.safe_dump(document))
    return str(path)


def canarykit(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "canarykit", *args], capture_output=True, text=True, timeout=120
    )


def weights(route: dict[str, Any] | None) -> dict[str, int]:
    assert route is not None
    return {ref["name"]: ref["weight"] for rule in route["spec"]["rules"] for ref in rule["backendRefs"]}


def test_the_reference_scenario_on_gateway_api_fails_as_on_ingress_nginx(
    gateway_cluster: FakeKubeAPI,
    kubeconfig: str,
    tmp_path: Path,
    prometheus: ReferencePrometheus,
    capsys: pytest.CaptureFixture[str],
) -> None:
    base = ["rollout", "-f", gateway_rollout(tmp_path), "-f", TEMPLATE, "--kubeconfig", kubeconfig, "--image"]
    assert in_process(capsys, *base, "canary-demo=argoproj/rollouts-demo:blue")[0] == 0  # first deploy
    at = str(int(prometheus.failing_start + 60))

    done = canarykit(
        *base, "canary-demo=argoproj/rollouts-demo:red", "--prometheus", prometheus.url, "--at", at
    )

    assert done.returncode == 1, done.stderr
    assert "canary weight 0 -> 20" in done.stdout
    message = (
        "RolloutAborted: Rollout aborted update to revision 2: Background analysis phase error/failed: "
        'Metric "success-rate" assessed Failed due to failed (4) > failureLimit (3)'
    )
    assert done.stdout.splitlines()[-1].split("; why: ")[0] == f"✖ Degraded: step 3/8. {message}"
    assert TOKEN not in done.stdout + done.stderr
    route = gateway_cluster.get("httproutes", "default", "canary-demo")
    assert weights(route) == {"canary-demo": 100, "canary-demo-canary": 0}
    assert route is not None and LABEL not in (route["metadata"].get("labels") or {})


def test_a_healthy_version_is_promoted_through_the_route(
    gateway_cluster: FakeKubeAPI,
    kubeconfig: str,
    tmp_path: Path,
    prometheus: ReferencePrometheus,
    capsys: pytest.CaptureFixture[str],
) -> None:
    base = ["rollout", "-f", gateway_rollout(tmp_path), "-f", TEMPLATE, "--kubeconfig", kubeconfig, "--image"]
    assert in_process(capsys, *base, "canary-demo=argoproj/rollouts-demo:blue")[0] == 0
    at = str(int(prometheus.healthy_start + 60))

    done = canarykit(
        *base, "canary-demo=argoproj/rollouts-demo:green", "--prometheus", prometheus.url, "--at", at
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].startswith("✔ Healthy: step 8/8")
    assert weights(gateway_cluster.get("httproutes", "default", "canary-demo")) == {
        "canary-demo": 100,
        "canary-demo-canary": 0,
    }


def test_the_plugins_header_route_example_promoted_from_another_terminal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = EXAMPLES / "header-routes"
    with FakeKubeAPI() as cluster:
        for name in ("service.yaml", "httproute.yaml"):
            for document in yaml.safe_load_all((folder / name).read_text()):
                cluster.put(document)
        kubeconfig = str(write_kubeconfig(tmp_path / "kubeconfig", cluster.url))
        arguments = ["rollout", "-f", str(folder / "rollout.yaml"), "--kubeconfig", kubeconfig, "--image"]
        assert in_process(capsys, *arguments, "http-echo=hashicorp/http-echo:1.0")[0] == 0
        driver = subprocess.Popen(
            [sys.executable, "-m", "canarykit", *arguments, "http-echo=hashicorp/http-echo:1.1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert driver.stdout is not None
            route_rules: list[list[str]] = []
            for line in driver.stdout:  # each indefinite pause: look at the route, then promote
                if "paused: CanaryPauseStep" in line:
                    route = cluster.get("httproutes", "default", "argo-rollouts-http-route")
                    assert route is not None
                    route_rules.append([rule.get("name", "") for rule in route["spec"]["rules"]])
                    done = in_process(capsys, "promote", "rollouts-demo", "--kubeconfig", kubeconfig)
                    assert done[0] == 0, done
            assert driver.wait(timeout=60) == 0, driver.stderr.read() if driver.stderr else ""
        finally:
            driver.kill()
            driver.wait()
        assert route_rules == [[""], ["", "argo-rollouts"]]  # the header rule exists at the second pause
        final = cluster.get("httproutes", "default", "argo-rollouts-http-route")
        assert final is not None and [rule.get("name") for rule in final["spec"]["rules"]] == [None]
        assert weights(final) == {"argo-rollouts-stable-service": 100, "argo-rollouts-canary-service": 0}

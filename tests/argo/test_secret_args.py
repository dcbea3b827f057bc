"""`valueFrom.secretKeyRef` template args, read through the Kubernetes API (a fake API server and the real
client): resolved, Argo's messages when missing, refused at `load()` without a cluster, never shown."""

from __future__ import annotations

import base64
import copy
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
import yaml
from kube_support import write_kubeconfig

from canarykit import ArgumentError, RolloutPhase, SpecError, UnsupportedFeature
from canarykit.analysis.take import take_measurement
from canarykit.argo import load, load_analysis_template
from canarykit.argo.templating import MASK, merge_arguments
from canarykit.cli.main import EXIT_USAGE, main
from canarykit.httpserver import ConnectionTrackingHTTPServer
from canarykit.kube import KubeAPI, bind, connect
from canarykit.kube.cluster import KubeCluster
from canarykit.testing import FakeClock
from canarykit.testing.kube import FakeKubeAPI

DATA = Path(__file__).parent.parent / "data"
TOKEN = "tok-5e7b1d-never-shown"
BACKGROUND = "spec.strategy.canary.analysis"
TEMPLATE = """
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: web-check}
spec:
  args:
    - name: base-url
    - name: api-token
      valueFrom: {secretKeyRef: {name: token-secret, key: apiToken}}
  metrics:
    - name: webmetric
      successCondition: result == true
      provider:
        web:
          url: "{{args.base-url}}/check"
          headers: [{key: Authorization, value: "Bearer {{ args.api-token }}"}]
          jsonPath: "{$.ok}"
"""


class TokenChecker(BaseHTTPRequestHandler):
    """`{"ok": true}` for the right bearer token, `{"ok": false}` for any other; records what came."""

    server: TokenServer

    def do_GET(self) -> None:
        authorization = self.headers.get("Authorization", "")
        self.server.seen.append(authorization)
        body = json.dumps({"ok": authorization == f"Bearer {TOKEN}", "echo": self.path}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


class TokenServer(ConnectionTrackingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), TokenChecker)
        self.seen: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def web() -> Iterator[TokenServer]:
    server = TokenServer()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.close_connections()
    server.server_close()
    thread.join(timeout=10)


def create_secret(api: KubeAPI, data: dict[str, str], name: str = "token-secret") -> None:
    """A Secret made through the API, as `kubectl create secret generic` makes it (base64 `data`)."""
    encoded = {key: base64.b64encode(value.encode()).decode() for key, value in data.items()}
    body = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": name},
        "type": "Opaque",
        "data": encoded,
    }
    api.create("secrets", "default", body)


def rollout_yaml(**args: str) -> str:
    """The reference Rollout whose background analysis runs `web-check` with `args`."""
    document = yaml.safe_load((DATA / "rollout.yaml").read_text())
    analysis = document["spec"]["strategy"]["canary"]["analysis"]
    analysis["templates"] = [{"templateName": "web-check"}]
    analysis["args"] = [{"name": name, "value": value} for name, value in args.items()]
    return yaml.safe_dump(document)


def test_the_arg_is_read_from_the_secret_through_the_api(
    api: KubeAPI, cluster: FakeKubeAPI, web: TokenServer
) -> None:
    create_secret(api, {"apiToken": TOKEN})
    template = load_analysis_template(TEMPLATE, cluster=KubeCluster(api))
    result = template.instantiate(args={"base-url": web.url}).run()
    assert result.phase.value == "Successful" and web.seen == [f"Bearer {TOKEN}"]
    assert ("GET", "/api/v1/namespaces/default/secrets/token-secret") in [r[:2] for r in cluster.requests]


def test_the_secret_is_read_over_a_value_given_as_argo_does(api: KubeAPI, web: TokenServer) -> None:
    create_secret(api, {"apiToken": TOKEN})
    template = load_analysis_template(TEMPLATE, cluster=KubeCluster(api))
    result = template.instantiate(args={"base-url": web.url, "api-token": "given"}).run()
    assert result.phase.value == "Successful" and web.seen == [f"Bearer {TOKEN}"]


def test_a_missing_secret_or_key_gives_argos_message(api: KubeAPI) -> None:
    template = load_analysis_template(TEMPLATE, cluster=KubeCluster(api))
    with pytest.raises(ArgumentError) as missing:
        template.metrics({"base-url": "http://127.0.0.1:1"})
    assert missing.value.reason == 'Unable to resolve metric arguments: secrets "token-secret" not found'
    assert missing.value.path == "spec.args[1].valueFrom.secretKeyRef"
    create_secret(api, {"other": "x"})
    with pytest.raises(ArgumentError) as no_key:
        template.metrics({"base-url": "http://127.0.0.1:1"})
    assert no_key.value.reason == (
        "Unable to resolve metric arguments: key 'apiToken' does not exist in secret 'token-secret'"
    )


def test_without_a_cluster_the_arg_needs_a_value(web: TokenServer) -> None:
    template = load_analysis_template(TEMPLATE)
    with pytest.raises(UnsupportedFeature) as refused:
        template.metrics({"base-url": web.url})
    assert refused.value.path == "spec.args[1].valueFrom.secretKeyRef"
    assert refused.value.reason.startswith('args.api-token reads key "apiToken" of Secret "token-secret"')
    assert "canarykit.kube.KubeCluster(api, namespace)" in refused.value.reason
    assert template.instantiate(args={"base-url": web.url, "api-token": TOKEN}).run().successful


def test_load_refuses_a_secret_arg_without_a_cluster_unless_the_rollout_gives_it(api: KubeAPI) -> None:
    with pytest.raises(UnsupportedFeature) as refused:
        load(rollout_yaml(**{"base-url": "http://web"}), TEMPLATE)
    assert refused.value.path == f"{BACKGROUND}.args"
    assert refused.value.reason.startswith(
        'AnalysisTemplate web-check: args.api-token reads key "apiToken" of Secret "token-secret", which '
        "needs a cluster: pass cluster="
    )
    assert load(rollout_yaml(**{"base-url": "http://web", "api-token": "t"}), TEMPLATE).background
    spec = load(rollout_yaml(**{"base-url": "http://web"}), TEMPLATE, cluster=KubeCluster(api))
    assert spec.background is not None and isinstance(spec.background.templates[0].cluster, KubeCluster)


def test_a_bound_rollout_reads_the_secret_in_its_namespace_and_runs(
    api: KubeAPI, cluster: FakeKubeAPI, web: TokenServer
) -> None:
    create_secret(api, {"apiToken": TOKEN})
    spec = load(rollout_yaml(**{"base-url": web.url}), TEMPLATE, cluster=KubeCluster(api, "elsewhere"))
    for image in ("blue", "green"):  # a first deploy, then a rollout with its background analysis
        binding = bind(spec, api, {"canary-demo": f"argoproj/rollouts-demo:{image}"})
        bound = binding.spec.background
        assert bound is not None and bound.templates[0].cluster.namespace == "default"  # type: ignore[union-attr]
        result = binding.rollout(clock=FakeClock(1_700_000_000.0)).run(binding.version, handle_signals=False)
        assert result.phase is RolloutPhase.HEALTHY
    assert web.seen and set(web.seen) == {f"Bearer {TOKEN}"}


def test_a_bound_rollout_whose_secret_is_missing_fails_before_anything_changes(
    api: KubeAPI, cluster: FakeKubeAPI
) -> None:
    spec = load(rollout_yaml(**{"base-url": "http://web"}), TEMPLATE, cluster=KubeCluster(api))
    binding = bind(spec, api, {"canary-demo": "argoproj/rollouts-demo:green"})
    cluster.clear_requests()
    with pytest.raises(SpecError, match='secrets "token-secret" not found'):
        binding.rollout(clock=FakeClock(1_700_000_000.0))
    assert [request for request in cluster.requests if request[0] != "GET"] == []


def test_secret_values_are_masked_in_reprs_and_measurement_messages(api: KubeAPI, web: TokenServer) -> None:
    create_secret(api, {"apiToken": TOKEN})
    template = load_analysis_template(TEMPLATE, cluster=KubeCluster(api))
    values = merge_arguments(template.spec.args, {"base-url": web.url}, cluster=KubeCluster(api))
    assert values["api-token"] == TOKEN and TOKEN not in repr(values) and MASK in repr(values)
    [metric] = template.metrics({"base-url": web.url})
    assert TOKEN not in repr(metric) + repr(template) + repr(metric.provider)


def test_a_masked_provider_hides_a_secret_the_answer_echoes(api: KubeAPI, web: TokenServer) -> None:
    """Argo's example keeps a whole URL in a Secret; an answer echoing it is masked as Argo masks it."""
    create_secret(api, {"apiToken": TOKEN})
    document = yaml.safe_load(TEMPLATE)
    web_spec = document["spec"]["metrics"][0]["provider"]["web"]
    web_spec.update(url="{{args.base-url}}/check?key={{args.api-token}}", jsonPath="{$.echo}")
    del web_spec["headers"]
    text = yaml.safe_dump(document)
    template = load_analysis_template(text, cluster=KubeCluster(api))
    [metric] = template.metrics({"base-url": web.url})
    observation = metric.provider.measure(None, 0.0)  # a template's providers come masked
    assert observation.text == f'"/check?key={MASK}"' and observation.value == f"/check?key={TOKEN}"
    measurement = take_measurement(metric, FakeClock(1_700_000_000.0))
    assert TOKEN not in measurement.value + measurement.message + repr(measurement.metadata)


def test_a_secret_that_is_not_base64_is_named_without_its_value() -> None:
    """A real API server refuses such a Secret; one that is not conformant could serve it (no validation)."""
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "token-secret", "namespace": "default"},
    }
    with FakeKubeAPI(validate=False) as lax:
        lax.put({**copy.deepcopy(secret), "data": {"apiToken": "%%%" + TOKEN}})
        with pytest.raises(ArgumentError) as caught:
            KubeCluster(connect(host=lax.url, request_timeout=5)).read_secret("token-secret", "apiToken")
    assert caught.value.reason == "key 'apiToken' of secret 'token-secret' is not valid base64"
    assert TOKEN not in str(caught.value)


def test_the_cli_loads_with_the_cluster_and_names_a_missing_secret(
    cluster: FakeKubeAPI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {"rollout.yaml": rollout_yaml(**{"base-url": "http://web"}), "template.yaml": TEMPLATE}
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    kubeconfig = str(write_kubeconfig(tmp_path / "kubeconfig", cluster.url))
    image = "canary-demo=argoproj/rollouts-demo:green"
    arguments = ["rollout", "-f", str(tmp_path / "rollout.yaml"), "-f", str(tmp_path / "template.yaml")]
    cluster.clear_requests()
    code = main([*arguments, "--image", image, "--kubeconfig", kubeconfig])
    assert code == EXIT_USAGE  # a missing Secret is an ArgumentError: bad input, found before anything moves
    assert 'secrets "token-secret" not found' in capsys.readouterr().err
    assert [request for request in cluster.requests if request[0] != "GET"] == []

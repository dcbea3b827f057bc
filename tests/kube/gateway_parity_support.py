"""Shared by the Gateway API plugin parity tests: routes in the fake API, the router, snapshots after steps.

What is compared is what the API server keeps. The expected documents are the bodies the plugin's code sends
(`httpRouteClient.Update(...)`: Go structs serialized with `omitempty`); `as_stored` writes such a body to the
same fake API (in a namespace of its own) and reads it back, so both sides pass through the same server
(its defaults and schema checks, when it has them) before they are compared, whole `spec` and labels.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml
from gateway_router_support import PLURALS

from canarykit.argo.rollout import RolloutSpec
from canarykit.kube import KubeAPI
from canarykit.kube.gateway_router import GatewayAPIRouter, GatewayRoute
from canarykit.rollout import events as ev
from canarykit.rollout.orchestrator import Rollout
from canarykit.steps import Pause
from canarykit.testing import FakeClock, FakeKubeAPI

ROOT = Path(__file__).resolve().parents[2]
PARITY = ROOT / "tests" / "data" / "gateway_api" / "parity"
EXAMPLES = ROOT / "examples" / "gateway-api"
EXPECTED_NAMESPACE = "parity-expected"
Doc = dict[str, Any]
State = dict[str, Any]
_scratch = itertools.count()


def load_docs(path: Path) -> list[Doc]:
    """Every YAML document in `path`."""
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def create_routes(api: KubeAPI, docs: Iterable[Doc], namespace: str = "default") -> None:
    """Create each route through the API, as `kubectl apply` of the user's file would."""
    for doc in docs:
        api.create(PLURALS[doc["kind"]], doc["metadata"].get("namespace", namespace), doc)


def state_of(obj: Doc) -> State:
    """The parts of a stored route the plugin decides: its whole spec and its labels."""
    return {"spec": obj.get("spec"), "labels": (obj.get("metadata") or {}).get("labels") or {}}


def stored(kube: FakeKubeAPI, kind: str, name: str, namespace: str = "default") -> State:
    """The stored route's spec and labels."""
    obj = kube.get(PLURALS[kind], namespace, name)
    assert obj is not None, f"{kind} {namespace}/{name} is not stored"
    return state_of(obj)


def as_stored(api: KubeAPI, kind: str, spec: Doc, labels: dict[str, str] | None = None) -> State:
    """What the server keeps when a route with this `spec` and `labels` is written: created, read, deleted."""
    name = f"expected-{next(_scratch)}"
    metadata: Doc = {"name": name, "namespace": EXPECTED_NAMESPACE}
    if labels:
        metadata["labels"] = dict(labels)
    body = {"apiVersion": api_version(kind), "kind": kind, "metadata": metadata, "spec": copy.deepcopy(spec)}
    created = api.create(PLURALS[kind], EXPECTED_NAMESPACE, body)
    api.delete(PLURALS[kind], EXPECTED_NAMESPACE, name)
    return state_of(created)


def api_version(kind: str) -> str:
    """HTTPRoute and GRPCRoute are v1; TCPRoute and TLSRoute only v1alpha2 (experimental channel)."""
    version = "v1" if kind in ("HTTPRoute", "GRPCRoute") else "v1alpha2"
    return f"gateway.networking.k8s.io/{version}"


def router_for_spec(api: KubeAPI, spec: RolloutSpec) -> GatewayAPIRouter:
    """The router of a loaded Rollout's `argoproj-labs/gatewayAPI` configuration, checked as `bind()` does."""
    routing = spec.gateway_api
    assert routing is not None and spec.stable_service and spec.canary_service
    routes = [GatewayRoute(r.kind, r.name, r.selector, r.use_header_routes) for r in routing.routes]
    router = GatewayAPIRouter(
        api,
        spec.stable_service,
        spec.canary_service,
        routes,
        namespace=routing.namespace or "default",
        max_weight=routing.max_weight,
        managed_routes=routing.managed_routes,
        in_progress_label=routing.in_progress_label,
    )
    router.check()
    return router


class Snapshots:
    """An event listener keeping the stored routes after each step, at full weight, at the two endings.

    It promotes every pause (an operator's `kubectl argo rollouts promote`) unless told to abort there.
    """

    def __init__(
        self, kube: FakeKubeAPI, routes: Sequence[tuple[str, str]], abort_at_pause: int | None = None
    ) -> None:
        self.kube, self.routes, self.abort_at_pause = kube, routes, abort_at_pause
        self.rollout: Rollout | None = None
        self.taken: list[tuple[str, dict[str, State]]] = []

    def __call__(self, event: ev.Event) -> None:
        rollout = self.rollout
        assert rollout is not None and rollout.status is not None
        status = rollout.status
        if isinstance(event, ev.StepCompleted):
            self.take(f"step {event.index}")
        elif isinstance(event, ev.WeightChanged) and status.step_index >= len(rollout.plan):
            if not status.promoted:
                self.take(f"full weight {event.weight}")
        elif isinstance(event, ev.Promoted | ev.RolledBack):
            self.take(type(event).__name__.lower())
        elif isinstance(event, ev.StepStarted) and event.index == 0:
            self.take("before step 0")
        elif isinstance(event, ev.Paused):
            self.pause(rollout, status.step_index)

    def pause(self, rollout: Rollout, index: int) -> None:
        """Abort at the pause `abort_at_pause`; promote a pause without a duration; let others run out."""
        step = rollout.plan[index]
        if index == self.abort_at_pause:
            rollout.abort("parity test aborts here")
        elif isinstance(step, Pause) and step.seconds is None:
            rollout.promote()

    def take(self, label: str) -> None:
        self.taken.append((label, {name: stored(self.kube, kind, name) for kind, name in self.routes}))


def run_to_the_end(rollout: Rollout, clock: FakeClock, snapshots: Snapshots, version: str = "v2") -> None:
    """Start `version` and advance the rollout, moving the fake clock to each wake-up, until it finishes."""
    snapshots.rollout = rollout
    rollout.add_listener(snapshots)
    rollout.start(version)
    for _ in range(1000):
        wake = rollout.advance()
        if wake is None:
            snapshots.take("finished")
            return
        clock.set(max(wake, clock.now()))
    raise AssertionError("the rollout did not finish within 1000 reconciles")

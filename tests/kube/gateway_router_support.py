"""Shared by the GatewayAPIRouter tests: routes written through the fake API, stored forms, write counts."""

from __future__ import annotations

import copy
import itertools
from pathlib import Path
from typing import Any

import yaml

from canarykit.kube import KubeAPI
from canarykit.kube.gateway_router import GatewayAPIRouter, GatewayRoute
from canarykit.testing import FakeKubeAPI

Doc = dict[str, Any]
DATA = Path(__file__).resolve().parents[1] / "data" / "gateway_api"
STABLE, CANARY = "argo-rollouts-stable-service", "argo-rollouts-canary-service"
LABEL = "rollouts.argoproj.io/gatewayapi-canary"
IN_PROGRESS = {LABEL: "in-progress"}
PLURALS = {
    "HTTPRoute": "httproutes",
    "GRPCRoute": "grpcroutes",
    "TCPRoute": "tcproutes",
    "TLSRoute": "tlsroutes",
}
BOOKKEEPING = ("resourceVersion", "generation", "uid", "creationTimestamp", "managedFields")
WRITES = ("POST", "PUT", "PATCH", "DELETE")
_scratch = itertools.count()


def api_version(kind: str) -> str:
    """v1 for HTTPRoute and GRPCRoute; v1alpha2 (experimental channel) for TCPRoute and TLSRoute."""
    return "gateway.networking.k8s.io/" + ("v1" if kind in ("HTTPRoute", "GRPCRoute") else "v1alpha2")


def refs(stable: int | None = None, canary: int | None = None, port: int = 80) -> list[Doc]:
    """backendRefs to the stable and canary Services, with these weights (None: no weight field)."""
    pair: list[Doc] = [{"name": STABLE, "port": port}, {"name": CANARY, "port": port}]
    for ref, weight in zip(pair, (stable, canary), strict=True):
        if weight is not None:
            ref["weight"] = weight
    return pair


def route_doc(kind: str, name: str, rules: list[Doc], labels: dict[str, str] | None = None) -> Doc:
    """A route document as a user would apply it."""
    metadata: Doc = {"name": name, "namespace": "default"}
    if labels:
        metadata["labels"] = dict(labels)
    spec: Doc = {"rules": rules}
    if kind in ("HTTPRoute", "GRPCRoute"):
        spec["parentRefs"] = [{"name": "gateway"}]
    return {"apiVersion": api_version(kind), "kind": kind, "metadata": metadata, "spec": spec}


def create(api: KubeAPI, doc: Doc) -> Doc:
    """Create `doc` through the API (as `kubectl apply` would); returns the stored object."""
    return api.create(PLURALS[doc["kind"]], doc["metadata"].get("namespace", "default"), doc)


def load(name: str) -> Doc:
    """One of the plugin's example routes in tests/data/gateway_api."""
    doc: Doc = yaml.safe_load((DATA / name).read_text())
    return doc


def stored(kube: FakeKubeAPI, kind: str, name: str, namespace: str = "default") -> Doc:
    """The stored route."""
    obj = kube.get(PLURALS[kind], namespace, name)
    assert obj is not None, f"{kind} {namespace}/{name} is not stored"
    return obj


def content(obj: Doc) -> Doc:
    """The object without the server's bookkeeping (resourceVersion, generation, uid...)."""
    result = copy.deepcopy(obj)
    for key in BOOKKEEPING:
        result.get("metadata", {}).pop(key, None)
    return result


def server_form(api: KubeAPI, kind: str, spec: Doc, labels: dict[str, str] | None = None) -> Doc:
    """`{spec, labels}` of a route with this spec once the server stored it (its defaults filled in)."""
    metadata: Doc = {"name": f"expected-{next(_scratch)}", "namespace": "expected"}
    if labels:
        metadata["labels"] = dict(labels)
    body = {"apiVersion": api_version(kind), "kind": kind, "metadata": metadata, "spec": copy.deepcopy(spec)}
    created = api.create(PLURALS[kind], "expected", body)
    api.delete(PLURALS[kind], "expected", metadata["name"])
    return state(created)


def state(obj: Doc) -> Doc:
    """The parts of a route the router decides: its spec and its labels."""
    return {"spec": obj.get("spec"), "labels": (obj.get("metadata") or {}).get("labels") or {}}


def writes(kube: FakeKubeAPI) -> list[tuple[str, str]]:
    """The write requests the fake API received: (method, path)."""
    return [(method, path) for method, path, _ in kube.requests if method in WRITES]


def router(api: KubeAPI, *routes: GatewayRoute, **options: Any) -> GatewayAPIRouter:
    """A router over `routes` for the plugin's example Services, in namespace default."""
    return GatewayAPIRouter(api, STABLE, CANARY, routes, "default", **options)


def weights(obj: Doc) -> list[list[tuple[str, int | None]]]:
    """Per rule, each backendRef's name and weight."""
    rules = obj["spec"]["rules"]
    return [[(ref["name"], ref.get("weight")) for ref in rule.get("backendRefs", [])] for rule in rules]

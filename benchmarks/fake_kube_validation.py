"""What schema validation costs the fake Kubernetes API: per object admitted, and per route write over HTTP.

Run: python benchmarks/fake_kube_validation.py

Prints the first HTTPRoute admission of the process (CRD schema loaded, CEL rules compiled), the steady cost
per admission of an HTTPRoute (unchanged, and with a new weight each time: its CEL results then miss the
cache where the weight changed) and of built-in kinds (compiled validators cached per kind), and the time of
a route weight PUT through KubeAPI with validation on and off.
"""

from __future__ import annotations

import copy
import itertools
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fake_kube_bodies import deployment  # noqa: E402

from canarykit.kube import connect  # noqa: E402
from canarykit.testing.kube import FakeKubeAPI  # noqa: E402
from canarykit.testing.kube.cel_rules import _outcome  # noqa: E402
from canarykit.testing.kube.resources import resource_of  # noqa: E402
from canarykit.testing.kube.validation import Admission  # noqa: E402

ROUNDS = 5
CALLS = 200
ROUTE_FILE = ROOT / "tests" / "data" / "gateway_api" / "advanced-header-httproute.yaml"
ROUTE = yaml.safe_load(ROUTE_FILE.read_text())


def best_per_call(function: Callable[[int], object], calls: int) -> float:
    """Milliseconds per call of `function(i)`, best of ROUNDS rounds."""
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for index in range(calls):
            function(index)
        best = min(best, (time.perf_counter() - start) / calls)
    return best * 1000


def admit_copy(admission: Admission, obj: dict[str, Any]) -> None:
    admission.admit(resource_of(obj), copy.deepcopy(obj))


WEIGHTS = itertools.count(1)
LEASE = {
    "apiVersion": "coordination.k8s.io/v1",
    "kind": "Lease",
    "metadata": {"name": "canary-demo", "labels": {"app.kubernetes.io/managed-by": "canarykit"}},
    "spec": {"holderIdentity": "canarykit", "leaseDurationSeconds": 30, "renewTime": "2026-01-02T03:04:05Z"},
}


def reweighted(index: int) -> dict[str, Any]:
    """The route with a weight never seen before (so the CEL rules above it miss the result cache)."""
    route: dict[str, Any] = copy.deepcopy(ROUTE)
    route["spec"]["rules"][0]["backendRefs"][1]["weight"] = next(WEIGHTS)
    return route


def admit_last(admission: Admission, body: dict[str, Any], index: int) -> None:
    """Admit a copy of `body` (`index` unused: the signature `best_per_call` calls)."""
    admit_copy(admission, body)


def uncached(admission: Admission) -> None:
    """Admit the route with every CEL result forgotten: each rule evaluated."""
    _outcome.cache_clear()
    admit_copy(admission, ROUTE)


def route_puts_ms(validate: bool) -> float:
    """Milliseconds per GET + PUT of a route's canary weight through KubeAPI (weights 0-99 over and over, so
    after the first round the CEL results come from the cache, as in a rollout's repeated steps)."""
    with FakeKubeAPI(validate=validate) as kube:
        api = connect(host=kube.url, request_timeout=5)
        api.create("httproutes", "default", ROUTE)

        def put(index: int) -> None:
            route = api.get("httproutes", "default", ROUTE["metadata"]["name"])
            assert route is not None
            route["spec"]["rules"][0]["backendRefs"][1]["weight"] = index % 100
            api.replace("httproutes", "default", route["metadata"]["name"], route)

        return best_per_call(put, CALLS)


def main() -> None:
    admission = Admission()
    start = time.perf_counter()
    admit_copy(admission, ROUTE)
    first = (time.perf_counter() - start) * 1000
    print(f"first HTTPRoute admission (schema load, CEL compile): {first:.1f} ms")
    unchanged = best_per_call(lambda i: admit_copy(admission, ROUTE), CALLS)
    print(f"HTTPRoute, unchanged:         {unchanged:.3f} ms")
    changed = best_per_call(lambda i: admit_copy(admission, reweighted(i)), CALLS)
    print(f"HTTPRoute, new weight each:   {changed:.3f} ms")
    print(f"HTTPRoute, no CEL cache:      {best_per_call(lambda i: uncached(admission), 20):.3f} ms")
    services = yaml.safe_load_all((ROOT / "tests" / "data" / "services.yaml").read_text())
    for body in (deployment(), next(services), LEASE):
        admit_copy(admission, body)  # compile once
        cost = best_per_call(partial(admit_last, admission, body), CALLS)
        print(f"{body['kind']:<12} admission:      {cost:.3f} ms")
    on, off = route_puts_ms(True), route_puts_ms(False)
    print(f"route GET+PUT through KubeAPI: {on:.2f} ms validated, {off:.2f} ms without ({on - off:+.2f} ms)")


if __name__ == "__main__":
    main()

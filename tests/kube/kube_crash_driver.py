"""A rollout on a (fake) cluster that stops at an indefinite pause, to be SIGKILLed there and resumed.

Run as `python kube_crash_driver.py URL`: it drives `canary-demo` to `green` through the API at URL (with
the real client, a `KubernetesStateStore` and a Lease), prints `paused <identity>` once the pause is on
record, and then waits for a promote that never comes. `test_kube_resume.py` imports `build_rollout` to
resume the same rollout in-process.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from canarykit import Rollout
from canarykit.clock import Clock, SystemClock
from canarykit.kube import DeploymentWorkload, KubeAPI, KubernetesStateStore, NginxIngressRouter, connect
from canarykit.rollout import events as ev
from canarykit.steps import Pause, SetWeight, Step

NAME = "canary-demo"
STABLE_SERVICE, CANARY_SERVICE, INGRESS = "canary-demo", "canary-demo-canary", "canary-demo"
BLUE, GREEN = "argoproj/rollouts-demo:blue", "argoproj/rollouts-demo:green"
LEASE_SECONDS = 15
PAUSED = "paused"


def steps() -> list[Step]:
    return [SetWeight(20), Pause(), SetWeight(50)]


def build_rollout(
    api: KubeAPI,
    store: KubernetesStateStore,
    clock: Clock,
    on_event: Callable[[ev.Event], None] | None = None,
) -> Rollout:
    """The rollout the driver and the test both run: ingress-nginx, Deployments, state in the cluster."""
    router = NginxIngressRouter(api, NAME, INGRESS, STABLE_SERVICE, CANARY_SERVICE)
    workload = DeploymentWorkload(
        api, NAME, stable_service=STABLE_SERVICE, canary_service=CANARY_SERVICE, container=NAME
    )
    return Rollout(NAME, steps(), router, workload, clock=clock, state=store, on_event=on_event)


def main(url: str) -> None:
    api = connect(host=url, request_timeout=5)
    store = KubernetesStateStore(api, lease_seconds=LEASE_SECONDS)

    def on_event(event: ev.Event) -> None:
        if isinstance(event, ev.Paused):  # saved before the event: the pause is on record now
            print(f"{PAUSED} {store.identity}", flush=True)

    result = build_rollout(api, store, SystemClock(), on_event).run(GREEN, handle_signals=False)
    print(f"done {result.phase.value}", flush=True)  # never reached: the test kills the driver first


if __name__ == "__main__":
    main(sys.argv[1])

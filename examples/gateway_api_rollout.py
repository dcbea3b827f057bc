"""The Argo Rollouts Gateway API plugin's examples, run by canarykit on a cluster (or the fake API).

    python examples/gateway_api_rollout.py --example nginx \\
        --image rollouts-demo=argoproj/rollouts-demo:blue [--kubeconfig FILE] [--context NAME] \\
        [--approve] [--rehearse]

`--example` is a folder of examples/gateway-api/ (`nginx`, `header-routes`). The first run on an empty
namespace deploys the version directly; later runs step through the Rollout's plan on the HTTPRoute. After
each step the route's backend weights and header rules are printed as stored. `--approve` promotes past each
indefinite pause (the plugin's examples wait for `kubectl argo rollouts promote` there); `--rehearse` lets
timed pauses pass at once (for a dry run on a test cluster).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from canarykit.argo import load
from canarykit.clock import Clock, ReplayClock, SystemClock
from canarykit.kube import GatewayAPIRouter, KubeAPI, KubernetesStateStore, bind, connect
from canarykit.rollout import Rollout
from canarykit.rollout import events as ev
from canarykit.steps import Pause

EXAMPLES = Path(__file__).parent / "gateway-api"


def route_summary(api: KubeAPI, namespace: str, name: str, stable: str, canary: str) -> str:
    """`stable 70, canary 30; header rules: a, a-1; label in-progress` for the stored HTTPRoute."""
    route = api.get("httproutes", namespace, name) or {}
    rules = (route.get("spec") or {}).get("rules") or []
    unnamed = [rule for rule in rules if not rule.get("name")]  # the managed header rules are named
    weights = {ref["name"]: ref.get("weight", 1) for rule in unnamed for ref in rule.get("backendRefs") or []}
    named = [rule["name"] for rule in rules if rule.get("name")]
    label = ((route.get("metadata") or {}).get("labels") or {}).get("rollouts.argoproj.io/gatewayapi-canary")
    text = f"stable {weights.get(stable)}, canary {weights.get(canary)}"
    return (
        text
        + (f"; header rules: {', '.join(named)}" if named else "")
        + (f"; label {label}" if label else "")
    )


def waits_for_promotion(rollout: Rollout) -> bool:
    """True while the rollout is paused on a `pause: {}` step (Argo waits for `promote` there)."""
    status = rollout.status
    if status is None or not status.pause_reason or status.step_index >= len(rollout.plan):
        return False
    step = rollout.plan[status.step_index]
    return isinstance(step, Pause) and step.indefinite


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--example", default="nginx", help="a folder of examples/gateway-api/")
    parser.add_argument("--image", required=True, help="CONTAINER=IMAGE of the new version")
    parser.add_argument("--kubeconfig")
    parser.add_argument("--context")
    parser.add_argument("--approve", action="store_true", help="promote past each indefinite pause")
    parser.add_argument("--rehearse", action="store_true", help="timed pauses pass at once")
    options = parser.parse_args()

    api = connect(context=options.context, kubeconfig=options.kubeconfig)
    spec = load(*sorted((EXAMPLES / options.example).glob("rollout.y*ml")))
    container, _, image = options.image.partition("=")
    binding = bind(spec, api, {container: image})  # every check happens here, before any change
    routing = spec.gateway_api
    assert routing is not None and routing.routes[0].name, "the examples name one HTTPRoute"
    router = binding.router
    assert isinstance(router, GatewayAPIRouter), "the examples route through the Gateway API plugin"
    route = (binding.namespace, routing.routes[0].name, router.stable_service)
    # rehearsing: the clock starts a day back, so that pauses (up to a day in all) pass at once
    clock: Clock = ReplayClock(time.time() - 86400) if options.rehearse else SystemClock()

    def on_event(event: ev.Event) -> None:
        if isinstance(event, ev.StepCompleted):
            print(f"  {event.message}: {route_summary(api, *route, router.canary_service)}")

    rollout = binding.rollout(
        clock=clock, state=KubernetesStateStore(api, binding.namespace), on_event=on_event
    )
    rollout.start(binding.version)
    while (wake := rollout.advance()) is not None:
        if options.approve and waits_for_promotion(rollout):
            print("  approved: promote")
            rollout.promote()
            continue
        clock.sleep(max(0.0, wake - clock.now()))
    result = rollout.result()
    print(f"{image}: {result.phase} {result.message}".rstrip())
    print(f"  final: {route_summary(api, *route, router.canary_service)}")
    return 0 if result.healthy else 1


if __name__ == "__main__":
    raise SystemExit(main())

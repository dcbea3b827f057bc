"""The reference scenario on Kubernetes: Argo YAML, ingress-nginx, Deployments, state in the cluster.

    python examples/kubernetes_rollout.py --image canary-demo=argoproj/rollouts-demo:green \\
        [--kubeconfig FILE] [--context NAME] [--prometheus URL] [--at TIME]

The first run on an empty namespace deploys the version directly (Argo's first deploy); later runs roll the
new image out in steps 20/40/60/80 with background analysis, then promote it or roll it back. `--at`
rehearses against recorded metrics: the clock starts at TIME (unix seconds) and pauses pass at once.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from canarykit.argo import load
from canarykit.clock import Clock, ReplayClock, SystemClock
from canarykit.kube import KubernetesStateStore, bind, connect

SCENARIO = Path(__file__).parent / "reference-scenario"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--image", required=True, help="CONTAINER=IMAGE of the new version")
    parser.add_argument("--kubeconfig")
    parser.add_argument("--context")
    parser.add_argument("--prometheus", help="Prometheus address, replacing the template's")
    parser.add_argument("--at", type=float, help="rehearse on history from this unix time")
    options = parser.parse_args()

    api = connect(context=options.context, kubeconfig=options.kubeconfig)
    spec = load(SCENARIO / "rollout.yaml", SCENARIO / "analysis-template.yaml")
    container, _, image = options.image.partition("=")
    binding = bind(spec, api, {container: image})  # every check happens here, before any change
    clock: Clock = ReplayClock(options.at) if options.at else SystemClock()
    rollout = binding.rollout(
        prometheus=options.prometheus,
        clock=clock,
        state=KubernetesStateStore(api, binding.namespace),
        on_event=lambda event: print(f"  {event.message}") if "weight" in event.message else None,
    )
    result = rollout.run(binding.version)
    print(f"{image}: {result.phase} {result.message}".rstrip())
    return 0 if result.healthy else 1


if __name__ == "__main__":
    raise SystemExit(main())

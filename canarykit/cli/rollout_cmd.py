"""`canarykit rollout -f rollout.yaml -f analysis.yaml --image app=registry/app:v2`: run it on a cluster."""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from canarykit.argo import load
from canarykit.cli.cluster import add_cluster_options, connect_to_cluster, state_store
from canarykit.cli.rendering import ICONS
from canarykit.cli.timeparse import clock_at
from canarykit.clock import Clock
from canarykit.kube.templates import parse_image_option
from canarykit.rollout import events as ev
from canarykit.rollout.result import RolloutResult


def register(commands: Any) -> None:
    parser = commands.add_parser("rollout", help="roll a new version out on Kubernetes, step by step")
    parser.add_argument(
        "-f",
        "--filename",
        action="append",
        required=True,
        help="Rollout / AnalysisTemplate YAML (repeat for each file)",
    )
    parser.add_argument(
        "--image",
        action="append",
        default=[],
        metavar="CONTAINER=IMAGE",
        help="the new version's image (repeat for each container)",
    )
    parser.add_argument("--prometheus", metavar="URL", help="Prometheus address (replaces the templates')")
    parser.add_argument(
        "--at", metavar="TIME", help="rehearse on history: the clock starts at TIME and pauses pass at once"
    )
    parser.add_argument(
        "--delete-canary-ingress",
        action="store_true",
        help="delete the canary Ingress at the end (Argo keeps it)",
    )
    parser.add_argument(
        "--retry",
        action="store_true",
        help="roll out a version that was rolled back before (refused otherwise, as Argo keeps it aborted)",
    )
    parser.add_argument(
        "--adopt",
        action="store_true",
        help="take over the live Argo Rollout of the same name mid-update (see docs/kubernetes.md)",
    )
    add_cluster_options(parser)
    parser.set_defaults(handler=run_command)


def run_command(options: argparse.Namespace, clock: Clock | None = None) -> int:
    """Everything is checked (files, images, cluster objects) before anything in the cluster changes."""
    from canarykit.kube import bind
    from canarykit.kube.cluster import KubeCluster

    images = dict(parse_image_option(text) for text in options.image)
    api = connect_to_cluster(options)
    # Secret args need a cluster at load; bind() rebinds the templates to the namespace it settles on
    spec = load(*options.filename, cluster=KubeCluster(api, options.namespace or "default"))
    binding = bind(
        spec,
        api,
        images,
        namespace=options.namespace,
        delete_on_complete=options.delete_canary_ingress,
        adopt=options.adopt,
    )
    clock = clock or clock_at(options.at)
    view = LiveView(clock, sys.stdout)
    rollout = binding.rollout(
        prometheus=options.prometheus,
        clock=clock,
        state=state_store(api, binding.namespace),  # leases run on real time, even when rehearsing
        on_event=view.show,
    )
    view.header(spec.name, binding.namespace, binding.version, len(rollout.plan))
    if binding.adoption is not None:
        take_over(binding, rollout, view)
    result = rollout.run(binding.version, retry=options.retry)
    view.summary(result)
    return 0 if result.healthy else 1


def take_over(binding: Any, rollout: Any, view: LiveView) -> None:
    """`--adopt`: the Argo Rollout's step, weight and pods become canarykit's (`canarykit.kube.adopt`)."""
    where = f"{binding.namespace}/{binding.spec.name}"
    view.line(f"taking over Argo Rollout {where} (checked; watching it {binding.adoption.settle:g} s first)")
    at = binding.take_over(rollout)
    view.line(
        f"took over at step {at.step_index} (weight {at.weight}); Argo's ReplicaSets serve no traffic now: "
        f"`kubectl delete rollout {binding.spec.name} -n {binding.namespace}` removes them"
    )


class LiveView:
    """One line per event, with the time since the start; weight changes and verdicts stand out."""

    def __init__(self, clock: Clock, out: TextIO) -> None:
        self.clock, self.out = clock, out
        self.started = clock.now()

    def header(self, name: str, namespace: str, version: str, steps: int) -> None:
        self._print(f"rollout {namespace}/{name}: {version} in {steps} steps")

    def show(self, event: ev.Event) -> None:
        mark = {ev.WeightChanged: "→", ev.Aborted: "✖", ev.Promoted: "✔", ev.Paused: "॥"}.get(
            type(event), " "
        )
        self._print(f"[{self._elapsed(event.time)}] {mark} {event.message}")

    def summary(self, result: RolloutResult) -> None:
        phase = result.phase.value
        steps = f"step {result.steps_done}/{result.steps_total}"
        why = f"; why: {result.reason}" if result.reason is not None else ""
        self._print(f"{ICONS.get(phase, '')} {phase}: {steps}. {result.message}".rstrip() + why)

    def _elapsed(self, time: float) -> str:
        seconds = max(0, int(time - self.started))
        return f"{seconds // 60:d}:{seconds % 60:02d}"

    def line(self, text: str) -> None:
        """A line of its own, stamped with the time since the start."""
        self._print(f"[{self._elapsed(self.clock.now())}]   {text}")

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)

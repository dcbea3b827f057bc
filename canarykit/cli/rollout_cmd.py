"""`canarykit rollout -f rollout.yaml -f analysis.yaml --image app=registry/app:v2`: run it on a cluster."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from canarykit.argo import load
from canarykit.cli.analyze import check_prometheus_option
from canarykit.cli.cluster import add_cluster_options, connect_to_cluster, state_store
from canarykit.cli.exit_codes import EXIT_FAILED, EXIT_OK
from canarykit.cli.live_view import LiveView
from canarykit.cli.spec_options import add_spec_files
from canarykit.cli.timeparse import clock_at
from canarykit.clock import Clock
from canarykit.kube.templates import parse_image_option
from canarykit.notify.cli import add_notify_options, notifier_from_options, notifying


def register(commands: Any) -> None:
    parser = commands.add_parser("rollout", help="roll a new version out on Kubernetes, step by step")
    add_spec_files(parser)
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
    parser.add_argument(
        "--metrics-port",
        type=int,
        metavar="PORT",
        help="serve canarykit's Prometheus metrics on 127.0.0.1:PORT while it runs (0: any free port)",
    )
    add_notify_options(parser)
    add_cluster_options(parser)
    parser.set_defaults(handler=run_command, prints_measurements=True)  # the view prints faults, not the log


def run_command(options: argparse.Namespace, clock: Clock | None = None) -> int:
    """Everything is checked (files, images, cluster objects) before anything in the cluster changes."""
    from canarykit.kube import bind
    from canarykit.kube.cluster import KubeCluster

    check_prometheus_option(options.prometheus)
    images = dict(parse_image_option(text) for text in options.image)
    api = connect_to_cluster(options)
    # Secret args need a cluster at load; bind() rebinds the templates to the namespace it settles on
    spec = load(*options.filename, cluster=KubeCluster(api, options.namespace or "default"))
    notifier = notifier_from_options(options, spec)  # URLs and annotations checked before anything moves
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
        metrics_port=options.metrics_port,
    )
    view.header(spec.name, binding.namespace, binding.version, rollout.plan)
    if rollout.metrics_server is not None:
        view.line(f"metrics: {rollout.metrics_server.url}")
    with view:  # the status line (on a terminal) is removed however the run ends
        if binding.adoption is not None:
            take_over(binding, rollout, view)
        with notifying(notifier, rollout):
            result = rollout.run(binding.version, retry=options.retry)
    view.summary(result)
    return EXIT_OK if result.healthy else EXIT_FAILED


def take_over(binding: Any, rollout: Any, view: LiveView) -> None:
    """`--adopt`: the Argo Rollout's step, weight and pods become canarykit's (`canarykit.kube.adopt`)."""
    from canarykit.rollout.events import step_label

    where = f"{binding.namespace}/{binding.spec.name}"
    view.line(f"taking over Argo Rollout {where} (checked; watching it {binding.adoption.settle:g} s first)")
    at = binding.take_over(rollout)
    view.line(
        f"took over at {step_label(at.step_index, len(rollout.plan))} (weight {at.weight}); Argo's "
        "ReplicaSets serve no traffic now: "
        f"`kubectl delete rollout {binding.spec.name} -n {binding.namespace}` removes them"
    )

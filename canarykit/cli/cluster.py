"""Options shared by the commands that talk to a cluster: where it is, which namespace, the state store."""

from __future__ import annotations

import argparse
from typing import Any


def add_cluster_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-n", "--namespace", help="namespace (default: the Rollout's, else 'default')")
    parser.add_argument(
        "--kubeconfig", metavar="FILE", help="kubeconfig file (default: $KUBECONFIG, ~/.kube/config)"
    )
    parser.add_argument("--context", help="kubeconfig context (default: the current one)")


def connect_to_cluster(options: argparse.Namespace) -> Any:
    """A `KubeAPI` for the options (imports the Kubernetes package only now)."""
    from canarykit.kube import connect

    return connect(context=options.context, kubeconfig=options.kubeconfig)


def state_store(api: Any, namespace: str) -> Any:
    """The `KubernetesStateStore` every command shares: a ConfigMap and a Lease per rollout."""
    from canarykit.kube import KubernetesStateStore

    return KubernetesStateStore(api, namespace)


def connect_to_store(options: argparse.Namespace) -> tuple[Any, str, Any]:
    """The cluster, the namespace (`-n`, else 'default') and the state store there, for `options`."""
    api = connect_to_cluster(options)
    namespace = options.namespace or "default"
    return api, namespace, state_store(api, namespace)

"""Options shared by the commands that talk to a cluster or a state directory, and the store they select."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from canarykit.errors import SpecError


def add_cluster_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-n", "--namespace", help="namespace (default: the Rollout's, else 'default')")
    parser.add_argument(
        "--kubeconfig", metavar="FILE", help="kubeconfig file (default: $KUBECONFIG, ~/.kube/config)"
    )
    parser.add_argument("--context", help="kubeconfig context (default: the current one)")


def add_store_options(parser: argparse.ArgumentParser) -> None:
    """The cluster options, plus `--state PATH`: a `FileStateStore` directory instead of Kubernetes."""
    add_cluster_options(parser)
    parser.add_argument(
        "--state",
        metavar="PATH",
        help="the FileStateStore directory the driving script uses (or a NAME.json in it); "
        "without it, the rollout's ConfigMap in the cluster",
    )


def connect_to_cluster(options: argparse.Namespace) -> Any:
    """A `KubeAPI` for the options (imports the Kubernetes package only now)."""
    from canarykit.kube import connect

    return connect(context=options.context, kubeconfig=options.kubeconfig)


def state_store(api: Any, namespace: str) -> Any:
    """The `KubernetesStateStore` every command shares: a ConfigMap and a Lease per rollout."""
    from canarykit.kube import KubernetesStateStore

    return KubernetesStateStore(api, namespace)


def connect_to_store(options: argparse.Namespace) -> tuple[Any, str, Any]:
    """The cluster (None with `--state`), where the rollouts are (a namespace or a directory), the store.

    Without `--state`: the cluster, the namespace (`-n`, else 'default') and the Kubernetes store there.
    """
    if getattr(options, "state", None):
        from canarykit.rollout.file_store import FileStateStore

        if options.namespace or options.kubeconfig or options.context:
            raise SpecError("--state selects a state directory: drop -n/--namespace, --kubeconfig, --context")

        directory = state_directory(options.state)
        return None, str(directory), FileStateStore(directory)
    api = connect_to_cluster(options)
    namespace = options.namespace or "default"
    return api, namespace, state_store(api, namespace)


def state_directory(text: str) -> Path:
    """`--state`'s directory: the path itself, or the folder of a `NAME.json` record file it names."""
    path = Path(text)
    if path.suffix == ".json" and not path.is_dir():
        path = path.parent
    if path.exists() and not path.is_dir():
        raise SpecError(f"--state {text!r} is neither a state directory nor a NAME.json record in one")
    return path

"""`connect()`: a `KubeAPI` from a kubeconfig, the in-cluster service account, or an explicit host."""

from __future__ import annotations

import os
from typing import Any

from canarykit.errors import KubernetesError
from canarykit.kube.client import DEFAULT_TIMEOUT, KubeAPI

IN_CLUSTER_VARIABLE = "KUBERNETES_SERVICE_HOST"


def connect(
    context: str | None = None,
    kubeconfig: str | None = None,
    host: str | None = None,
    request_timeout: float = DEFAULT_TIMEOUT,
) -> KubeAPI:
    """Load `kubeconfig` (default `$KUBECONFIG` or `~/.kube/config`) at `context`, else in-cluster config.

    `host` skips configuration files altogether (a local proxy, or `canarykit.testing.FakeKubeAPI`).
    """
    from kubernetes import client

    configuration = client.Configuration()
    if host is not None:
        configuration.host = host
    else:
        _load_configuration(configuration, context, kubeconfig)
    configuration.retries = False  # canarykit retries with its own backoff, on its own clock
    return KubeAPI(client.ApiClient(configuration), request_timeout)


def _load_configuration(configuration: Any, context: str | None, kubeconfig: str | None) -> None:
    from kubernetes import config

    try:
        if kubeconfig is None and context is None and _in_cluster_only():
            config.load_incluster_config(client_configuration=configuration)  # type: ignore[no-untyped-call]
        else:
            config.load_kube_config(  # type: ignore[no-untyped-call]
                config_file=kubeconfig, context=context, client_configuration=configuration
            )
    except Exception as error:  # the loaders raise ConfigException, OSError, YAML errors...
        where = kubeconfig or os.environ.get("KUBECONFIG") or "~/.kube/config"
        raise KubernetesError(f"cannot load Kubernetes configuration from {where}: {error}") from None


def _in_cluster_only() -> bool:
    """Running in a pod with no kubeconfig at hand: use the service account."""
    default = os.path.expanduser("~/.kube/config")
    return (
        IN_CLUSTER_VARIABLE in os.environ and not os.environ.get("KUBECONFIG") and not os.path.exists(default)
    )

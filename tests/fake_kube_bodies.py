"""Request bodies and error helpers shared by the FakeKubeAPI tests."""

from __future__ import annotations

import copy
import json
import urllib.error
import urllib.request
from typing import Any

from kubernetes import watch
from kubernetes.client.exceptions import ApiException

# The client's annotations want model objects as request bodies and make every field Optional. These tests
# pass plain dicts (as canarykit does) and read fields directly, so its APIs and models are typed Any here.
AppsApi = Any
CoreApi = Any
Model = Any


def deployment(
    name: str = "web", labels: dict[str, str] | None = None, replicas: int | None = 2, image: str = "app:1"
) -> dict[str, Any]:
    """A valid Deployment body with an `app` container and a `sidecar` container."""
    spec: dict[str, Any] = {
        "selector": {"matchLabels": {"app": name}},
        "template": {
            "metadata": {"labels": {"app": name}},
            "spec": {
                "containers": [
                    {"name": "app", "image": image, "env": [{"name": "MODE", "value": "a"}]},
                    {"name": "sidecar", "image": "proxy:1"},
                ]
            },
        },
    }
    if replicas is not None:
        spec["replicas"] = replicas
    metadata = {"name": name, "labels": labels if labels is not None else {"app": name}}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": metadata, "spec": spec}


def deployment_of(
    name: str, template: dict[str, Any], replicas: int, selector: dict[str, str]
) -> dict[str, Any]:
    """A Deployment in `default` running (a copy of) `template`, its pods selected by `selector`."""
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": dict(selector)},
            "template": copy.deepcopy(template),
        },
    }


def status_of(error: ApiException) -> dict[str, Any]:
    """The Kubernetes Status body of an ApiException."""
    body: dict[str, Any] = json.loads(error.body or "{}")
    return body


def new_watch() -> Any:
    """A `kubernetes.watch.Watch` (the watch module has no type annotations)."""
    return watch.Watch()  # type: ignore[no-untyped-call]


def send(url: str, method: str, body: Any = None, content_type: str = "application/json") -> tuple[int, Any]:
    """A raw HTTP request (for bodies the typed client would refuse to send); returns `(code, JSON body)`."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read())

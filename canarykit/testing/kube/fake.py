"""`FakeKubeAPI`: a stateful fake Kubernetes API server for tests that use the real `kubernetes` client.

with FakeKubeAPI() as kube:
    cfg = kubernetes.client.Configuration()
    cfg.host = kube.url
    apps = kubernetes.client.AppsV1Api(kubernetes.client.ApiClient(cfg))
    apps.create_namespaced_deployment(namespace="default", body={...})
    kube.fail_next(status=503, method="PATCH")  # the next PATCH gets a 503 Status
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any

from canarykit.testing.kube.endpoints import Endpoints
from canarykit.testing.kube.errors import ApiError
from canarykit.testing.kube.operations import ResourceOperations
from canarykit.testing.kube.resources import KubeObject, resource_named
from canarykit.testing.kube.server import KubeHTTPServer, RequestRecord, ServerState
from canarykit.testing.kube.store import ObjectStore
from canarykit.testing.kube.validation import Admission

ObjectList = list[KubeObject]
_WATCH_DRAIN_SECONDS = 1.0


class FakeKubeAPI:
    """Serves Deployments, Services, ConfigMaps, Events, Pods, Ingresses and Leases on 127.0.0.1.

    With `auto_ready` every Deployment write is instantly fully rolled out; without it the status shows
    a rollout that waits for `mark_ready`. Failures are injected with `fail_next`.

    With `validate` (the default) every object stored, seeded ones included, is checked as a real API
    server checks it, and refused with 422 Invalid naming each bad field: built-in kinds against the official
    Kubernetes schemas (`kubernetes-validate`, strict: unknown fields fail), HTTPRoute and GRPCRoute against
    the Gateway API v1.6.1 CRD schema and its CEL rules, with the CRD's defaults applied (Rollouts are not
    validated). It needs the `testing` extra; `validate=False` stores objects as given.
    """

    def __init__(self, auto_ready: bool = True, validate: bool = True) -> None:
        self._store = ObjectStore()
        self._operations = ResourceOperations(self._store, auto_ready, Admission(validate))
        self._state = ServerState(self._store, Endpoints(self._operations))
        self._server: KubeHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    @property
    def auto_ready(self) -> bool:
        """Whether Deployment writes are instantly rolled out (settable at any time)."""
        return self._operations.auto_ready

    @auto_ready.setter
    def auto_ready(self, value: bool) -> None:
        self._operations.auto_ready = value

    @property
    def hang_seconds(self) -> float:
        """How long a `fail_next(status="timeout")` request is held before its connection is closed."""
        return self._state.hang_seconds

    @hang_seconds.setter
    def hang_seconds(self, value: float) -> None:
        self._state.hang_seconds = value

    def start(self) -> FakeKubeAPI:
        """Listen on a free port of 127.0.0.1 and serve from a daemon thread; sets `url`."""
        if self._server is None:
            self._state.stopping.clear()
            self._server = KubeHTTPServer(self._state)
            self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
            self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        """End watch streams and hung requests, close every connection and stop the server."""
        server, self._server = self._server, None
        if server is None:
            return
        self._state.stopping.set()
        self._store.close_subscriptions()
        self._state.wait_for_watches(_WATCH_DRAIN_SECONDS)
        server.shutdown()
        server.close_connections()
        server.server_close()
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> FakeKubeAPI:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    def fail_next(
        self, count: int = 1, status: int | str = 500, method: str | None = None, path: str | None = None
    ) -> None:
        """Fail the next `count` requests matching `method` and a `path` substring.

        `status` is an HTTP error code (answered with a Status body), "timeout" (hold the request for
        `hang_seconds`, then close the connection) or "disconnect" (close the connection at once).
        """
        self._state.faults.add(count, status, method, path)

    @property
    def requests(self) -> list[RequestRecord]:
        """A snapshot of every request so far as `(method, path without query, Content-Type or None)`."""
        with self._state.changed:
            return list(self._state.requests)

    def clear_requests(self) -> None:
        """Forget the requests logged so far."""
        with self._state.changed:
            self._state.requests.clear()

    def get(self, resource: str, namespace: str, name: str) -> KubeObject | None:
        """A copy of a stored object (`resource` is a plural such as "deployments"), or None."""
        return self._store.get(resource_named(resource), namespace, name)

    def list(self, resource: str, namespace: str | None = None) -> ObjectList:
        """Copies of the stored objects of one resource, in one namespace or all of them."""
        return self._store.list_objects(resource_named(resource), namespace)

    def put(self, obj: dict[str, Any]) -> KubeObject:
        """Seed an object, creating it or replacing the one with its name; returns it.

        The API's semantic checks (selectors, resourceVersions) are skipped, schema validation is not.
        """
        return self._operations.seed(obj)

    def delete(self, resource: str, namespace: str, name: str) -> bool:
        """Remove an object (watchers see DELETED); False if there was none."""
        try:
            self._store.delete(resource_named(resource), namespace, name)
        except ApiError:  # the store's 404: nothing to delete
            return False
        return True

    def add_controller(self, reconcile: Callable[[], None]) -> None:
        """Call `reconcile()` before answering each request: a controller acting whenever a client looks."""
        self._state.controllers.append(reconcile)

    def remove_controller(self, reconcile: Callable[[], None]) -> None:
        """Stop calling a controller added with `add_controller`."""
        if reconcile in self._state.controllers:
            self._state.controllers.remove(reconcile)

    def mark_ready(self, namespace: str, name: str) -> KubeObject:
        """Finish a Deployment's rollout: all replicas updated, ready and available for its generation."""
        return self._operations.mark_ready(namespace, name)

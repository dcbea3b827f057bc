"""The object store: objects by (resource, namespace, name), metadata, resourceVersions and watch events."""

from __future__ import annotations

import copy
import queue
import secrets
import string
import threading
import uuid
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timezone

from canarykit.testing.kube.errors import already_exists, invalid, not_found
from canarykit.testing.kube.resources import KubeObject, ResourceType

_IDENTITY_FIELDS = ("uid", "creationTimestamp", "name", "namespace")
_NAME_SUFFIX_CHARS = string.ascii_lowercase + string.digits


def now_rfc3339() -> str:
    """The current UTC time as Kubernetes writes it: `2024-05-01T12:00:00Z`."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class WatchEvent:
    """A change to one object: `type` is ADDED, MODIFIED or DELETED; `version` its resourceVersion."""

    type: str
    resource: ResourceType
    namespace: str
    object: KubeObject
    version: int


class Subscription:
    """The events one watch has yet to send; `closed` once the server stops."""

    def __init__(self, resource: ResourceType, namespace: str | None) -> None:
        self.resource = resource
        self.namespace = namespace
        self.closed = False
        self._events: queue.Queue[WatchEvent | None] = queue.Queue()

    def wants(self, event: WatchEvent) -> bool:
        """True when the event is about this watch's resource and namespace."""
        return event.resource == self.resource and self.namespace in (None, event.namespace)

    def push(self, event: WatchEvent) -> None:
        """Queue an event for the watch."""
        self._events.put(event)

    def close(self) -> None:
        """Mark the watch ended and wake its reader."""
        self.closed = True
        self._events.put(None)

    def next(self, timeout: float) -> WatchEvent | None:
        """The next event, or None if none came within `timeout` seconds or the subscription closed."""
        try:
            return self._events.get(timeout=max(timeout, 0.0))
        except queue.Empty:
            return None


def carry_over_metadata(obj: KubeObject, previous: KubeObject) -> None:
    """Give a new version of `previous` its identity (uid, name, ...) and generation, +1 if `spec` changed."""
    metadata = obj.setdefault("metadata", {})
    old_metadata = previous["metadata"]
    for field in _IDENTITY_FIELDS:
        if field in old_metadata:
            metadata[field] = old_metadata[field]
    generation = old_metadata.get("generation", 1)
    metadata["generation"] = generation + 1 if obj.get("spec") != previous.get("spec") else generation


class ObjectStore:
    """Objects kept as deep copies under one re-entrant `lock`; each write gets the next resourceVersion."""

    def __init__(self, history_limit: int = 1000) -> None:
        self.lock = threading.RLock()
        self._objects: dict[tuple[str, str, str], KubeObject] = {}
        self._version = 0
        self._history: deque[WatchEvent] = deque(maxlen=history_limit)
        self._subscriptions: list[Subscription] = []

    @property
    def resource_version(self) -> str:
        """The latest resourceVersion handed out, as a string."""
        return str(self._version)

    def get(self, resource: ResourceType, namespace: str, name: str) -> KubeObject | None:
        """A copy of one object, or None."""
        with self.lock:
            found = self._objects.get((resource.plural, namespace, name))
            return copy.deepcopy(found)

    def require(self, resource: ResourceType, namespace: str, name: str) -> KubeObject:
        """Like `get`, but a missing object raises a 404 `ApiError`."""
        found = self.get(resource, namespace, name)
        if found is None:
            raise not_found(resource, name)
        return found

    def list_objects(self, resource: ResourceType, namespace: str | None = None) -> list[KubeObject]:
        """Copies of the objects of one resource, sorted by namespace then name (all namespaces if None)."""
        with self.lock:
            keys = sorted(key for key in self._objects if key[0] == resource.plural)
            return [copy.deepcopy(self._objects[key]) for key in keys if namespace in (None, key[1])]

    def fill_new_metadata(self, resource: ResourceType, namespace: str, obj: KubeObject) -> None:
        """Prepare a new object: namespace, name (from generateName), uid, generation 1, creationTimestamp.

        Raises a 409 AlreadyExists `ApiError` if the name is taken; hold `lock` until `save`.
        """
        with self.lock:
            metadata = obj.setdefault("metadata", {})
            metadata["namespace"] = namespace
            metadata["name"] = metadata.get("name") or self._generated_name(resource, metadata)
            if (resource.plural, namespace, metadata["name"]) in self._objects:
                raise already_exists(resource, metadata["name"])
            metadata.update(uid=str(uuid.uuid4()), generation=1, creationTimestamp=now_rfc3339())

    def save(self, resource: ResourceType, obj: KubeObject, event_type: str) -> KubeObject:
        """Store a copy of `obj` under the next resourceVersion, tell the watchers; returns a copy."""
        with self.lock:
            stored = copy.deepcopy(obj)
            metadata = stored["metadata"]
            self._objects[(resource.plural, metadata["namespace"], metadata["name"])] = stored
            return self._publish(resource, stored, event_type)

    def delete(self, resource: ResourceType, namespace: str, name: str) -> KubeObject:
        """Remove an object (404 `ApiError` if absent); returns it with the deletion's resourceVersion."""
        with self.lock:
            removed = self._objects.pop((resource.plural, namespace, name), None)
            if removed is None:
                raise not_found(resource, name)
            return self._publish(resource, removed, "DELETED")

    def subscribe(self, resource: ResourceType, namespace: str | None, since: int | None) -> Subscription:
        """A watch: ADDED for every existing object when `since` is None, else the changes after `since`."""
        with self.lock:
            subscription = Subscription(resource, namespace)
            for event in self._backlog(resource, namespace, since):
                if subscription.wants(event):
                    subscription.push(event)
            self._subscriptions.append(subscription)
            return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        """Stop sending events to a watch that has ended."""
        with self.lock:
            if subscription in self._subscriptions:
                self._subscriptions.remove(subscription)

    def close_subscriptions(self) -> None:
        """End every watch (used when the server stops)."""
        with self.lock:
            for subscription in self._subscriptions:
                subscription.close()
            self._subscriptions.clear()

    def _backlog(self, resource: ResourceType, namespace: str | None, since: int | None) -> list[WatchEvent]:
        """What a new watch starts with: the current objects as ADDED, or the kept history after `since`."""
        if since is not None:
            return [event for event in self._history if event.version > since]
        version = self._version
        return [
            WatchEvent("ADDED", resource, obj["metadata"]["namespace"], obj, version)
            for obj in self.list_objects(resource, namespace)
        ]

    def _publish(self, resource: ResourceType, obj: KubeObject, event_type: str) -> KubeObject:
        """Give `obj` the next resourceVersion, record the event, push it to watchers; returns a copy."""
        self._version += 1
        obj["metadata"]["resourceVersion"] = str(self._version)
        event = WatchEvent(
            event_type, resource, obj["metadata"]["namespace"], copy.deepcopy(obj), self._version
        )
        self._history.append(event)
        for subscription in self._subscriptions:
            if subscription.wants(event):
                subscription.push(event)
        return copy.deepcopy(obj)

    def _generated_name(self, resource: ResourceType, metadata: KubeObject) -> str:
        """`generateName` plus five random characters; 422 when neither name nor generateName is set."""
        prefix = str(metadata.get("generateName") or "")
        if not prefix:
            raise invalid(resource, "", "metadata.name", "Required value: name or generateName is required")
        return prefix + "".join(secrets.choice(_NAME_SUFFIX_CHARS) for _ in range(5))

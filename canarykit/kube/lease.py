"""A `coordination.k8s.io/v1` Lease per rollout: one driving process at a time, across machines."""

from __future__ import annotations

import contextlib
import os
import socket
import uuid
from datetime import datetime, timezone
from typing import Any

from canarykit.clock import Clock
from canarykit.errors import KubernetesError, StateLocked
from canarykit.kube.client import JsonObject, KubeAPI
from canarykit.kube.templates import MANAGED_BY

LEASES = "leases"


def default_identity() -> str:
    """`host/pid/random`: unique per driving process, readable in `kubectl get lease`."""
    return f"{socket.gethostname()}/{os.getpid()}/{uuid.uuid4().hex[:6]}"


class Lease:
    """Held by `identity` while renewed within `duration` seconds (on `clock`); expired leases are taken over.

    A process killed while holding it blocks others for at most `duration` seconds.
    """

    def __init__(
        self, api: KubeAPI, namespace: str, name: str, identity: str, clock: Clock, duration: int
    ) -> None:
        self.api, self.namespace, self.name = api, namespace, name
        self.identity, self.clock, self.duration = identity, clock, duration
        self.renewed_at: float | None = None

    def acquire(self, rollout: str) -> None:
        """Take the lease, or raise `StateLocked` naming the process that holds it."""
        now = self.clock.now()
        current = self.api.get(LEASES, self.namespace, self.name)
        if current is None:
            self._write(self._create, rollout, now, self._body(now, now, 0))
            return
        holder = current["spec"].get("holderIdentity")
        if holder and holder != self.identity and not self._expired(current, now):
            raise StateLocked(_refusal(rollout, holder, self._age(current, now), self.duration))
        transitions = int(current["spec"].get("leaseTransitions", 0) or 0) + 1
        body = self._body(now, now, transitions, current["metadata"]["resourceVersion"])
        self._write(self._replace, rollout, now, body)

    def renew(self, rollout: str) -> None:
        """Renew when a third of the duration has passed; `StateLocked` if another process took it over.

        An API fault (5xx, unreachable) is tolerated for up to two thirds of the duration since the last
        renewal (the next call tries again), then raised: as Kubernetes leader election's renew deadline,
        the holder gives up before another process may take the lease over.
        """
        now = self.clock.now()
        if self.renewed_at is not None and now - self.renewed_at < self.duration / 3:
            return
        try:
            self._renew(rollout, now)
        except StateLocked:
            raise
        except KubernetesError:
            if self.renewed_at is None or now - self.renewed_at >= self.duration * 2 / 3:
                raise

    def _renew(self, rollout: str, now: float) -> None:
        current = self.api.get(LEASES, self.namespace, self.name)
        holder = current["spec"].get("holderIdentity") if current else None
        if current is None or holder != self.identity:
            raise StateLocked(f"rollout {rollout!r}: lost the lease {self.name} to {holder or 'nobody'}")
        acquired = current["spec"].get("acquireTime") or _micro_time(now)
        body = self._body(_parse_time(acquired), now, int(current["spec"].get("leaseTransitions", 0) or 0))
        body["metadata"]["resourceVersion"] = current["metadata"]["resourceVersion"]
        self._write(self._replace, rollout, now, body)

    def release(self) -> None:
        """Give the lease up (best effort, never raising: an expired lease is taken over anyway)."""
        self.renewed_at = None
        with contextlib.suppress(KubernetesError):
            current = self.api.get(LEASES, self.namespace, self.name)
            if current is None or current["spec"].get("holderIdentity") != self.identity:
                return
            current["spec"] = {"leaseDurationSeconds": self.duration}
            self.api.replace(LEASES, self.namespace, self.name, current)

    def _write(self, action: Any, rollout: str, now: float, body: JsonObject) -> None:
        try:
            action(body)
        except KubernetesError as error:
            if error.conflict:
                raise StateLocked(
                    f"rollout {rollout!r}: another process took the lease {self.name}"
                ) from None
            raise
        self.renewed_at = now

    def _create(self, body: JsonObject) -> None:
        self.api.create(LEASES, self.namespace, body)

    def _replace(self, body: JsonObject) -> None:
        self.api.replace(LEASES, self.namespace, self.name, body)

    def _body(self, acquired: float, renewed: float, transitions: int, version: str = "") -> JsonObject:
        metadata: JsonObject = {"name": self.name, "namespace": self.namespace, "labels": dict(MANAGED_BY)}
        if version:
            metadata["resourceVersion"] = version
        spec = {
            "holderIdentity": self.identity,
            "leaseDurationSeconds": self.duration,
            "acquireTime": _micro_time(acquired),
            "renewTime": _micro_time(renewed),
            "leaseTransitions": transitions,
        }
        return {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": metadata, "spec": spec}

    def _age(self, lease: JsonObject, now: float) -> float | None:
        renewed = lease["spec"].get("renewTime")
        return now - _parse_time(renewed) if renewed else None

    def _expired(self, lease: JsonObject, now: float) -> bool:
        age = self._age(lease, now)
        duration = int(lease["spec"].get("leaseDurationSeconds") or self.duration)
        return age is None or age > duration


def _refusal(rollout: str, holder: str, age: float | None, duration: int) -> str:
    since = f"renewed {age:.0f} s ago" if age is not None else "never renewed"
    return (
        f"rollout {rollout!r} is being driven by {holder} (lease {since}, expires after {duration} s "
        "without renewal); stop that process or wait for its lease to expire"
    )


def _micro_time(unix: float) -> str:
    """Kubernetes MicroTime: `2026-11-26T04:41:48.123456Z`."""
    return datetime.fromtimestamp(unix, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse_time(text: str) -> float:
    value = text.replace("Z", "+00:00")
    return datetime.fromisoformat(value).timestamp()

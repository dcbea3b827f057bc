"""`KubernetesStateStore`: a rollout's record in a ConfigMap, its driver in a Lease, commands beside it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from canarykit.clock import Clock, SystemClock
from canarykit.errors import KubernetesError, StateError, StateLocked
from canarykit.kube.client import JsonObject, KubeAPI
from canarykit.kube.lease import LEASES, Lease, default_identity
from canarykit.kube.templates import MANAGED_BY
from canarykit.rollout.file_store import check_state_name, decode_record, encode_record

CONFIGMAPS = "configmaps"
STATE_KEY, COMMANDS_KEY = "state", "commands"
ATTEMPTS = 5
RETRY_DELAY = 0.5


class KubernetesStateStore:
    """ConfigMap `canarykit-<name>` holds the record (`data.state`) and queued commands (`data.commands`).

    Every write is a read-modify-write checked by resourceVersion, retried on conflict, so a command queued
    from another terminal is never lost to a concurrent save. `lock(name)` holds Lease `canarykit-<name>`;
    a second process gets `StateLocked`, and a killed holder's lease expires after `lease_seconds`.
    """

    def __init__(
        self,
        api: KubeAPI,
        namespace: str = "default",
        clock: Clock | None = None,
        lease_seconds: int = 30,
        identity: str | None = None,
    ) -> None:
        self.api, self.namespace = api, namespace
        self.clock: Clock = clock or SystemClock()
        self.lease_seconds = lease_seconds
        self.identity = identity or default_identity()
        self._leases: dict[str, Lease] = {}

    @staticmethod
    def object_name(name: str) -> str:
        return f"canarykit-{check_state_name(name)}"

    def load(self, name: str) -> dict[str, Any] | None:
        found = self._read(name)
        text = found.get("data", {}).get(STATE_KEY) if found else None
        return decode_record(text, self._where(name)) if text else None

    def save(self, name: str, record: Mapping[str, Any]) -> None:
        """Write the record; while this store holds the lease, it is renewed first when due, so a driver
        that stalled past its lease (and was taken over) gets `StateLocked` instead of overwriting."""
        text = encode_record(check_state_name(name), record)
        self.renew(name)
        self._update(name, lambda data: {**data, STATE_KEY: text}, create=True)

    def lock(self, name: str) -> AbstractContextManager[None]:
        return self._hold(check_state_name(name))

    def renew(self, name: str) -> None:
        """Keep this process's lease on `name` alive; called by `Rollout.run()` on every wake-up."""
        lease = self._leases.get(name)
        if lease is not None:
            lease.renew(name)

    def names(self) -> list[str]:
        """The rollouts recorded in the namespace, sorted (ConfigMaps `canarykit-<name>` with a state)."""
        selector = ",".join(f"{key}={value}" for key, value in MANAGED_BY.items())
        found = self.api.list(CONFIGMAPS, self.namespace, selector)
        names = (item["metadata"]["name"] for item in found if (item.get("data") or {}).get(STATE_KEY))
        return sorted(name.removeprefix("canarykit-") for name in names if name.startswith("canarykit-"))

    def holder(self, name: str) -> str | None:
        """The identity driving rollout `name` now, if any (the lease may have expired)."""
        lease = self.api.get(LEASES, self.namespace, self.object_name(name))
        holder = (lease or {}).get("spec", {}).get("holderIdentity")
        return str(holder) if holder else None

    # -- commands from other processes ---------------------------------------------------------------------

    def request(self, name: str, command: Mapping[str, Any]) -> None:
        """Queue `command` (e.g. `{"command": "promote", "full": True}`) for the process driving `name`."""
        self._update(name, lambda data: {**data, COMMANDS_KEY: _append(data, command)}, create=False)

    def take_commands(self, name: str) -> list[dict[str, Any]]:
        """Queued commands, oldest first, removed from the queue."""
        taken: list[dict[str, Any]] = []

        def drain(data: dict[str, str]) -> dict[str, str]:
            taken[:] = _commands(data)
            return {key: value for key, value in data.items() if key != COMMANDS_KEY}

        found = self._read(name)
        if found is None or not _commands(found.get("data") or {}):
            return []
        self._update(name, drain, create=False)
        return taken

    # -- ConfigMap read-modify-write ------------------------------------------------------------------------

    def _update(self, name: str, change: Callable[[dict[str, str]], dict[str, str]], create: bool) -> None:
        """Read, change and write back, retrying conflicts (after checking the lease) and transient faults."""
        last: KubernetesError | None = None
        for attempt in range(ATTEMPTS):
            try:
                found = self.api.get(CONFIGMAPS, self.namespace, self.object_name(name))
                if found is None and not create:
                    raise StateError(f"no rollout {name!r} in namespace {self.namespace!r}")
                self._write(name, found, change(dict((found or {}).get("data") or {})))
                return
            except KubernetesError as error:
                last = error
                if error.conflict:
                    self._check_still_held(name)
                else:
                    self._wait_if_transient(error, attempt, name)
        raise StateError(f"cannot write {self._where(name)} after {ATTEMPTS} attempts: {last}")

    def _write(self, name: str, found: JsonObject | None, data: dict[str, str]) -> None:
        if found is None:
            metadata = {
                "name": self.object_name(name),
                "namespace": self.namespace,
                "labels": dict(MANAGED_BY),
            }
            body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata, "data": data}
            self.api.create(CONFIGMAPS, self.namespace, body)
            return
        found["data"] = data
        self.api.replace(CONFIGMAPS, self.namespace, self.object_name(name), found)

    def _read(self, name: str) -> JsonObject | None:
        for attempt in range(ATTEMPTS):
            try:
                return self.api.get(CONFIGMAPS, self.namespace, self.object_name(name))
            except KubernetesError as error:
                self._wait_if_transient(error, attempt, name)
        raise StateError(f"cannot read {self._where(name)}: the API kept failing")  # pragma: no cover

    def _wait_if_transient(self, error: KubernetesError, attempt: int, name: str) -> None:
        """Back off on the store's clock after a 5xx, 429 or connection fault; raise anything else."""
        transient = error.status is None or error.status == 429 or error.status >= 500
        if not transient or attempt == ATTEMPTS - 1:
            raise StateError(f"cannot use {self._where(name)}: {error}") from error
        self.clock.sleep(RETRY_DELAY * 2**attempt)

    def _check_still_held(self, name: str) -> None:
        lease = self._leases.get(name)
        if lease is not None and self.holder(name) != self.identity:
            raise StateLocked(f"rollout {name!r}: another process took over its lease while saving")

    def _where(self, name: str) -> str:
        return f"ConfigMap {self.namespace}/{self.object_name(name)}"

    @contextmanager
    def _hold(self, name: str) -> Iterator[None]:
        if name in self._leases:
            raise StateLocked(f"rollout {name!r} is locked (held by this store; the lock is not re-entrant)")
        lease = Lease(
            self.api, self.namespace, self.object_name(name), self.identity, self.clock, self.lease_seconds
        )
        lease.acquire(name)
        self._leases[name] = lease
        try:
            yield
        finally:
            del self._leases[name]
            lease.release()


def _commands(data: Mapping[str, str]) -> list[dict[str, Any]]:
    text = data.get(COMMANDS_KEY)
    if not text:
        return []
    value = json.loads(text)
    return [dict(item) for item in value] if isinstance(value, list) else []


def _append(data: Mapping[str, str], command: Mapping[str, Any]) -> str:
    return json.dumps([*_commands(data), dict(command)], sort_keys=True)

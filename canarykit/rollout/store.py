"""Where a rollout's status is kept between steps and across processes."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class StateStore(Protocol):
    """Loads and saves one JSON-ready record per rollout name, and locks a rollout to one driver.

    `lock(name)` is held for as long as a process drives the rollout; a second process asking for it gets
    `StateLocked` at once (it never waits). `save` must be atomic: a reader sees the old record or the new.
    """

    def load(self, name: str) -> dict[str, Any] | None: ...

    def save(self, name: str, record: Mapping[str, Any]) -> None: ...

    def lock(self, name: str) -> AbstractContextManager[None]: ...


@runtime_checkable
class CommandQueue(Protocol):
    """A store that carries commands from other processes to the driver.

    A command is a JSON-ready dict: `{"command": "promote", "full": False}`, `{"command": "abort",
    "reason": "..."}`, `{"command": "retry"}`, `{"command": "pause"}` or `{"command": "undo"}`.
    `Rollout.run()` takes and applies them as it goes (`canarykit.rollout.remote`).
    """

    def request(self, name: str, command: Mapping[str, Any]) -> None: ...

    def take_commands(self, name: str) -> list[dict[str, Any]]: ...


@runtime_checkable
class RenewableLock(Protocol):
    """A store whose lock expires unless renewed (a Kubernetes Lease); `Rollout.run()` renews it."""

    def renew(self, name: str) -> None: ...

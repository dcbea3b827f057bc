"""A `StateStore` in memory, for tests: same rules as `FileStateStore`, plus a history of every save."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from canarykit.errors import StateLocked
from canarykit.rollout.file_store import check_state_name, decode_record, encode_record


class InMemoryStateStore:
    """Keeps records in a dict and locks in a set; `history` lists every successful save as `(name, record)`.

    Records pass through JSON on the way in and out, so they are deep copies (mutating what you saved or
    loaded never changes the stored state) and behave exactly as with `FileStateStore`: names are
    validated, non-JSON-able records raise `StateError`, tuples come back as lists. Like the file store,
    the lock is not re-entrant: taking a held name again raises `StateLocked`.
    """

    def __init__(self) -> None:
        self._records: dict[str, str] = {}
        self._held: set[str] = set()
        self._mutex = threading.Lock()
        self.history: list[tuple[str, dict[str, Any]]] = []

    def load(self, name: str) -> dict[str, Any] | None:
        check_state_name(name)
        with self._mutex:
            text = self._records.get(name)
        return None if text is None else decode_record(text, f"memory:{name}")

    def save(self, name: str, record: Mapping[str, Any]) -> None:
        text = encode_record(check_state_name(name), record)
        with self._mutex:
            self._records[name] = text
            self.history.append((name, decode_record(text, f"memory:{name}")))

    def lock(self, name: str) -> AbstractContextManager[None]:
        return self._hold(check_state_name(name))

    def is_locked(self, name: str) -> bool:
        with self._mutex:
            return name in self._held

    @contextmanager
    def _hold(self, name: str) -> Iterator[None]:
        with self._mutex:
            if name in self._held:
                raise StateLocked(
                    f"rollout {name!r} is locked (held in this store; the lock is not re-entrant)"
                )
            self._held.add(name)
        try:
            yield
        finally:
            with self._mutex:
                self._held.discard(name)

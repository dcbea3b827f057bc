"""InMemoryStateStore: the file store's rules, without the disk, plus a history of saves."""

from __future__ import annotations

from typing import Any

import pytest

from canarykit.errors import StateError, StateLocked
from canarykit.rollout.store import StateStore
from canarykit.testing.state import InMemoryStateStore


def test_implements_the_protocol() -> None:
    assert isinstance(InMemoryStateStore(), StateStore)


def test_round_trip_and_absent() -> None:
    store = InMemoryStateStore()
    assert store.load("web") is None
    store.save("web", {"step": 1, "pair": (1, 2)})
    assert store.load("web") == {"step": 1, "pair": [1, 2]}
    assert store.load("api") is None


def test_saved_and_loaded_records_are_copies() -> None:
    store = InMemoryStateStore()
    record: dict[str, Any] = {"steps": [1]}
    store.save("web", record)
    record["steps"].append(2)
    loaded = store.load("web")
    assert loaded == {"steps": [1]}
    loaded["steps"].append(3)
    store.history[0][1]["steps"].append(4)
    assert store.load("web") == {"steps": [1]}


def test_history_records_every_save_in_order() -> None:
    store = InMemoryStateStore()
    store.save("web", {"phase": "intent"})
    store.save("api", {"phase": "other"})
    store.save("web", {"phase": "done"})
    assert store.history == [
        ("web", {"phase": "intent"}),
        ("api", {"phase": "other"}),
        ("web", {"phase": "done"}),
    ]


@pytest.mark.parametrize("record", [{"x": object()}, {"x": float("inf")}])
def test_unjsonable_record_is_refused_and_not_recorded(record: dict[str, Any]) -> None:
    store = InMemoryStateStore()
    store.save("web", {"step": 1})
    with pytest.raises(StateError, match="not JSON-able"):
        store.save("web", record)
    assert store.load("web") == {"step": 1}
    assert len(store.history) == 1


@pytest.mark.parametrize("name", ["", "a/b", "x" * 254])
def test_bad_names_are_refused(name: str) -> None:
    store = InMemoryStateStore()
    for call in (lambda: store.load(name), lambda: store.save(name, {}), lambda: store.lock(name)):
        with pytest.raises(StateError, match="invalid rollout name"):
            call()


def test_lock_is_exclusive_and_not_reentrant() -> None:
    store = InMemoryStateStore()
    with store.lock("web"):
        assert store.is_locked("web")
        with pytest.raises(StateLocked, match="'web' is locked"), store.lock("web"):
            pass  # pragma: no cover
        with store.lock("api"):
            assert store.is_locked("api")
    assert not store.is_locked("web") and not store.is_locked("api")


def test_lock_released_after_exception() -> None:
    store = InMemoryStateStore()
    with pytest.raises(RuntimeError), store.lock("web"):
        raise RuntimeError("driver crashed")
    assert not store.is_locked("web")
    with store.lock("web"):
        pass

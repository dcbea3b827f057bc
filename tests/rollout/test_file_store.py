"""FileStateStore: round trip, atomic saves, loud corruption, name rules, a lock that dies with its holder."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import canarykit
from canarykit.errors import StateError, StateLocked
from canarykit.rollout.file_store import FileStateStore
from canarykit.rollout.store import StateStore

REPO = Path(canarykit.__file__).resolve().parents[1]
BAD_NAMES = ["", "a/b", "../escape", "a b", "x" * 254, "café", "a\nb", "a:b"]


@pytest.fixture
def store(tmp_path: Path) -> FileStateStore:
    return FileStateStore(tmp_path / "state")


def _run_python(code: str, directory: Path, **kwargs: Any) -> subprocess.Popen[str]:
    """Start `python -c code` with the store directory as argv[1]."""
    return subprocess.Popen(
        [sys.executable, "-c", code, str(directory)],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


TRY_LOCK = """
import sys
from canarykit.errors import StateLocked
from canarykit.rollout.file_store import FileStateStore
try:
    with FileStateStore(sys.argv[1]).lock("web"):
        print("acquired")
except StateLocked as exc:
    print("refused:", exc)
"""

HOLD_LOCK = """
import sys
from canarykit.rollout.file_store import FileStateStore
with FileStateStore(sys.argv[1]).lock("web"):
    print("locked", flush=True)
    sys.stdin.read()
"""


@pytest.fixture
def holder(store: FileStateStore) -> Iterator[subprocess.Popen[str]]:
    """A child process that holds the lock on "web" until killed."""
    process = _run_python(HOLD_LOCK, store.directory)
    try:
        assert process.stdout is not None
        assert process.stdout.readline() == "locked\n", process.stderr and process.stderr.read()
        yield process
    finally:
        process.kill()
        process.wait()


def test_implements_the_protocol(store: FileStateStore) -> None:
    assert isinstance(store, StateStore)


def test_round_trip_and_absent(store: FileStateStore) -> None:
    assert store.load("web") is None
    record = {"step": 2, "weight": 20, "history": [{"phase": "Paused"}], "note": "ünïcode"}
    store.save("web", record)
    assert store.load("web") == record
    store.save("web", {"step": 3})
    assert store.load("web") == {"step": 3}
    assert store.load("other") is None


def test_directory_is_created_on_demand(tmp_path: Path) -> None:
    store = FileStateStore(tmp_path / "a" / "b")
    assert store.load("web") is None
    assert not (tmp_path / "a").exists()
    store.save("web", {"x": 1})
    assert (tmp_path / "a" / "b" / "web.json").is_file()


def test_file_is_json_with_sorted_keys(store: FileStateStore) -> None:
    store.save("web.v1_x-2", {"b": 1, "a": {"d": 2, "c": 3}})
    text = (store.directory / "web.v1_x-2.json").read_text()
    assert json.loads(text) == {"a": {"c": 3, "d": 2}, "b": 1}
    assert text.index('"a"') < text.index('"b"') and text.index('"c"') < text.index('"d"')


@pytest.mark.parametrize("record", [{"x": object()}, {"x": float("nan")}, {"x": {1, 2}}])
def test_unjsonable_record_leaves_old_file(store: FileStateStore, record: dict[str, Any]) -> None:
    store.save("web", {"step": 1})
    before = (store.directory / "web.json").read_bytes()
    with pytest.raises(StateError, match="not JSON-able"):
        store.save("web", record)
    assert (store.directory / "web.json").read_bytes() == before
    assert sorted(p.name for p in store.directory.iterdir()) == ["web.json"]


def test_failed_replace_leaves_old_file_and_no_temp(
    store: FileStateStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save("web", {"step": 1})

    def fail(src: str, dst: str) -> None:
        raise OSError("disk on fire")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(StateError, match="disk on fire") as caught:
        store.save("web", {"step": 2})
    assert "web.json" in str(caught.value)
    assert store.load("web") == {"step": 1}
    assert sorted(p.name for p in store.directory.iterdir()) == ["web.json"]


def test_save_fsyncs_file_then_replaces_then_fsyncs_directory(
    store: FileStateStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append("fsync-dir" if os.path.isdir(f"/proc/self/fd/{fd}") else "fsync-file")
        real_fsync(fd)

    def replace(src: str, dst: str) -> None:
        assert Path(src).parent == Path(dst).parent
        events.append("replace")
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    store.save("web", {"step": 1})
    assert events == ["fsync-file", "replace", "fsync-dir"]


@pytest.mark.parametrize("content", [b"{not json", b"", b"[1, 2]", b"\xff\xfe\x00"])
def test_corrupt_file_is_an_error_naming_the_path(store: FileStateStore, content: bytes) -> None:
    store.directory.mkdir()
    (store.directory / "web.json").write_bytes(content)
    with pytest.raises(StateError, match=r"web\.json"):
        store.load("web")


def test_unreadable_file_is_an_error(store: FileStateStore) -> None:
    (store.directory / "web.json").mkdir(parents=True)
    with pytest.raises(StateError, match=r"cannot read rollout state .*web\.json"):
        store.load("web")


@pytest.mark.parametrize("name", BAD_NAMES)
def test_bad_names_are_refused(store: FileStateStore, name: str) -> None:
    with pytest.raises(StateError, match="invalid rollout name"):
        store.load(name)
    with pytest.raises(StateError, match="invalid rollout name"):
        store.save(name, {})
    with pytest.raises(StateError, match="invalid rollout name"):
        store.lock(name)
    assert not store.directory.exists()


def test_lock_writes_pid_and_clears_it_on_release(store: FileStateStore) -> None:
    lock_file = store.directory / "web.lock"
    with store.lock("web"):
        assert lock_file.read_text() == f"{os.getpid()}\n"
    assert lock_file.read_text() == ""


def test_lock_is_not_reentrant(store: FileStateStore) -> None:
    with store.lock("web"):
        refusal = rf"this process \(pid {os.getpid()}\).*not re-entrant"
        with pytest.raises(StateLocked, match=refusal), store.lock("web"):
            pass  # pragma: no cover
        with pytest.raises(StateLocked), FileStateStore(store.directory).lock("web"):
            pass  # pragma: no cover
        with store.lock("api"):
            pass
    with store.lock("web"):
        pass


def test_lock_released_after_exception(store: FileStateStore) -> None:
    with pytest.raises(RuntimeError), store.lock("web"):
        raise RuntimeError("driver crashed")
    with store.lock("web"):
        pass


def test_other_process_is_refused_while_held(store: FileStateStore) -> None:
    with store.lock("web"):
        out, err = _run_python(TRY_LOCK, store.directory).communicate(timeout=60)
        assert out.startswith("refused:"), err
        assert f"held by pid {os.getpid()}" in out
    out, err = _run_python(TRY_LOCK, store.directory).communicate(timeout=60)
    assert out == "acquired\n", err


def test_killed_holder_leaves_no_stale_lock(store: FileStateStore, holder: subprocess.Popen[str]) -> None:
    with pytest.raises(StateLocked, match=f"held by pid {holder.pid}"), store.lock("web"):
        pass  # pragma: no cover
    os.kill(holder.pid, signal.SIGKILL)
    assert holder.wait(timeout=60) == -signal.SIGKILL
    with store.lock("web"):
        assert (store.directory / "web.lock").read_text() == f"{os.getpid()}\n"

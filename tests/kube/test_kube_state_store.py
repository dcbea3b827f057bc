"""`KubernetesStateStore`: the record in a ConfigMap, commands beside it, one driver at a time by a Lease."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import pytest

from canarykit import Rollout, RolloutPhase
from canarykit.errors import KubernetesError, StateError, StateLocked
from canarykit.kube import KubeAPI, KubernetesStateStore
from canarykit.kube.state_store import ATTEMPTS
from canarykit.rollout import RolloutStatus
from canarykit.rollout import events as ev
from canarykit.rollout.store import CommandQueue, RenewableLock, StateStore
from canarykit.steps import Pause, SetWeight, Step
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryWorkload
from canarykit.testing.kube import FakeKubeAPI

NAME = "web"
CONFIGMAP = LEASE = "canarykit-web"
RECORD: dict[str, Any] = {"name": NAME, "version": "green", "step_index": 1, "weight": 20, "history": [20]}
START = 1_700_000_000.0
PROMOTE = {"command": "promote"}


class Interleaved(KubeAPI):
    """canarykit's client edge on the same connection, letting another writer act just before its PUTs.

    `before_put` holds actions run one per PUT, after this process read the object and before it writes:
    the write then meets a real 409 from the API server.
    """

    def __init__(self, api: KubeAPI) -> None:
        super().__init__(api.api_client, api.request_timeout)
        self.before_put: list[Callable[[], object]] = []

    def replace(self, resource: str, namespace: str, name: str, body: Mapping[str, Any]) -> dict[str, Any]:
        if self.before_put:
            self.before_put.pop(0)()
        return super().replace(resource, namespace, name, body)


class BoundedClock(FakeClock):
    """A fake clock that fails the test instead of looping for ever if a rollout never finishes."""

    def sleep(self, seconds: float) -> None:
        super().sleep(seconds)
        if self.now() > START + 3600:
            raise AssertionError("the rollout is still running after an hour of fake time")


def make_store(
    api: KubeAPI, identity: str = "driver-1", clock: FakeClock | None = None, lease_seconds: int = 30
) -> KubernetesStateStore:
    return KubernetesStateStore(
        api, "default", clock=clock or FakeClock(START), lease_seconds=lease_seconds, identity=identity
    )


def configmap(cluster: FakeKubeAPI, name: str = CONFIGMAP, namespace: str = "default") -> dict[str, Any]:
    found = cluster.get("configmaps", namespace, name)
    assert found is not None
    return found


def lease_spec(cluster: FakeKubeAPI) -> dict[str, Any]:
    found = cluster.get("leases", "default", LEASE)
    assert found is not None
    spec: dict[str, Any] = found["spec"]
    return spec


def seconds(micro_time: str) -> float:
    """A Lease time (RFC 3339, `Z` or an offset) in seconds after START."""
    return datetime.fromisoformat(micro_time.replace("Z", "+00:00")).timestamp() - START


def requests_to(cluster: FakeKubeAPI, method: str, part: str) -> int:
    return sum(1 for m, path, _ in cluster.requests if m == method and part in path)


# -- the record -----------------------------------------------------------------------------------------


def test_implements_the_store_protocols(api: KubeAPI) -> None:
    store = make_store(api)
    assert isinstance(store, StateStore)
    assert isinstance(store, CommandQueue)
    assert isinstance(store, RenewableLock)


def test_load_is_none_before_any_save(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    assert make_store(api).load(NAME) is None
    assert cluster.list("configmaps", "default") == []


def test_save_then_load_round_trips_through_a_configmap(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    store = make_store(api)
    store.save(NAME, RECORD)

    assert store.load(NAME) == RECORD
    assert make_store(api, identity="other").load(NAME) == RECORD  # another process reads the same
    saved = configmap(cluster)
    assert saved["metadata"]["labels"] == {"app.kubernetes.io/managed-by": "canarykit"}
    assert set(saved["data"]) == {"state"}
    assert json.loads(saved["data"]["state"]) == RECORD

    changed = {**RECORD, "step_index": 2, "weight": 50}
    store.save(NAME, changed)
    assert store.load(NAME) == changed
    assert configmap(cluster)["metadata"]["resourceVersion"] != saved["metadata"]["resourceVersion"]
    assert store.load("api") is None  # one ConfigMap per rollout


def test_records_stay_in_the_store_namespace(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    store = KubernetesStateStore(api, "team-a", clock=FakeClock(START), identity="driver-1")
    store.save(NAME, RECORD)
    assert json.loads(configmap(cluster, namespace="team-a")["data"]["state"]) == RECORD
    assert cluster.get("configmaps", "default", CONFIGMAP) is None
    assert make_store(api).load(NAME) is None


@pytest.mark.parametrize("name", ["", "a/b", "web app", "x" * 254])
def test_invalid_names_are_refused(api: KubeAPI, name: str) -> None:
    store = make_store(api)
    calls: list[Callable[[], object]] = [
        lambda: store.load(name),
        lambda: store.save(name, RECORD),
        lambda: store.lock(name),
        lambda: store.request(name, PROMOTE),
        lambda: store.take_commands(name),
    ]
    for call in calls:
        with pytest.raises(StateError, match="invalid rollout name"):
            call()


def test_an_unjsonable_record_is_refused_before_writing(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    with pytest.raises(StateError, match="not JSON-able"):
        make_store(api).save(NAME, {"weight": float("nan")})
    assert cluster.get("configmaps", "default", CONFIGMAP) is None


def test_a_corrupt_record_is_a_state_error(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": CONFIGMAP}, "data": {"state": "{"}}
    cluster.put(body)
    with pytest.raises(StateError, match="corrupt rollout state in ConfigMap default/canarykit-web"):
        make_store(api).load(NAME)


def test_transient_api_faults_are_retried_on_the_stores_clock(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    clock = FakeClock(START)
    store = make_store(api, clock=clock)
    store.save(NAME, RECORD)
    cluster.fail_next(2, 503, method="GET", path="configmaps")
    assert store.load(NAME) == RECORD
    cluster.fail_next(2, 500, method="PUT", path="configmaps")
    store.save(NAME, {**RECORD, "weight": 50})
    assert store.load(NAME) == {**RECORD, "weight": 50}
    assert clock.now() == START + 2 * (0.5 + 1.0)  # two back-offs of 0.5 s then 1 s, on the fake clock


def test_persistent_api_faults_are_state_errors(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    store = make_store(api)
    store.save(NAME, RECORD)
    cluster.fail_next(ATTEMPTS, 503, method="GET", path="configmaps")
    with pytest.raises(StateError, match=r"cannot use ConfigMap default/canarykit-web: .*503"):
        store.load(NAME)
    cluster.fail_next(ATTEMPTS, 500, method="PUT", path="configmaps")
    with pytest.raises(StateError, match=r"cannot use ConfigMap default/canarykit-web: .*500"):
        store.save(NAME, {**RECORD, "weight": 50})
    cluster.fail_next(1, 403, method="PUT", path="configmaps")
    with pytest.raises(StateError, match="403"):  # refused, not transient: no retry
        store.save(NAME, {**RECORD, "weight": 60})
    assert store.load(NAME) == RECORD


# -- concurrent writes ----------------------------------------------------------------------------------


def test_a_conflicting_write_is_retried(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    store = make_store(api)
    store.save(NAME, RECORD)
    cluster.clear_requests()
    cluster.fail_next(1, 409, method="PUT", path="configmaps")

    store.save(NAME, {**RECORD, "weight": 50})

    assert store.load(NAME) == {**RECORD, "weight": 50}
    assert requests_to(cluster, "PUT", "configmaps") == 2


def test_a_configmap_created_meanwhile_is_updated_instead(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    cluster.fail_next(1, 409, method="POST", path="configmaps")  # AlreadyExists: another writer was first
    make_store(api).save(NAME, RECORD)
    assert make_store(api).load(NAME) == RECORD


def test_conflicts_that_never_end_are_a_state_error(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    store = make_store(api)
    store.save(NAME, RECORD)
    cluster.fail_next(4, 409, method="PUT", path="configmaps")
    store.save(NAME, {**RECORD, "weight": 40})  # the fifth attempt gets through
    assert store.load(NAME) == {**RECORD, "weight": 40}

    cluster.fail_next(5, 409, method="PUT", path="configmaps")
    with pytest.raises(StateError, match=r"after 5 attempts: .*409 Conflict"):
        store.save(NAME, {**RECORD, "weight": 50})
    assert store.load(NAME) == {**RECORD, "weight": 40}


def test_a_command_queued_between_read_and_write_of_a_save_is_kept(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    driver_api = Interleaved(api)
    driver, terminal = make_store(driver_api), make_store(api, identity="terminal")
    driver.save(NAME, RECORD)
    driver_api.before_put.append(lambda: terminal.request(NAME, PROMOTE))
    cluster.clear_requests()

    driver.save(NAME, {**RECORD, "step_index": 2})

    assert requests_to(cluster, "PUT", "configmaps") == 3  # the terminal's, the driver's 409, its retry
    assert driver.load(NAME) == {**RECORD, "step_index": 2}
    assert driver.take_commands(NAME) == [PROMOTE]


def test_a_command_queued_while_commands_are_taken_is_not_lost(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    driver_api = Interleaved(api)
    driver, terminal = make_store(driver_api), make_store(api, identity="terminal")
    driver.save(NAME, RECORD)
    terminal.request(NAME, {"command": "promote", "full": False})
    driver_api.before_put.append(lambda: terminal.request(NAME, {"command": "abort", "reason": "oops"}))

    taken = driver.take_commands(NAME)

    assert taken == [{"command": "promote", "full": False}, {"command": "abort", "reason": "oops"}]
    assert driver.take_commands(NAME) == []
    assert "commands" not in configmap(cluster)["data"]
    assert driver.load(NAME) == RECORD


def test_saves_keep_queued_commands(api: KubeAPI) -> None:
    driver, terminal = make_store(api), make_store(api, identity="terminal")
    driver.save(NAME, RECORD)
    terminal.request(NAME, PROMOTE)
    driver.save(NAME, {**RECORD, "weight": 40})
    assert driver.take_commands(NAME) == [PROMOTE]
    assert driver.load(NAME) == {**RECORD, "weight": 40}


# -- commands -------------------------------------------------------------------------------------------


def test_commands_are_taken_oldest_first_and_only_once(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    driver, terminal = make_store(api), make_store(api, identity="terminal")
    driver.save(NAME, RECORD)
    assert driver.take_commands(NAME) == []
    commands: list[dict[str, Any]] = [
        {"command": "promote", "full": True},
        {"command": "abort", "reason": "why"},
        {"command": "retry"},
    ]
    for command in commands:
        terminal.request(NAME, command)
    assert json.loads(configmap(cluster)["data"]["commands"]) == commands

    cluster.clear_requests()
    assert driver.take_commands(NAME) == commands
    assert driver.take_commands(NAME) == []
    assert requests_to(cluster, "PUT", "configmaps") == 1  # an empty queue is not rewritten

    terminal.request(NAME, {"command": "retry"})
    assert driver.take_commands(NAME) == [{"command": "retry"}]
    assert driver.load(NAME) == RECORD


def test_a_command_for_an_unknown_rollout_is_refused(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    store = make_store(api)
    with pytest.raises(StateError, match="no rollout 'web' in namespace 'default'"):
        store.request(NAME, PROMOTE)
    assert cluster.get("configmaps", "default", CONFIGMAP) is None
    assert store.take_commands(NAME) == []


# -- the lease ------------------------------------------------------------------------------------------


def test_lock_holds_a_lease_naming_this_process(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    store = make_store(api)
    assert store.holder(NAME) is None
    with store.lock(NAME):
        spec = lease_spec(cluster)
        assert seconds(spec.pop("acquireTime")) == seconds(spec.pop("renewTime")) == 0
        assert spec == {"holderIdentity": "driver-1", "leaseDurationSeconds": 30, "leaseTransitions": 0}
        lease = cluster.get("leases", "default", LEASE)
        assert lease is not None
        assert lease["metadata"]["labels"] == {"app.kubernetes.io/managed-by": "canarykit"}
        assert store.holder(NAME) == "driver-1"
    assert store.holder(NAME) is None
    assert "holderIdentity" not in lease_spec(cluster)  # released, not deleted


def test_the_default_identity_names_host_and_process(api: KubeAPI) -> None:
    first, second = KubernetesStateStore(api), KubernetesStateStore(api)
    assert first.identity.startswith(f"{socket.gethostname()}/{os.getpid()}/")
    assert first.identity != second.identity


def test_a_second_driver_is_refused_naming_the_holder(api: KubeAPI) -> None:
    clock = FakeClock(START)
    first, second = make_store(api, clock=clock), make_store(api, "driver-2", clock=clock)
    with first.lock(NAME):
        clock.advance(10)
        with pytest.raises(StateLocked) as refused, second.lock(NAME):
            pass  # pragma: no cover
        assert "'web' is being driven by driver-1" in str(refused.value)
        assert "renewed 10 s ago" in str(refused.value)
        assert "expires after 30 s without renewal" in str(refused.value)
        clock.advance(20)  # exactly the lease duration: not expired yet
        with pytest.raises(StateLocked, match="driver-1"), second.lock(NAME):
            pass  # pragma: no cover
        assert first.holder(NAME) == "driver-1"
        with second.lock("api"):  # other rollouts are not affected
            assert second.holder("api") == "driver-2"


def test_an_expired_lease_is_taken_over_and_the_old_holder_finds_out(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    clock = FakeClock(START)
    first, second = make_store(api, clock=clock), make_store(api, "driver-2", clock=clock)
    with first.lock(NAME):
        first.save(NAME, RECORD)
        clock.advance(31)  # first stopped renewing (stuck, or killed)
        with second.lock(NAME):
            spec = lease_spec(cluster)
            assert spec["holderIdentity"] == "driver-2"
            assert spec["leaseTransitions"] == 1
            assert seconds(spec["acquireTime"]) == seconds(spec["renewTime"]) == 31
            assert second.load(NAME) == RECORD

            with pytest.raises(StateLocked, match="lost the lease canarykit-web to driver-2"):
                first.renew(NAME)
            assert second.load(NAME) == RECORD
        assert second.holder(NAME) is None
    assert first.holder(NAME) is None


def test_a_driver_that_stalled_past_its_lease_cannot_overwrite_the_new_driver(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    clock = FakeClock(START)
    first, second = make_store(api, clock=clock), make_store(api, "driver-2", clock=clock)
    with first.lock(NAME):
        first.save(NAME, RECORD)
        clock.advance(31)  # first stalls (GC pause, SIGSTOP, a slow call) and its lease expires
        with second.lock(NAME):
            second.save(NAME, {**RECORD, "step_index": 2})
            cluster.clear_requests()
            with pytest.raises(StateLocked, match="lost the lease canarykit-web to driver-2"):
                first.save(NAME, {**RECORD, "weight": 99})  # first wakes up and saves its next step
            assert requests_to(cluster, "PUT", "configmaps") == 0
            assert second.load(NAME) == {**RECORD, "step_index": 2}


def test_a_conflicting_save_checks_the_lease_is_still_held(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    store = make_store(api)
    with store.lock(NAME):
        store.save(NAME, RECORD)
        lease = cluster.get("leases", "default", LEASE)
        assert lease is not None
        lease["spec"]["holderIdentity"] = "intruder"  # someone forced the lease over (kubectl edit)
        cluster.put(lease)
        cluster.fail_next(1, 409, method="PUT", path="configmaps")
        with pytest.raises(StateLocked, match="another process took over its lease while saving"):
            store.save(NAME, {**RECORD, "weight": 99})
        assert store.load(NAME) == RECORD


def test_leaving_the_lock_lets_another_driver_in_at_once(api: KubeAPI) -> None:
    clock = FakeClock(START)
    first, second = make_store(api, clock=clock), make_store(api, "driver-2", clock=clock)
    with first.lock(NAME):
        pass
    with second.lock(NAME):
        assert second.holder(NAME) == "driver-2"

    with pytest.raises(RuntimeError, match="driver crashed"), first.lock(NAME):
        raise RuntimeError("driver crashed")
    with second.lock(NAME):
        assert second.holder(NAME) == "driver-2"


def test_leaving_the_lock_never_raises_for_an_api_fault(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    clock = FakeClock(START)
    first, second = make_store(api, clock=clock), make_store(api, "driver-2", clock=clock)
    with first.lock(NAME):
        cluster.fail_next(1, 503, method="GET", path="leases")
    assert first.holder(NAME) == "driver-1"  # not released: the lease expires instead

    with pytest.raises(RuntimeError, match="the real failure"), first.lock(NAME):
        cluster.fail_next(1, "disconnect", method="PUT", path="leases")
        raise RuntimeError("the real failure")  # not masked by the failed release
    with pytest.raises(StateLocked):
        second.lock(NAME).__enter__()
    clock.advance(31)
    with second.lock(NAME):
        assert second.holder(NAME) == "driver-2"


def test_the_lock_is_not_reentrant(api: KubeAPI) -> None:
    store = make_store(api)
    with store.lock(NAME):
        with pytest.raises(StateLocked, match="not re-entrant"), store.lock(NAME):
            pass  # pragma: no cover
        assert store.holder(NAME) == "driver-1"  # still held by the outer lock
        with store.lock("api"):
            assert store.holder("api") == "driver-1"
    assert store.holder(NAME) is None
    with store.lock(NAME):
        pass


def test_racing_for_the_lease_is_lost_cleanly(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    clock = FakeClock(START)
    store = make_store(api, clock=clock)
    cluster.fail_next(1, 409, method="POST", path="leases")  # another driver created it first
    with pytest.raises(StateLocked, match="another process took the lease canarykit-web"), store.lock(NAME):
        pass  # pragma: no cover
    with store.lock(NAME):
        pass
    clock.advance(1)
    cluster.fail_next(1, 409, method="PUT", path="leases")  # another driver took the free lease first
    with pytest.raises(StateLocked, match="another process took the lease"), store.lock(NAME):
        pass  # pragma: no cover
    with store.lock(NAME):
        assert store.holder(NAME) == "driver-1"


def test_renew_writes_only_when_a_third_of_the_duration_has_passed(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    clock = FakeClock(START)
    store = make_store(api, clock=clock, lease_seconds=30)
    store.renew(NAME)  # not locked: nothing to renew
    with store.lock(NAME):
        cluster.clear_requests()
        puts: list[int] = []
        for _ in range(30):  # a poll every second for 30 s
            clock.advance(1)
            store.renew(NAME)
            puts.append(requests_to(cluster, "PUT", "leases"))
        assert [i + 1 for i, count in enumerate(puts) if count > (puts[i - 1] if i else 0)] == [10, 20, 30]
        assert requests_to(cluster, "GET", "leases") == 3  # nothing read between renewals either
        spec = lease_spec(cluster)
        assert (seconds(spec["acquireTime"]), seconds(spec["renewTime"])) == (0, 30)
        assert spec["holderIdentity"] == "driver-1" and spec["leaseTransitions"] == 0
        clock.advance(25)  # renewed at +30: the lease is good until +60
        with pytest.raises(StateLocked), make_store(api, "driver-2", clock=clock).lock(NAME):
            pass  # pragma: no cover


def test_renewal_survives_a_passing_api_fault(cluster: FakeKubeAPI, api: KubeAPI) -> None:
    clock = FakeClock(START)
    store = make_store(api, clock=clock, lease_seconds=30)
    with store.lock(NAME):
        clock.advance(10)
        cluster.fail_next(1, 503, method="GET", path="leases")
        store.renew(NAME)  # the lease is good for 20 s more: try again at the next poll
        clock.advance(1)
        store.renew(NAME)
        assert seconds(lease_spec(cluster)["renewTime"]) == 11

        for wait in (10, 5):  # the API is down for a while...
            clock.advance(wait)
            cluster.fail_next(1, "disconnect", method="GET", path="leases")
            store.renew(NAME)
        clock.advance(5)  # ...two thirds of the duration: give up before another may take the lease
        cluster.fail_next(1, 500, method="PUT", path="leases")
        with pytest.raises(KubernetesError, match="500"):
            store.renew(NAME)
        assert seconds(lease_spec(cluster)["renewTime"]) == 11


# -- driving a rollout ----------------------------------------------------------------------------------


def test_a_rollout_holds_the_lease_and_takes_commands_from_another_terminal(
    cluster: FakeKubeAPI, api: KubeAPI
) -> None:
    clock = BoundedClock(START)
    driver, terminal = make_store(api, clock=clock), make_store(api, "terminal", clock=clock)
    seen: list[str | None] = []

    def on_event(event: ev.Event) -> None:
        if isinstance(event, ev.Paused):  # the operator looks, then promotes from another terminal
            seen.append(terminal.holder(NAME))
            with pytest.raises(StateLocked, match="being driven by driver-1"), terminal.lock(NAME):
                pass  # pragma: no cover
            terminal.request(NAME, PROMOTE)

    router, workload = InMemoryRouter(), InMemoryWorkload("blue")
    steps: list[Step] = [SetWeight(20), Pause(), SetWeight(50)]
    rollout = Rollout(NAME, steps, router, workload, clock=clock, state=driver, on_event=on_event)

    result = rollout.run("green", handle_signals=False)

    assert result.phase is RolloutPhase.HEALTHY, result.message
    assert router.history == [20, 50, 100, 0]
    assert seen == ["driver-1"]
    assert driver.holder(NAME) is None
    record = terminal.load(NAME)
    assert record is not None and record["finished"] and record["phase"] == "Healthy"
    assert "commands" not in configmap(cluster)["data"]
    assert clock.now() - START < 60  # promoted at the first poll, then the 30 s scale-down delay


def test_a_new_rollout_drops_commands_queued_for_an_earlier_one(api: KubeAPI) -> None:
    store = make_store(api)
    store.save(NAME, RolloutStatus(NAME, "v1", finished=True).to_dict())
    make_store(api, identity="terminal").request(NAME, {"command": "abort"})  # nobody was driving
    router = InMemoryRouter()
    rollout = Rollout(NAME, [SetWeight(50)], router, InMemoryWorkload(), clock=FakeClock(START), state=store)
    result = rollout.run("v2", handle_signals=False)
    assert result.phase is RolloutPhase.HEALTHY
    assert router.history == [50, 100, 0]
    assert store.take_commands(NAME) == []

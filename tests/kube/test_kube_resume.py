"""A driver SIGKILLed at a pause leaves its rollout in the cluster; another process resumes and finishes it.

The first driver is a real process (`kube_crash_driver.py`) talking to the fake API server over HTTP. Once
it is killed, its Lease still names it: a second driver is refused until the lease expires, then takes
over and continues from the recorded step and weight; a promote queued from another terminal lets the
resumed rollout go on to Healthy.
"""

from __future__ import annotations

import queue
import socket
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import pytest
from fake_kube_bodies import deployment_of
from kube_crash_driver import (
    BLUE,
    CANARY_SERVICE,
    GREEN,
    LEASE_SECONDS,
    NAME,
    PAUSED,
    STABLE_SERVICE,
    build_rollout,
)

from canarykit import RolloutPhase, StateLocked, SystemClock
from canarykit.kube import REVISION_LABEL, KubeAPI, KubernetesStateStore
from canarykit.rollout import events as ev
from canarykit.testing import FakeClock
from canarykit.testing.kube import FakeKubeAPI

DRIVER = Path(__file__).parent / "kube_crash_driver.py"
CANARY_INGRESS = "canary-demo-canary-demo-canary"
WEIGHT = "nginx.ingress.kubernetes.io/canary-weight"
MARKER_TIMEOUT = 60.0
"""Seconds to wait for the driver's marker line: only reached if the driver is broken."""


class BoundedClock(FakeClock):
    """A fake clock that fails the test instead of looping for ever if the rollout never finishes."""

    def __init__(self, start: float, limit: float = 3600) -> None:
        super().__init__(start)
        self.limit = start + limit

    def sleep(self, seconds: float) -> None:
        super().sleep(seconds)
        if self.now() > self.limit:
            raise AssertionError("the rollout is still running after an hour of fake time")


def stable_deployment() -> dict[str, Any]:
    labels = {"app": NAME}
    template = {
        "metadata": {"labels": labels},
        "spec": {"containers": [{"name": NAME, "image": BLUE, "ports": [{"containerPort": 8080}]}]},
    }
    return deployment_of(NAME, template, 5, labels)


def first_line(stream: IO[str], timeout: float) -> str:
    """The first line the process writes (empty at end of file), read on a helper thread."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(stream.readline()), daemon=True).start()
    try:
        return lines.get(timeout=timeout)
    except queue.Empty:
        return ""


def canary_weight(cluster: FakeKubeAPI) -> str:
    ingress = cluster.get("ingresses", "default", CANARY_INGRESS)
    assert ingress is not None
    return str(ingress["metadata"]["annotations"][WEIGHT])


def selector(cluster: FakeKubeAPI, service: str) -> dict[str, str]:
    found = cluster.get("services", "default", service)
    assert found is not None
    return dict(found["spec"]["selector"])


def template_of(cluster: FakeKubeAPI, deployment: str) -> dict[str, Any]:
    found = cluster.get("deployments", "default", deployment)
    assert found is not None
    template: dict[str, Any] = found["spec"]["template"]
    return template


def ingress_writes(cluster: FakeKubeAPI) -> list[str]:
    return [method for method, path, _ in cluster.requests if method != "GET" and "ingresses" in path]


def lease_renewed_at(cluster: FakeKubeAPI) -> float:
    lease = cluster.get("leases", "default", f"canarykit-{NAME}")
    assert lease is not None
    return datetime.fromisoformat(lease["spec"]["renewTime"].replace("Z", "+00:00")).timestamp()


def run_driver_until_paused(cluster: FakeKubeAPI, tmp_path: Path) -> tuple[int, str]:
    """Start the driver, wait for its pause marker, SIGKILL it; its pid and lease identity."""
    with (tmp_path / "driver.err").open("w+") as errors:
        driver = subprocess.Popen(
            [sys.executable, str(DRIVER), cluster.url],
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        try:
            assert driver.stdout is not None
            line = first_line(driver.stdout, MARKER_TIMEOUT)
        finally:
            driver.kill()  # SIGKILL: no clean-up, no lease release
            driver.wait(timeout=10)
            if driver.stdout is not None:
                driver.stdout.close()
        errors.seek(0)
        assert line.startswith(f"{PAUSED} "), f"driver output {line!r}, stderr:\n{errors.read()}"
    assert driver.returncode == -9
    return driver.pid, line.split(maxsplit=1)[1].strip()


def test_a_killed_driver_is_resumed_at_its_step_by_another_process(
    cluster: FakeKubeAPI, api: KubeAPI, tmp_path: Path
) -> None:
    cluster.put(stable_deployment())
    pid, identity = run_driver_until_paused(cluster, tmp_path)

    # what the killed driver left: its record at the pause, its lease, the canary at 20 %
    assert identity.startswith(f"{socket.gethostname()}/{pid}/")
    observer = KubernetesStateStore(api, identity="observer")
    record = observer.load(NAME)
    assert record is not None
    assert (record["step_index"], record["weight"], record["weight_history"]) == (1, 20, [20])
    assert (record["phase"], record["pause_reason"], record["finished"]) == (
        "Paused",
        "CanaryPauseStep",
        False,
    )
    assert record["pending_weight"] is None and record["version"] == GREEN
    assert observer.holder(NAME) == identity
    assert canary_weight(cluster) == "20"
    canary = cluster.get("deployments", "default", f"{NAME}-canary")
    assert canary is not None and canary["spec"]["replicas"] == 1  # 20 % of 5
    blue = str(template_of(cluster, NAME)["metadata"]["labels"][REVISION_LABEL])
    green = str(canary["spec"]["template"]["metadata"]["labels"][REVISION_LABEL])
    assert selector(cluster, STABLE_SERVICE) == {"app": NAME, REVISION_LABEL: blue}
    assert selector(cluster, CANARY_SERVICE) == {"app": NAME, REVISION_LABEL: green}

    # a second driver is refused while the dead driver's lease is fresh, and changes nothing
    cluster.clear_requests()
    second = KubernetesStateStore(api, clock=SystemClock(), identity="second", lease_seconds=LEASE_SECONDS)
    with pytest.raises(StateLocked, match=f"is being driven by {identity}"):
        build_rollout(api, second, SystemClock()).run(GREEN, handle_signals=False)
    assert [method for method, _, _ in cluster.requests] == ["GET"]  # it only read the lease
    assert observer.holder(NAME) == identity

    # past the lease's expiry (on a fake clock) another driver takes over and resumes
    clock = BoundedClock(lease_renewed_at(cluster) + LEASE_SECONDS + 1)
    resumer = KubernetesStateStore(api, clock=clock, identity="resumer", lease_seconds=LEASE_SECONDS)
    terminal = KubernetesStateStore(api, identity="terminal")  # `canarykit promote` in another terminal
    at_pause: list[tuple[str, list[str], str | None]] = []

    def on_event(event: ev.Event) -> None:
        if isinstance(event, ev.StepStarted) and event.index == 1:  # back at the pause, as recorded
            at_pause.append((canary_weight(cluster), ingress_writes(cluster), terminal.holder(NAME)))
            terminal.request(NAME, {"command": "promote"})

    cluster.clear_requests()
    resumed_at = clock.now()
    result = build_rollout(api, resumer, clock, on_event).run(GREEN, handle_signals=False)

    assert result.phase is RolloutPhase.HEALTHY, result.message
    assert at_pause == [("20", [], "resumer")]  # no weight written before the resumed pause
    assert result.events[0].message == f"resuming {GREEN} at step 2/3 (weight 20)"
    started = [event.index for event in result.events if isinstance(event, ev.StepStarted)]
    assert started == [1, 2]  # step 0 is not done again
    assert result.weight_history == (20, 50, 100, 0)
    assert ingress_writes(cluster) == ["PATCH"] * 3  # 50, 100, 0
    assert canary_weight(cluster) == "0"
    assert template_of(cluster, NAME)["spec"]["containers"][0]["image"] == GREEN
    assert str(template_of(cluster, NAME)["metadata"]["labels"][REVISION_LABEL]) == green
    assert cluster.get("deployments", "default", f"{NAME}-canary") is None
    assert selector(cluster, STABLE_SERVICE) == {"app": NAME, REVISION_LABEL: green}
    assert selector(cluster, CANARY_SERVICE) == {"app": NAME, REVISION_LABEL: green}
    final = observer.load(NAME)
    assert final is not None and final["finished"] and final["phase"] == "Healthy"
    assert observer.take_commands(NAME) == []  # the promote was taken by the resumed driver
    assert observer.holder(NAME) is None  # released at the end
    assert clock.now() - resumed_at < 60  # fake time: a poll or two, then the 30 s scale-down delay

"""`RolloutMetrics`: a collector of canarykit's rollout metrics, kept up to date by event listeners."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

from canarykit.rollout import events as ev
from canarykit.rollout.listeners import EventListener
from canarykit.telemetry.dependency import require_prometheus_client
from canarykit.telemetry.families import families
from canarykit.telemetry.state import RolloutState
from canarykit.telemetry.updates import ANALYSIS_EVENTS, count_event, read_analyses, read_status

if TYPE_CHECKING:
    from prometheus_client.metrics_core import Metric
    from prometheus_client.registry import CollectorRegistry

    from canarykit.rollout.orchestrator import Rollout


class RolloutMetrics:
    """The metrics of the rollouts it `watch`es, in `registry` (by default a new one of its own).

    Each watched rollout's events update its state where they are delivered (between two reconciles, in
    the rollout's thread); a scrape, from any thread, reads the states as they are then. One
    `RolloutMetrics` may watch several rollouts: their series differ by the `namespace` and `name` labels.
    """

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        require_prometheus_client("RolloutMetrics")
        from prometheus_client.registry import CollectorRegistry

        self.registry = registry if registry is not None else CollectorRegistry(auto_describe=False)
        self._states: dict[tuple[str, str], RolloutState] = {}
        self._lock = threading.Lock()
        self.registry.register(self)

    def watch(self, rollout: Rollout, namespace: str | None = None) -> None:
        """Keep `rollout`'s metrics from its next event on; `namespace` defaults to its workload's, or ""."""
        namespace = namespace_of(rollout) if namespace is None else namespace
        key = (namespace, rollout.name)
        with self._lock:
            self._states.setdefault(key, RolloutState(namespace, rollout.name))
        rollout.add_listener(self._listener(rollout, key))

    def collect(self) -> Iterator[Metric]:
        """prometheus_client's collector protocol: every family, from the states as they are now."""
        with self._lock:
            built = list(families(self._states.values()))
        yield from built

    def _listener(self, rollout: Rollout, key: tuple[str, str]) -> EventListener:
        def rollout_metrics(event: ev.Event) -> None:
            results = rollout.analysis_results() if isinstance(event, ANALYSIS_EVENTS) else None
            with self._lock:
                state = self._states[key]
                count_event(state, event)
                read_status(state, rollout)
                if results is not None:
                    read_analyses(state, results)

        return rollout_metrics


def namespace_of(rollout: Rollout) -> str:
    """The namespace of the rollout's workload or router (Kubernetes ones have one), else ""."""
    for edge in (rollout.workload, rollout.router):
        namespace = getattr(edge, "namespace", None)
        if isinstance(namespace, str):
            return namespace
    return ""

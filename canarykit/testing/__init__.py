"""In-memory parts for testing canarykit code, and your own scripts, without real time or real services."""

from canarykit.testing.clock import ClockHorizonReached, FakeClock
from canarykit.testing.datadog import DatadogServer
from canarykit.testing.edges import InMemoryNamedRouter, InMemoryRouter, InMemoryWorkload
from canarykit.testing.kube import FakeKubeAPI, JobRunner
from canarykit.testing.scripted import ScriptedProvider
from canarykit.testing.state import InMemoryStateStore
from canarykit.testing.traffic import ScriptedTraffic, TrafficRates

__all__ = [
    "ClockHorizonReached",
    "DatadogServer",
    "FakeClock",
    "FakeKubeAPI",
    "InMemoryNamedRouter",
    "InMemoryRouter",
    "InMemoryStateStore",
    "InMemoryWorkload",
    "JobRunner",
    "ScriptedProvider",
    "ScriptedTraffic",
    "TrafficRates",
]

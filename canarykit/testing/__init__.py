"""In-memory parts for testing canarykit code, and your own scripts, without real time or real services."""

from canarykit.testing.clock import ClockHorizonReached, FakeClock
from canarykit.testing.edges import InMemoryRouter, InMemoryWorkload
from canarykit.testing.kube import FakeKubeAPI
from canarykit.testing.scripted import ScriptedProvider
from canarykit.testing.state import InMemoryStateStore

__all__ = [
    "ClockHorizonReached",
    "FakeClock",
    "FakeKubeAPI",
    "InMemoryRouter",
    "InMemoryStateStore",
    "InMemoryWorkload",
    "ScriptedProvider",
]

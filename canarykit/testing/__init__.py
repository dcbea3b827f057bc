"""In-memory parts for testing canarykit code, and your own scripts, without real time or real services."""

from canarykit.testing.clock import FakeClock
from canarykit.testing.scripted import ScriptedProvider

__all__ = ["FakeClock", "ScriptedProvider"]

"""The fault lab's demo apps, shared by the canary and the blue-green fault matrices."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from canarykit.local.demo_app import DemoApp


@pytest.fixture(scope="module")
def demo_apps() -> Iterator[tuple[DemoApp, DemoApp]]:
    """Stable (or active) "blue" and the new version "green", each answering its color at /color."""
    with DemoApp("blue") as stable, DemoApp("green") as canary:
        yield stable, canary

"""The demo's workload: two app slots behind nginx, stable and canary, each running one version at a time."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from canarykit.errors import SpecError
from canarykit.local.demo_app import DemoApp


@dataclass(frozen=True)
class Version:
    """A version of the demo app: the color it answers, the share of requests it fails, its latency."""

    name: str
    color: str
    error_rate: float = 0.0
    latency: float = 0.0


class DemoWorkload:
    """A `Workload` whose stable and canary are the two `DemoApp` slots nginx balances between.

    Starting the canary deploys the version to the canary slot; promotion deploys it to the stable slot
    (at that point nginx sends every request to the canary slot, so the swap drops nothing). Each slot
    has one replica, always ready.
    """

    replicas = 1

    def __init__(self, stable: DemoApp, canary: DemoApp, versions: Mapping[str, Version]) -> None:
        self.stable, self.canary, self.versions = stable, canary, dict(versions)
        self.stable_version: str | None = None
        self.canary_version: str | None = None

    def version(self, name: str) -> Version:
        if name not in self.versions:
            raise SpecError(f"unknown demo version {name!r}: choose one of {sorted(self.versions)}")
        return self.versions[name]

    def deploy_stable(self, name: str) -> None:
        """The version stable runs before any rollout."""
        self._deploy(self.stable, self.version(name))
        self.stable_version = name

    def start_canary(self, version: str) -> None:
        self._deploy(self.canary, self.version(version))
        self.canary_version = version

    def scale_canary(self, replicas: int) -> None:
        """One slot, one replica: nothing to scale."""

    def canary_ready(self) -> bool:
        return self.canary_version is not None

    def promote(self, version: str) -> None:
        self.deploy_stable(version)

    def stable_ready(self) -> bool:
        return True

    def remove_canary(self) -> None:
        """The canary slot gets no traffic any more (weight 0); it is left idle until the next version."""
        self.canary_version = None

    @staticmethod
    def _deploy(app: DemoApp, version: Version) -> None:
        app.deploy(version.color, version.error_rate, version.latency)

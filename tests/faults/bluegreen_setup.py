"""The blue-green releases the fault matrix's blue-green cases drive (driver config changes for `Lab`)."""

from __future__ import annotations

from typing import Any

from driver_config import AnalysisConfig, BlueGreenConfig
from fault_lab import Lab
from fault_outcome import Expect

PAUSE_SECONDS = 60.0
HEALTHY = Expect("Healthy", 0, strategy="bluegreen")
ROLLED_BACK = Expect("Degraded", 0, strategy="bluegreen")


def release(lab: Lab, post_passing: bool = True, **options: Any) -> dict[str, Any]:
    """Preview, pre-promotion analysis (2 passing measurements), a 60 s BlueGreenPause, the active switch,
    post-promotion analysis (2 measurements, passing or failing) against the real Prometheus."""
    bluegreen = BlueGreenConfig(
        pre=lab.analysis(passing=True, count=2),
        post=lab.analysis(passing=post_passing, count=2),
        auto_promotion_seconds=PAUSE_SECONDS,
    )
    return {"bluegreen": _with(bluegreen, options)}


def plain(**options: Any) -> dict[str, Any]:
    """No analyses and no pause: preview, then the active switch."""
    return {"bluegreen": _with(BlueGreenConfig(), options)}


def with_post(post: AnalysisConfig, **options: Any) -> dict[str, Any]:
    """The active switch at once, then `post` as post-promotion analysis."""
    return {"bluegreen": _with(BlueGreenConfig(post=post), options)}


def _with(config: BlueGreenConfig, options: dict[str, Any]) -> BlueGreenConfig:
    return BlueGreenConfig(**{**config.__dict__, **options})


def switched_back(lab: Lab) -> list[dict[str, Any]]:
    """The journal from the last abort on: what moving the active side back to stable took."""
    entries = lab.entries()
    aborted = max(position for position, entry in enumerate(entries) if entry["event"] == "Aborted")
    return entries[aborted:]

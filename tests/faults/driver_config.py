"""What one fault-matrix driver process is told: where everything is, what to roll out, where to stop."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

PLAN: tuple[tuple[str, Any], ...] = (("weight", 20), ("pause", "1m"), ("weight", 40), ("pause", "1m"))
"""The matrix's plan: SetWeight(20), Pause(1m), SetWeight(40), Pause(1m)."""

LONG_PLAN: tuple[tuple[str, Any], ...] = tuple(
    step for weight in (20, 40, 60, 80) for step in (("weight", weight), ("pause", "1m"))
)
"""The reference scenario's steps, for the crash loop."""


@dataclass(frozen=True)
class AnalysisConfig:
    """Background analysis from `starting_step`: one metric every 10 s against Prometheus at `address`."""

    address: str
    query: str = "vector(1)"
    success: str = "result[0] >= 1"
    timeout: float = 2.0
    failure_limit: int = 1
    consecutive_error_limit: int = 1
    starting_step: int = 1
    count: int | None = None  # blue-green's pre/post-promotion analyses end after `count` measurements


@dataclass(frozen=True)
class BlueGreenConfig:
    """A blue-green release in place of the steps: `BlueGreen("web-active", "web-preview", ...)`, the preview
    served by nginx's `preview_upstream` (the delays are the driver config's)."""

    pre: AnalysisConfig | None = None
    post: AnalysisConfig | None = None
    auto_promotion_enabled: bool = True
    auto_promotion_seconds: float = 0.0  # 0: none (with auto_promotion_enabled, no BlueGreenPause)
    preview_upstream: str = "app-preview"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BlueGreenConfig:
        analyses = {key: AnalysisConfig(**data[key]) if data[key] else None for key in ("pre", "post")}
        return cls(**{**data, **analyses})


@dataclass(frozen=True)
class DriverConfig:
    """Everything a driver process needs, as JSON; `block_at` names where it waits for the test."""

    root: str
    life: int
    name: str = "web"
    version: str = "green"
    steps: tuple[tuple[str, Any], ...] = PLAN
    analysis: AnalysisConfig | None = None
    clock: str = "file"  # "file": a FileClock shared by all lives; "system": real time
    block_at: str | None = None
    fail_weight: int | None = None  # the router refuses this weight ...
    fail_times: int = 0  # ... this many times, then takes it
    store: str = "file"  # "file": FileStateStore; "enospc": one whose save fails while disk-full exists
    check: tuple[str, ...] = ()
    reload: tuple[str, ...] = ()
    include: str = ""
    stable: str = ""
    canary: str = ""
    backoff: tuple[int, float] = (6, 0.5)
    scale_down_delay: float = 30.0
    abort_scale_down_delay: float = 30.0
    bluegreen: BlueGreenConfig | None = None  # the strategy: None runs `steps` (a canary)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> DriverConfig:
        data = json.loads(text)
        analysis = data.pop("analysis")
        bluegreen = data.pop("bluegreen")
        data["steps"] = tuple(tuple(step) for step in data["steps"])
        for key in ("check", "reload", "backoff"):
            data[key] = tuple(data[key])
        return cls(
            **data,
            analysis=AnalysisConfig(**analysis) if analysis else None,
            bluegreen=BlueGreenConfig.from_dict(bluegreen) if bluegreen else None,
        )

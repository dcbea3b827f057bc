"""The kinds of step a canary plan is made of (Argo's canary steps)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from canarykit.durations import Duration, parse_duration
from canarykit.errors import SpecError
from canarykit.steps.gates import Gate as Gate
from canarykit.steps.header_routes import HEADER_TOKEN as HEADER_TOKEN
from canarykit.steps.header_routes import SetHeaderRoute as SetHeaderRoute

MAX_WEIGHT = 100
"""All the traffic unless the router has a `max_weight` of its own (Argo's `maxTrafficWeight`)."""


@dataclass(frozen=True)
class SetWeight:
    """Send `weight` out of the router's full weight (100 unless it says otherwise) to the canary.

    Only `weight >= 0` is checked here: the `Rollout` checks the upper bound against its router.
    """

    weight: int

    def __post_init__(self) -> None:
        if isinstance(self.weight, bool) or not isinstance(self.weight, int):
            raise SpecError(f"SetWeight needs an integer weight, got {self.weight!r}", "setWeight")
        if self.weight < 0:
            raise SpecError(f"SetWeight needs a weight >= 0, got {self.weight}", "setWeight")

    def __repr__(self) -> str:
        return f"SetWeight({self.weight})"


@dataclass(frozen=True)
class Pause:
    """Hold the current weight for `duration`; `None` holds until `promote()` is called."""

    duration: Duration | None = None
    seconds: float | None = field(init=False, compare=False, repr=False, default=None)

    def __post_init__(self) -> None:
        if self.duration is not None:
            object.__setattr__(self, "seconds", parse_duration(self.duration, "Pause.duration"))

    @property
    def indefinite(self) -> bool:
        return self.duration is None

    def __repr__(self) -> str:
        return "Pause()" if self.duration is None else f"Pause({self.duration!r})"


@dataclass(frozen=True)
class Analysis:
    """Run an analysis that must succeed before the plan goes on.

    `source` is a sequence of `Metric`s or an object with `metrics(args, prometheus)` (an Argo template).
    """

    source: Any
    args: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def __repr__(self) -> str:
        name = getattr(self.source, "name", None) or f"{len(self.source)} metrics"
        return f"Analysis({name!r})"


@dataclass(frozen=True)
class SetCanaryScale:
    """Scale the canary independently of its traffic weight: exactly one of the three fields.

    `weight` is on the router's scale, as a `SetWeight` (Argo: `ceil(weight * replicas / maxTrafficWeight)`).
    """

    replicas: int | None = None
    weight: int | None = None
    match_traffic_weight: bool = False

    def __post_init__(self) -> None:
        chosen = [self.replicas is not None, self.weight is not None, self.match_traffic_weight]
        if sum(chosen) != 1:
            given = f"replicas={self.replicas!r}, weight={self.weight!r}, match_traffic_weight={chosen[2]!r}"
            raise SpecError(
                f"SetCanaryScale needs exactly one of replicas, weight or match_traffic_weight, got {given}"
            )
        if self.replicas is not None and self.replicas < 0:
            raise SpecError(f"SetCanaryScale replicas must be >= 0, got {self.replicas}")
        if self.weight is not None and self.weight < 0:
            raise SpecError(f"SetCanaryScale weight must be >= 0, got {self.weight}")


Step = SetWeight | Pause | Analysis | SetCanaryScale | SetHeaderRoute | Gate
STEP_TYPES = (SetWeight, Pause, Analysis, SetCanaryScale, SetHeaderRoute, Gate)


def check_steps(steps: Sequence[Any]) -> tuple[Step, ...]:
    """`steps` as a tuple, each checked to be a step."""
    for index, step in enumerate(steps):
        if not isinstance(step, STEP_TYPES):
            kinds = ", ".join(kind.__name__ for kind in STEP_TYPES)
            raise SpecError(f"expected a step ({kinds}), got {step!r}", f"steps[{index}]")
    return tuple(steps)


def check_weights(steps: Sequence[Step], max_weight: int) -> None:
    """Every weight within 0..`max_weight`: Argo's `SetWeight needs to be between 0 and N`, then the value."""
    for index, step in enumerate(steps):
        if isinstance(step, SetWeight) and step.weight > max_weight:
            message = f"SetWeight needs to be between 0 and {max_weight}, got {step.weight}"
            raise SpecError(message, f"steps[{index}].setWeight")
        if isinstance(step, SetCanaryScale) and step.weight is not None and step.weight > max_weight:
            message = f"SetCanaryScale weight needs to be between 0 and {max_weight}, got {step.weight}"
            raise SpecError(message, f"steps[{index}].setCanaryScale.weight")

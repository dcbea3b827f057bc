"""`Gate`: an evidence-gated step that holds the weight until the judges clear the canary, up to `max`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from canarykit.durations import Duration, parse_duration
from canarykit.errors import SpecError

OnTimeout = Literal["promote", "pause", "rollback"]
ON_TIMEOUT: tuple[OnTimeout, ...] = ("promote", "pause", "rollback")


@dataclass(frozen=True)
class Gate:
    """Hold the weight until every judge of the background analysis has cleared the canary (not before
    `min`); at `max` still undecided, take `on_timeout`: go on ("promote"), pause until `promote()`
    ("pause"), or roll back ("rollback"). A judge's failure rolls back at once, as always."""

    max: Duration
    min: Duration = 0
    on_timeout: OnTimeout = "promote"
    max_seconds: float = field(init=False, compare=False, repr=False, default=0.0)
    min_seconds: float = field(init=False, compare=False, repr=False, default=0.0)

    def __post_init__(self) -> None:
        longest = parse_duration(self.max, "Gate.max")
        shortest = parse_duration(self.min, "Gate.min")
        if not longest > 0:
            raise SpecError(f"must be > 0, got {self.max!r}", "Gate.max")
        if shortest > longest:
            raise SpecError(f"must be <= max ({self.max!r}), got {self.min!r}", "Gate.min")
        if self.on_timeout not in ON_TIMEOUT:
            choices = ", ".join(repr(choice) for choice in ON_TIMEOUT)
            raise SpecError(f"must be one of {choices}, got {self.on_timeout!r}", "Gate.on_timeout")
        object.__setattr__(self, "max_seconds", longest)
        object.__setattr__(self, "min_seconds", shortest)

    def __repr__(self) -> str:
        options = "" if self.min_seconds == 0 else f", min={self.min!r}"
        if self.on_timeout != "promote":
            options += f", on_timeout={self.on_timeout!r}"
        return f"Gate({self.max!r}{options})"

"""Plans: tuples of steps built by small strategies that compose (`explicit(...).with_pause("2m") + ...`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from canarykit.durations import Duration
from canarykit.errors import SpecError
from canarykit.steps.kinds import MAX_WEIGHT, Analysis, Pause, SetWeight, Step, check_steps


class Plan(tuple[Step, ...]):
    """A plain, printable tuple of steps; `+` concatenates, `with_*` interleave steps after each weight."""

    def __new__(cls, steps: Iterable[Step] = ()) -> Plan:
        return super().__new__(cls, check_steps(list(steps)))

    def __add__(self, other: tuple[Any, ...]) -> Plan:
        return Plan([*self, *other])

    def __repr__(self) -> str:
        return "Plan(" + ", ".join(repr(step) for step in self) + ")"

    @property
    def weights(self) -> list[int]:
        return [step.weight for step in self if isinstance(step, SetWeight)]

    def with_pause(self, duration: Duration | None = None) -> Plan:
        """A pause after every weight step (`None`: until promoted)."""
        return self._after_each_weight(lambda: Pause(duration))

    def with_analysis(self, source: Any, args: Mapping[str, str] | None = None) -> Plan:
        """An analysis step after every weight step."""
        return self._after_each_weight(lambda: Analysis(source, dict(args or {})))

    def _after_each_weight(self, make: Any) -> Plan:
        steps: list[Step] = []
        for step in self:
            steps.append(step)
            if isinstance(step, SetWeight):
                steps.append(make())
        return Plan(steps)


def explicit(weights: Iterable[int]) -> Plan:
    """One weight step per given weight: `explicit([20, 40, 60, 80])`."""
    return Plan(SetWeight(weight) for weight in weights)


def linear(start: int, stop: int, step: int) -> Plan:
    """Weights from `start` to `stop` (inclusive when reached) in equal steps: `linear(10, 50, 10)`."""
    if step <= 0:
        raise SpecError(f"linear step must be > 0, got {step}")
    if start > stop:
        raise SpecError(f"linear start must be <= stop, got {start} > {stop}")
    return explicit(range(start, stop + 1, step))


def exponential(start: int, factor: float, stop: int = MAX_WEIGHT) -> Plan:
    """Weights multiplied by `factor` from `start` until `stop` (capped there): `exponential(5, 2, 80)`."""
    if start <= 0 or factor <= 1:
        raise SpecError(f"exponential needs start > 0 and factor > 1, got {start} and {factor}")
    weights: list[int] = []
    weight = float(start)
    while weight < stop:
        weights.append(int(weight))
        weight *= factor
    return explicit([*weights, stop])

"""Argo canary steps -> canarykit steps, with Argo's validation messages and the YAML path of each problem."""

from __future__ import annotations

import re
from types import MappingProxyType

from canarykit.argo.header_route import header_route
from canarykit.argo.models import snake_case
from canarykit.argo.rollout_analysis import TemplateIndex, check_analysis, resolve_args
from canarykit.argo.rollout_models import (
    CanaryStepModel,
    PauseModel,
    RolloutAnalysis,
    RolloutMetadata,
    SetCanaryScaleModel,
)
from canarykit.durations import parse_duration
from canarykit.errors import DurationError, SpecError, UnsupportedFeature
from canarykit.steps import Analysis, Pause, Plan, SetCanaryScale, SetWeight, Step
from canarykit.steps.kinds import MAX_WEIGHT

STEP_FIELDS = (
    "setWeight",
    "pause",
    "setCanaryScale",
    "analysis",
    "experiment",
    "setHeaderRoute",
    "setMirrorRoute",
    "plugin",
)
UNSUPPORTED_STEPS = ("experiment", "setMirrorRoute", "plugin")
INVALID_STEP = "Step must have one of the following set: experiment, setWeight, setCanaryScale or pause"
INVALID_DURATION = "Duration needs to be greater than 0"
_INTEGER = re.compile(r"[+-]?\d+")


class StepConverter:
    """Turns the `steps` of one Rollout into a `Plan`, resolving analysis templates by name."""

    def __init__(self, templates: TemplateIndex, metadata: RolloutMetadata, max_weight: int) -> None:
        self.templates = templates
        self.metadata = metadata
        self.max_weight = max_weight

    def plan(self, steps: tuple[CanaryStepModel, ...], path: str) -> Plan:
        return Plan(self.step(step, f"{path}[{index}]") for index, step in enumerate(steps))

    def step(self, step: CanaryStepModel, path: str) -> Step:
        kind = step_kind(step, path)
        where = f"{path}.{kind}"
        if kind in UNSUPPORTED_STEPS:
            raise UnsupportedFeature(f"the {kind} step is not supported", where)
        if step.set_weight is not None:
            return self._set_weight(step.set_weight, where)
        if step.pause is not None:
            return pause(step.pause, f"{where}.duration")
        if step.set_canary_scale is not None:
            return set_canary_scale(step.set_canary_scale, where)
        if step.analysis is not None:
            return self._analysis(step.analysis, where)
        if step.set_header_route is not None:
            return header_route(step.set_header_route, where)
        raise SpecError(INVALID_STEP, path)  # unreachable: step_kind found exactly one field

    def _set_weight(self, weight: int, path: str) -> SetWeight:
        if not 0 <= weight <= self.max_weight:
            raise SpecError(f"SetWeight needs to be between 0 and {self.max_weight}", path)
        if weight > MAX_WEIGHT:
            raise UnsupportedFeature("a setWeight above 100 (maxTrafficWeight > 100) is not supported", path)
        return SetWeight(weight)

    def _analysis(self, analysis: RolloutAnalysis, path: str) -> Analysis:
        if not analysis.templates:
            raise SpecError("an analysis step needs at least one template", f"{path}.templates")
        templates = self.templates.resolve(analysis.templates, path)
        args = resolve_args(analysis.args, self.metadata, path)
        check_analysis(analysis, templates, path, inline=True)
        return Analysis(source=templates, args=MappingProxyType(args))


def step_kind(step: CanaryStepModel, path: str) -> str:
    """The one field set on `step` (Argo: exactly one, else InvalidSpec)."""
    present = [name for name in STEP_FIELDS if getattr(step, snake_case(name)) is not None]
    if len(present) != 1:
        raise SpecError(INVALID_STEP, path)
    return present[0]


def pause(model: PauseModel, path: str) -> Pause:
    """Argo's `DurationSeconds`: an int or an integer string is seconds, else a Go duration, truncated."""
    duration = model.duration
    if duration is None:
        return Pause()
    if isinstance(duration, str) and _INTEGER.fullmatch(duration):
        duration = int(duration)
    if isinstance(duration, int):
        if duration < 0:
            raise SpecError(INVALID_DURATION, path)
        return Pause(duration)
    try:
        seconds = parse_duration(duration, path)
    except DurationError as error:
        raise SpecError(INVALID_DURATION, path) from error
    return Pause(duration) if seconds == int(seconds) else Pause(int(seconds))


def set_canary_scale(model: SetCanaryScaleModel, path: str) -> SetCanaryScale:
    """Argo's precedence: matchTrafficWeight, then replicas, then weight."""
    try:
        if model.match_traffic_weight:
            return SetCanaryScale(match_traffic_weight=True)
        if model.replicas is not None:
            return SetCanaryScale(replicas=model.replicas)
        if model.weight is not None:
            return SetCanaryScale(weight=model.weight)
    except SpecError as error:
        raise SpecError(error.reason, path) from error
    raise SpecError("SetCanaryScale needs one of weight, replicas or matchTrafficWeight", path)

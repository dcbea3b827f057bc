"""Argo canary steps -> canarykit steps, with Argo's validation messages and the YAML path of each problem."""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Any

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
from canarykit.argo.run_templates import run_templates
from canarykit.durations import duration_error, parse_duration
from canarykit.errors import DurationError, SpecError, UnsupportedFeature
from canarykit.steps import Analysis, Pause, Plan, SetCanaryScale, SetWeight, Step

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
# Argo's `hasMultipleStepsType`: at most one of these per step; the other fields may join one of them, and
# take effect as the step starts, so canarykit runs them first, as steps of their own.
EXCLUSIVE_STEPS = ("setWeight", "pause", "experiment", "analysis")
UNSUPPORTED_STEPS = ("experiment", "setMirrorRoute", "plugin")
INVALID_STEP = (
    "Step must have one of the following set: experiment, setWeight, setCanaryScale, plugin or pause"
)
INVALID_DURATION = "Duration needs to be greater than 0"
_INTEGER = re.compile(r"[+-]?\d+")


class StepConverter:
    """Turns the `steps` of one Rollout into a `Plan`, resolving analysis templates by name."""

    def __init__(self, templates: TemplateIndex, metadata: RolloutMetadata, max_weight: int) -> None:
        self.templates = templates
        self.metadata = metadata
        self.max_weight = max_weight

    def plan(self, steps: tuple[CanaryStepModel, ...], path: str) -> Plan:
        """The plan of `steps`; a step combining fields becomes several (see `step_starts`)."""
        return Plan(
            converted
            for index, step in enumerate(steps)
            for converted in self.steps(step, f"{path}[{index}]")
        )

    def steps(self, step: CanaryStepModel, path: str) -> list[Step]:
        """One Argo step as canarykit steps: the fields joining the step's main one first, then it."""
        kinds = step_kinds(step, path)
        for kind in kinds:
            if kind in UNSUPPORTED_STEPS:
                raise UnsupportedFeature(f"the {kind} step is not supported", f"{path}.{kind}")
        return [self._convert(kind, getattr(step, snake_case(kind)), f"{path}.{kind}") for kind in kinds]

    def _convert(self, kind: str, value: Any, where: str) -> Step:
        """Field `kind` of a step, holding `value`, as a canarykit step."""
        if kind == "setWeight":
            return self._set_weight(value, where)
        if kind == "pause":
            return pause(value, f"{where}.duration")
        if kind == "setCanaryScale":
            return set_canary_scale(value, where)
        if kind == "analysis":
            return self._analysis(value, where)
        return header_route(value, where)

    def _set_weight(self, weight: int, path: str) -> SetWeight:
        if not 0 <= weight <= self.max_weight:
            raise SpecError(f"SetWeight needs to be between 0 and {self.max_weight}, got {weight}", path)
        return SetWeight(weight)

    def _analysis(self, analysis: RolloutAnalysis, path: str) -> Analysis:
        args = resolve_args(analysis.args, self.metadata, path)  # Argo checks these with the Rollout spec
        if not analysis.templates:
            raise SpecError("an analysis step needs at least one template", f"{path}.templates")
        return inline_analysis(analysis, self.templates, args, path)


def inline_analysis(
    analysis: RolloutAnalysis, templates: TemplateIndex, args: dict[str, str], path: str
) -> Analysis:
    """An analysis run to completion (a step's, a blue-green pre/post-promotion one), checked as Argo does."""
    resolved = templates.resolve(analysis.templates, path)
    check_analysis(analysis, resolved, path, inline=True)
    return Analysis(source=run_templates(analysis, resolved), args=MappingProxyType(args))


def step_kinds(step: CanaryStepModel, path: str) -> list[str]:
    """The fields set on `step`, the main one (setWeight, pause, experiment or analysis) last.

    Argo's rules: at least one field, at most one main field, else InvalidSpec.
    """
    present = [name for name in STEP_FIELDS if getattr(step, snake_case(name)) is not None]
    main = [name for name in present if name in EXCLUSIVE_STEPS]
    if not present or len(main) > 1:
        raise SpecError(INVALID_STEP, path)
    return [name for name in present if name not in EXCLUSIVE_STEPS] + main


def step_starts(steps: tuple[CanaryStepModel, ...]) -> tuple[int, ...]:
    """Where each Argo step starts in the plan (`startingStep` and `currentStepIndex` are Argo's indexes)."""
    starts, index = [], 0
    for position, step in enumerate(steps):
        starts.append(index)
        index += len(step_kinds(step, f"steps[{position}]"))
    return tuple(starts)


def pause(model: PauseModel, path: str) -> Pause:
    """Argo's `DurationSeconds`: an int or an integer string is seconds, else a Go duration, truncated."""
    duration = model.duration
    if duration is None:
        return Pause()
    if isinstance(duration, str) and _INTEGER.fullmatch(duration):
        duration = int(duration)
    if isinstance(duration, int):
        if duration < 0:
            raise duration_error(f"{INVALID_DURATION}, got {duration}", path)
        return Pause(duration)
    try:
        seconds = parse_duration(duration, path)
    except DurationError as error:  # Argo's words first, then the value, Go's reason and the units
        raise DurationError(f"{INVALID_DURATION}, got {duration!r}: {error.reason}", path) from None
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

"""Loading and running each corpus document with canarykit, in the shared world of corpus_world.py.

A Rollout is loaded with the templates it names, found in the same snippet, file, directory, or else
anywhere in the corpus. It runs on the in-memory router and workload; a human's `promote()` is played at
each indefinite pause and Inconclusive analysis. A template runs one AnalysisRun for up to an hour of fake
time, its args without a value taken from a Rollout of the same file that uses it, else "conformance".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml
from corpus_fakes import pointed_at
from corpus_sources import TEMPLATE_KINDS, Document, rollout_arg_values, template_references
from corpus_world import PLACEHOLDER, World

from canarykit import Rollout
from canarykit.analysis import AnalysisResult
from canarykit.argo import load, load_analysis_template
from canarykit.rollout.status import CANARY_PAUSE_STEP, INCONCLUSIVE_ANALYSIS, RolloutPhase
from canarykit.steps import Pause
from canarykit.testing import InMemoryRouter, InMemoryWorkload

MAX_RECONCILES = 10_000
BLUE_GREEN_PAUSE = "BlueGreenPause"
"""Argo's pause reason before a blue-green active switch."""


@dataclass
class Outcome:
    """What canarykit made of one document."""

    document: Document
    missing: list[str] = field(default_factory=list)
    load_error: str | None = None
    run_error: str | None = None
    phase: str = ""
    message: str = ""
    promotions: int = 0
    measurements: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)

    @property
    def loaded(self) -> bool:
        return self.load_error is None

    @property
    def ran(self) -> bool:
        return self.loaded and self.run_error is None and bool(self.phase)


class References:
    """Templates by (kind, name), looked up in the snippet, the file, the directory, then the corpus."""

    def __init__(self, documents: Iterable[Document]) -> None:
        documents = list(documents)
        self.templates = [document for document in documents if document.kind in TEMPLATE_KINDS]
        self.rollouts = [document for document in documents if document.kind == "Rollout"]

    def args_for(self, template: Document) -> dict[str, str]:
        """Values a Rollout of the same file gives the template's args (its analysis args with a value)."""
        for rollout in self.rollouts:
            if rollout.path == template.path and (template.kind, template.name) in template_references(
                rollout.body
            ):
                return rollout_arg_values(rollout.body)
        return {}

    def resolve(self, rollout: Document) -> tuple[list[Document], list[str]]:
        found: list[Document] = []
        missing: list[str] = []
        for kind, name in dict.fromkeys(template_references(rollout.body)):
            template = self._find(rollout, kind, name)
            if template is None:
                missing.append(f"{kind} {name}")
            elif template not in found:
                found.append(template)
        return found, missing

    def _find(self, rollout: Document, kind: str, name: str) -> Document | None:
        named = [t for t in self.templates if t.kind == kind and t.name == name]
        for scope in ("label", "path", "directory"):
            near = [t for t in named if getattr(t, scope) == getattr(rollout, scope)]
            if near:
                return near[0]
        return named[0] if named else None


def examine(document: Document, references: References, where: World) -> Outcome:
    """Load `document`, and run it when it loads."""
    outcome = Outcome(document)
    templates: list[Document] = []
    if document.kind == "Rollout":
        templates, outcome.missing = references.resolve(document)
    try:
        _load(document, templates, where, moved=False)
    except Exception as error:  # every refusal is a figure here, whatever its type
        outcome.load_error = describe(error)
        return outcome
    try:
        if document.kind == "Rollout":
            _run_rollout(document, templates, where, outcome)
        else:
            _run_template(document, references.args_for(document), where, outcome)
    except Exception as error:  # a run that cannot finish is a figure too
        outcome.run_error = describe(error)
    return outcome


def describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _load(document: Document, templates: list[Document], where: World, moved: bool) -> Any:
    if document.kind == "Rollout":
        texts = [_text(document.body)] + [_text(_moved(t.body, where, moved)) for t in templates]
        return load(*texts, cluster=where.cluster)
    return load_analysis_template(_text(_moved(document.body, where, moved)), cluster=where.cluster)


def _moved(body: dict[str, Any], where: World, moved: bool) -> dict[str, Any]:
    return pointed_at(body, where.fakes) if moved else body


def _text(body: dict[str, Any]) -> str:
    return yaml.safe_dump(body, sort_keys=False)


def _run_template(document: Document, given: dict[str, str], where: World, outcome: Outcome) -> None:
    template = _load(document, [], where, moved=True)
    unset = [arg.name for arg in template.spec.args if arg.value is None and arg.value_from is None]
    args = {name: given.get(name, PLACEHOLDER) for name in unset}
    run = template.instantiate(args=args, prometheus=where.fakes.prometheus, clock=where.clock)
    _tally(outcome, [run.run(duration="1h")])
    outcome.phase, outcome.message = run.phase.value, run.message


def _run_rollout(document: Document, templates: list[Document], where: World, outcome: Outcome) -> None:
    spec = _load(document, templates, where, moved=True)
    workload = InMemoryWorkload(replicas=max(spec.replicas, 1))
    rollout = Rollout.from_spec(
        spec, InMemoryRouter(), workload, clock=where.clock, prometheus=where.fakes.prometheus
    )
    rollout.start("canary")
    for _ in range(MAX_RECONCILES):
        wake = rollout.advance()
        status = rollout.status
        if wake is None or status is None or status.finished:
            break
        if _waits_for_a_human(rollout):
            rollout.promote()
            outcome.promotions += 1
            continue
        where.clock.set(max(wake, where.clock.now()))
    result = rollout.result()
    _tally(outcome, result.analyses)
    outcome.message = result.message
    outcome.phase = result.phase.value if result.phase is not RolloutPhase.PROGRESSING else ""
    if not outcome.phase:
        outcome.run_error = f"still {result.phase.value} after {MAX_RECONCILES} reconciles: {result.message}"


def _waits_for_a_human(rollout: Rollout) -> bool:
    status = rollout.status
    if status is None or status.phase is not RolloutPhase.PAUSED:
        return False
    if status.pause_reason == INCONCLUSIVE_ANALYSIS:
        return True
    if status.pause_reason == BLUE_GREEN_PAUSE:  # autoPromotionEnabled: false waits for promote()
        return rollout.blue_green is not None and rollout.blue_green.needs_manual_promotion
    step = rollout.plan[status.step_index] if status.step_index < len(rollout.plan) else None
    return status.pause_reason == CANARY_PAUSE_STEP and isinstance(step, Pause) and step.indefinite


def _tally(outcome: Outcome, results: Iterable[AnalysisResult]) -> None:
    for result in results:
        for metric in result.metrics:
            for measurement in metric.measurements:
                outcome.measurements[measurement.phase.value] += 1
                if measurement.message:
                    outcome.errors[measurement.message] += 1

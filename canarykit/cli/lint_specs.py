"""Linting specs for `canarykit lint`: each document alone, then the Rollout with its templates, offline.

Each document of each file is checked on its own first, so errors in several files or documents are all
reported; then, when they are clean, the Rollout is built with its templates as `canarykit rollout` does
(`canarykit.argo.load`), or, with no Rollout, each template's metrics are built as `canarykit analyze` does,
with the `--arg` values. Nothing is contacted: Secret args get a stand-in value and Jobs are not created.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from canarykit.argo import AnalysisTemplate, load
from canarykit.argo.analysis_template import TEMPLATE_KINDS
from canarykit.argo.documents import (
    document_label,
    errors_in,
    read_documents,
    source_of,
    validate,
    without_nulls,
)
from canarykit.argo.metric_checks import check_rules_match
from canarykit.argo.models import AnalysisTemplateDocument
from canarykit.argo.rollout import build
from canarykit.argo.rollout_analysis import TemplateIndex
from canarykit.argo.rollout_models import RolloutDocument
from canarykit.errors import ArgumentError, CanaryError, SpecError

SECRET_STAND_IN = "lint-secret-stand-in"


@dataclass
class LintReport:
    """What was checked (`Rollout "x" (file)`), the errors found, how many other documents were skipped."""

    checked: list[str] = field(default_factory=list)
    errors: list[SpecError] = field(default_factory=list)
    ignored: int = 0
    files: list[str] = field(default_factory=list)
    """The file of each error, in order."""

    def files_with_errors(self) -> list[str]:
        return list(dict.fromkeys(self.files))

    def in_file_order(self, files: Sequence[str]) -> None:
        """Errors sorted by the order of their files on the command line (found order within a file)."""
        position = {str(Path(name)): index for index, name in enumerate(files)}
        pairs = sorted(
            zip(self.files, self.errors, strict=True),
            key=lambda pair: position.get(str(Path(pair[0])), len(files)),
        )
        self.files, self.errors = [file for file, _ in pairs], [error for _, error in pairs]


def lint(files: Sequence[str], args: Mapping[str, str]) -> LintReport:
    """Every error in `files`: each document alone, then the Rollout with its templates (or the templates)."""
    report = LintReport()
    found = _read_all(files, report)
    if found.rollouts_seen and args:
        raise ArgumentError("--arg is for templates linted without a Rollout: the Rollout gives their args")
    if found.rollouts_seen:
        _check_rollout(files, found, report)
    for template in found.templates if not (report.errors or found.rollouts_seen) else []:
        with _collecting(report, template.source):
            _check_alone(template, args)
    report.in_file_order(files)
    return report


@dataclass
class _Found:
    """The documents that passed their own checks, and what did not."""

    rollouts: list[RolloutDocument] = field(default_factory=list)
    templates: list[AnalysisTemplate] = field(default_factory=list)
    rollouts_seen: int = 0
    failed_templates: set[str] = field(default_factory=set)
    """Labels (`AnalysisTemplate "x"`) of templates with errors: a Rollout's "not found" would repeat them."""


def _read_all(files: Sequence[str], report: LintReport) -> _Found:
    found = _Found()
    for path in files:
        name, documents = path, list[dict[str, Any]]()
        with _collecting(report, path):
            name, documents = read_documents(path)
        for document in documents:
            _read_one(document, name, found, report)
    report.checked += [
        f'Rollout "{rollout.metadata.name}" ({source_of(rollout)})' for rollout in found.rollouts
    ]
    report.checked += [f"{template.label} ({template.source})" for template in found.templates]
    return found


def _read_one(document: dict[str, Any], name: str, found: _Found, report: LintReport) -> None:
    kind = document.get("kind")
    errors = len(report.errors)
    with _collecting(report, name):
        if kind == "Rollout":
            found.rollouts_seen += 1
            found.rollouts.append(validate(RolloutDocument, document, name))
        elif kind in TEMPLATE_KINDS:
            found.templates.append(_template(document, name))
        else:
            report.ignored += 1
    if kind in TEMPLATE_KINDS and len(report.errors) > errors:
        found.failed_templates.add(document_label(without_nulls(document)))


def _check_rollout(files: Sequence[str], found: _Found, report: LintReport) -> None:
    """As `canarykit rollout` loads it (`load`); with errors found already, built from what is valid."""
    if not report.errors:
        with _collecting(report, files[0]):
            load(*files, cluster=_OfflineCluster())
        return
    if len(found.rollouts) != 1 or found.rollouts_seen != 1:
        return
    rollout = found.rollouts[0]
    with _collecting(report, source_of(rollout)):
        try:
            with errors_in(source_of(rollout), f'Rollout "{rollout.metadata.name}"'):
                build(rollout, TemplateIndex(found.templates))
        except SpecError as error:
            if error.reason not in {f"{label} not found" for label in found.failed_templates}:
                raise


def _template(document: dict[str, Any], name: str) -> AnalysisTemplate:
    return AnalysisTemplate(validate(AnalysisTemplateDocument, document, name), _OfflineCluster())


def _check_alone(template: AnalysisTemplate, args: Mapping[str, str]) -> None:
    """As `canarykit analyze -f` loads it: its own rules match its metrics, and its metrics build."""
    with errors_in(template.source, template.label):
        check_rules_match(template.spec)
    template.metrics(args)


@contextmanager
def _collecting(report: LintReport, path: str) -> Iterator[None]:
    """A `SpecError` inside is added to `report` (from `path`, unless it names its file) and lint goes on."""
    try:
        yield
    except SpecError as error:
        report.errors.append(error)
        report.files.append(error.source or path)


class _OfflineCluster:
    """Stands in for the cluster `canarykit rollout` connects to: no Secret is read, no Job created."""

    namespace = "default"

    def read_secret(self, name: str, key: str) -> str:
        return SECRET_STAND_IN

    def job_provider(self, metric_name: str, job: Mapping[str, Any]) -> Any:
        return _NoJobs()


class _NoJobs:
    """The job provider lint builds: the spec was checked, nothing runs."""

    def measure(self, query: str | None, at: float) -> Any:
        raise CanaryError("lint runs no Jobs")

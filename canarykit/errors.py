"""The exception tree. Every error canarykit raises derives from `CanaryError`.

A failed analysis or a rollback is a *result*, never an exception: these are for bad input and for faults
that leave nothing sensible to return.
"""

from __future__ import annotations

from typing import TypeVar


class CanaryError(Exception):
    """Root of every canarykit exception."""


class SpecError(CanaryError, ValueError):
    """A spec, argument or expression is invalid; raised before anything runs.

    `path` names the offending field (`spec.metrics[0].interval`) when it is known, `source` the file (or
    `<text>`) and `document` the object in it (`AnalysisTemplate "name"`); the message names each once:
    `rollout.yaml: AnalysisTemplate "name": spec.metrics[0].interval: <reason>`.
    """

    def __init__(self, message: str, path: str = "", source: str = "", document: str = "") -> None:
        self.path = path
        self.reason = message
        self.source = source
        self.document = document
        super().__init__(self._text())

    def located(self: _Located, source: str, document: str = "") -> _Located:
        """This error, placed in `source` and `document` unless it names where it is already."""
        if not (self.source or self.document):
            self.source, self.document = source, document
            self.args = (self._text(),)
        return self

    def __str__(self) -> str:
        return self._text()

    def _text(self) -> str:
        return ": ".join(part for part in (self.source, self.document, self.path, self.reason) if part)


_Located = TypeVar("_Located", bound=SpecError)


class DurationError(SpecError):
    """A duration string or number could not be parsed; `detail` is the reason without the units hint
    that ends the message (Go's own words), for texts that must match Argo's."""

    detail = ""


class ConditionSyntaxError(SpecError):
    """A condition expression does not compile; `line` and `column` are 1-based."""

    def __init__(self, message: str, expression: str, line: int = 1, column: int = 1, path: str = "") -> None:
        self.detail = message
        self.expression = expression
        self.line = line
        self.column = column
        super().__init__(f"{message} ({line}:{column})", path)

    def with_path(self, path: str) -> ConditionSyntaxError:
        """The same error, placed at `path` in a spec."""
        moved = ConditionSyntaxError(self.detail, self.expression, self.line, self.column, path)
        return moved.located(self.source, self.document)


class UnsupportedFeature(SpecError):
    """The spec uses something canarykit does not implement (yet); `path` names where."""


class ArgumentError(SpecError):
    """An analysis argument is missing, conflicting or cannot be substituted."""


class ConditionEvaluationError(CanaryError):
    """A compiled condition failed at run time (an index out of range, a non-bool result, ...)."""


class ProviderError(CanaryError):
    """A metric provider could not produce a value (HTTP fault, timeout, bad payload)."""


class RoutingError(CanaryError):
    """A traffic router could not set or read the canary weight."""


class WorkloadError(CanaryError):
    """A workload could not start, scale, promote or remove the canary."""


class StateError(CanaryError):
    """A rollout's recorded state could not be read or written."""


class StateLocked(StateError):
    """Another process is driving this rollout (its state is locked)."""


class KubernetesError(CanaryError):
    """The Kubernetes API refused a request or could not be reached.

    `status` is the HTTP status (None when the server was not reached) and `reason` the Status reason
    (`NotFound`, `AlreadyExists`, `Conflict`, ...). The message never includes credentials.
    """

    def __init__(self, message: str, status: int | None = None, reason: str = "") -> None:
        self.status = status
        self.reason = reason
        super().__init__(message)

    @property
    def conflict(self) -> bool:
        """True for a 409: the object exists already, or changed since it was read."""
        return self.status == 409


class UnexpectedError(CanaryError):
    """A rollout was stopped by an exception that is not canarykit's (a bug in a router, a workload, ...).

    Raised from `Rollout.run()` after the abort was saved and weight 0 tried; `__cause__` is the original.
    """

    def __init__(self, message: str, original: BaseException) -> None:
        self.original = original
        super().__init__(message)


class RollbackFailed(CanaryError):
    """Traffic could not be returned to stable: the one case that must page a human.

    `last_known_weight` is the canary weight last confirmed by the router (None if never read).
    """

    def __init__(self, message: str, last_known_weight: int | None = None) -> None:
        self.last_known_weight = last_known_weight
        super().__init__(message)


class AdoptionRefused(StateError):
    """A live Argo Rollout cannot be taken over safely (still managed, aborted, ...); nothing was changed."""


class MissingDependency(CanaryError, ImportError):
    """An optional package a feature needs is not installed; the message names the extra that brings it."""


class AuditRecordError(SpecError):
    """An audit record to report on is missing, not JSON or not a rollout's record (bad input)."""

"""How much a provider reads and keeps: response bytes, result samples, JSON parsed within the deadline."""

from __future__ import annotations

import json
import math
from typing import Any

from canarykit.errors import ProviderError, SpecError
from canarykit.providers._http import Deadline

DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024
"""The largest response body a provider reads (10 MiB); a larger one is an Error measurement."""

DEFAULT_MAX_SAMPLES = 10_000
"""The most samples (vector elements or matrix points) or series a Prometheus result may hold."""

MESSAGE_CHARS = 1000
"""The longest fault message a provider raises (secrets are hidden before it is cut)."""

_CHECK_EVERY = 1024
"""Parsed numbers and objects between two looks at the deadline."""


class NotJson(ValueError):
    """The body is not JSON (or nests deeper than the parser goes)."""


def check_limit(value: int, name: str) -> int:
    """`value` if it is a whole number >= 1; raises `SpecError` naming `name` otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise SpecError(f"{name} must be a whole number >= 1, got {value!r}")
    return value


def check_deadline(deadline: Deadline, where: str, doing: str) -> None:
    """Raise the timeout `ProviderError` when `deadline` has passed; `doing` says what took too long."""
    if deadline.remaining() <= 0:
        raise ProviderError(f"timeout: the answer from {where} was not {doing} within {deadline.seconds:g} s")


def parse_json(
    text: str | bytes,
    deadline: Deadline,
    where: str,
    max_samples: int | None = None,
    floats_only: bool = False,
) -> Any:
    """`text` parsed; stops with a `ProviderError` past the deadline or past `max_samples`.

    With `max_samples`, the answer may hold at most that many numbers (Prometheus timestamps: one per
    sample) and twice as many objects plus two (each sample or series and its labels; the envelope).
    `floats_only` parses integers as floats and refuses NaN and numbers out of float range (JSON as Go
    decodes it).
    Raises `NotJson` when it is not JSON.
    """
    budget = _Budget(deadline, where, max_samples, floats_only)
    hooks: dict[str, Any] = {"parse_float": budget.number, "object_hook": budget.counted_object}
    hooks["parse_int"] = budget.number if floats_only else budget.integer
    if floats_only:
        hooks["parse_constant"] = _reject_constant
    try:
        document = json.loads(text, **hooks)
    except RecursionError:
        raise NotJson("JSON nested too deeply") from None
    except ValueError as exc:
        raise NotJson(str(exc)) from None
    check_deadline(deadline, where, "parsed")
    return document


class _Budget:
    """Counts what the parser builds, refusing too much of it, and looks at the deadline as it goes."""

    def __init__(self, deadline: Deadline, where: str, max_samples: int | None, finite: bool) -> None:
        self.deadline = deadline
        self.where = where
        self.max_samples = max_samples
        self.finite = finite
        self.numbers = 0
        self.objects = 0

    def number(self, text: str) -> float:
        self._count_number()
        value = float(text)
        if self.finite and math.isinf(value):
            raise ValueError(f"number {text} is out of range")
        return value

    def integer(self, text: str) -> int:
        self._count_number()
        return int(text)

    def counted_object(self, value: dict[str, Any]) -> dict[str, Any]:
        self.objects += 1
        if self.max_samples is not None and self.objects > 2 * self.max_samples + 2:
            raise self._too_many()
        self._tick(self.objects)
        return value

    def _count_number(self) -> None:
        self.numbers += 1
        if self.max_samples is not None and self.numbers > self.max_samples:
            raise self._too_many()
        self._tick(self.numbers)

    def _tick(self, count: int) -> None:
        if count % _CHECK_EVERY == 0:
            check_deadline(self.deadline, self.where, "parsed")

    def _too_many(self) -> ProviderError:
        return ProviderError(
            f"the answer from {self.where} holds more than {self.max_samples} samples or series "
            "(max_samples); narrow the query or raise max_samples"
        )


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")

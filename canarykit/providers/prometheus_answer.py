"""A Prometheus API answer: its envelope read within the caps and the deadline, and Argo's conversion."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, TypeVar

from canarykit.errors import ProviderError
from canarykit.providers._http import Deadline, Reply
from canarykit.providers.limits import NotJson, check_deadline, parse_json
from canarykit.providers.redaction import Redactor
from canarykit.values import PREVIEW_CHARS, format_float, format_floats

_T = TypeVar("_T")
SNIPPET_CHARS = 80
"""Characters of an unexpected body quoted in an error."""
DETAIL_CHARS = 300
"""Characters of Prometheus's own error text, or of one warning, kept."""


@dataclass(frozen=True)
class Series:
    """One series of a range query: its labels and its `(unix seconds, value)` points in time order."""

    labels: Mapping[str, str]
    points: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Answer:
    """The `data` of a successful answer, and its warnings (secrets hidden, each cut)."""

    result_type: str
    result: Any
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Reading:
    """What reading an answer needs: the deadline, where it came from, the sample cap, what to hide."""

    deadline: Deadline
    where: str
    max_samples: int
    redactor: Redactor

    def answer(self, reply: Reply) -> Answer:
        """The `data` of the answer; any error answer becomes a `ProviderError`."""
        payload = self._json(reply.body)
        if not reply.ok:
            detail = (
                f": {self._api_error(payload)}" if isinstance(payload, dict) and "error" in payload else ""
            )
            raise ProviderError(f"Prometheus returned HTTP {reply.status} {reply.reason}".rstrip() + detail)
        if not isinstance(payload, dict):
            raise ProviderError(
                f"Prometheus returned a body that is not a JSON object: {self._snippet(reply)}"
            )
        if payload.get("status") == "error":
            raise ProviderError(f"Prometheus query failed: {self._api_error(payload)}")
        data = payload.get("data")
        if payload.get("status") != "success" or not isinstance(data, dict):
            raise ProviderError(f"Prometheus returned an unexpected answer: {self._snippet(reply)}")
        warnings = tuple(
            self.redactor.cut(str(item), DETAIL_CHARS) for item in _items(payload.get("warnings"))
        )
        return Answer(str(data.get("resultType")), data.get("result"), warnings)

    def converted(self, convert: Callable[[], _T]) -> _T:
        """`convert()` (a conversion of the answer), then a look at the deadline."""
        value = convert()
        check_deadline(self.deadline, self.where, "converted")
        return value

    def _json(self, body: bytes) -> Any:
        try:
            return parse_json(body, self.deadline, self.where, self.max_samples)
        except NotJson:
            return None

    def _api_error(self, payload: Mapping[str, Any]) -> str:
        text = f"{payload.get('errorType', 'error')}: {payload.get('error', '')}"
        return self.redactor.cut(text, DETAIL_CHARS)

    def _snippet(self, reply: Reply) -> str:
        """The body's start, secrets hidden before it is cut (a secret the cut splits is masked too)."""
        if not reply.body:
            return "(empty body)"
        longest = max((len(secret) for secret in self.redactor.secrets), default=0)
        window = reply.body[: (SNIPPET_CHARS + longest) * 4]
        text = self.redactor.cut(window.decode("utf-8", errors="replace"), SNIPPET_CHARS)
        if len(reply.body) > len(window) and not text.endswith("..."):
            text = self.redactor.mask_cut_secret(text) + "..."
        return repr(text)


def value_of(answer: Answer) -> tuple[Any, str]:
    """Argo's conversion: scalar -> float, vector -> floats in order, matrix -> every series' values.

    The text is Argo's, or a preview of it when longer than a measurement keeps (`PREVIEW_CHARS`).
    """
    if answer.result_type == "scalar":
        scalar = _guard("scalar", lambda: _number(answer.result))
        return scalar, format_float(scalar)
    if answer.result_type == "vector":
        values = _guard("vector", lambda: [_number(sample["value"]) for sample in answer.result])
    elif answer.result_type == "matrix":
        values = _guard("matrix", lambda: [_number(p) for item in answer.result for p in item["values"]])
    else:
        raise ProviderError("Prometheus metric type not supported")
    return values, format_floats(values, PREVIEW_CHARS)


def series_of(answer: Answer) -> list[Series]:
    """Every series of a matrix answer."""
    if answer.result_type != "matrix":
        raise ProviderError(f"Prometheus range query returned {answer.result_type!r}, expected a matrix")
    return _guard("matrix", lambda: [_series(item) for item in answer.result])


def _series(item: Mapping[str, Any]) -> Series:
    labels = MappingProxyType({str(key): str(value) for key, value in item["metric"].items()})
    points = tuple((float(point[0]), _number(point)) for point in item["values"])
    return Series(labels=labels, points=points)


def _number(pair: Sequence[Any]) -> float:
    """The value of a `[timestamp, "value"]` pair; Prometheus writes NaN and infinities as "NaN", "+Inf"."""
    return float(pair[1])


def _guard(kind: str, convert: Callable[[], _T]) -> _T:
    try:
        return convert()
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
        raise ProviderError(f"malformed Prometheus {kind} result ({type(exc).__name__}: {exc})") from None


def _items(warnings: Any) -> list[Any]:
    return list(warnings) if isinstance(warnings, list) else []

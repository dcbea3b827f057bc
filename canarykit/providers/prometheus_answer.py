"""A Prometheus API answer read as Argo's Go client (client_golang `api/prometheus/v1`) reads it.

Error texts are the client's: `client_error: client error: 401`, `server_error: server error: 503`,
`bad_data: 1:5: parse error: ...` (Prometheus's own `errorType: error`), `bad_response: invalid character
'<' looking for beginning of value`. canarykit's bounds (body bytes, samples, the deadline) stay in force.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, TypeVar

from canarykit.conditions.gotypes import Float64s
from canarykit.errors import ProviderError
from canarykit.providers import go_net
from canarykit.providers._http import Deadline, Reply
from canarykit.providers.go_json import syntax_error
from canarykit.providers.limits import NotJson, parse_json
from canarykit.providers.prometheus_decode import MISSING, Decoded, decode, field, kind
from canarykit.providers.redaction import Redactor
from canarykit.values import PREVIEW_CHARS, format_float, format_floats

_T = TypeVar("_T")
DETAIL_CHARS = 300
"""Characters of Prometheus's own error text, or of one warning, kept."""
_API_ERROR_CODES = (400, 422)
_ENVELOPE_TYPES = {"status": "string", "errorType": "v1.ErrorType", "error": "string", "warnings": "[]string"}


@dataclass(frozen=True)
class Series:
    """One series of a range query: its labels and its `(unix seconds, value)` points in time order."""

    labels: Mapping[str, str]
    points: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Answer:
    """The `data` of a successful answer (`MISSING` when absent), and its warnings (secrets hidden, cut)."""

    data: Any
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Reading:
    """What reading an answer needs: the deadline, where it came from, the sample cap, what to hide."""

    deadline: Deadline
    where: str
    max_samples: int
    redactor: Redactor

    def answer(self, reply: Reply) -> Answer:
        """The envelope's `data` and warnings; an error answer is a `ProviderError` in the client's words."""
        code = reply.status
        if code // 100 != 2 and code not in _API_ERROR_CODES:
            raise ProviderError(_status_error(code))
        envelope = {} if code == 204 else self._envelope(reply.body)
        status = field(envelope, "status")
        if code in _API_ERROR_CODES and status == "success":
            raise ProviderError("bad_response: inconsistent body for response code")
        if status == "error":
            error_type, error = field(envelope, "errorType"), field(envelope, "error")
            text = f"{'' if error_type in (MISSING, None) else error_type}: {_text(error)}"
            raise ProviderError(self.redactor.cut(text, DETAIL_CHARS))
        warnings = field(envelope, "warnings")
        items = warnings if isinstance(warnings, list) else []
        kept = tuple(self.redactor.cut(item or "", DETAIL_CHARS) for item in items)  # Go: null is ""
        return Answer(field(envelope, "data"), kept)

    def converted(self, convert: Callable[[], _T]) -> _T:
        """`convert()` (a conversion of the answer), then a look at the deadline."""
        value = convert()
        self._check_deadline()
        return value

    def _check_deadline(self) -> None:
        """Go's words for a deadline gone while reading the answer: the client's context expired."""
        if self.deadline.remaining() <= 0:
            raise ProviderError(go_net.DEADLINE)

    def _envelope(self, body: bytes) -> dict[str, Any]:
        """The body as Go's `json.Unmarshal` into client_golang's `apiResponse` sees it."""
        text = body.decode("utf-8", errors="replace")  # Go replaces invalid UTF-8 too
        try:
            payload = parse_json(text, self.deadline, self.where, self.max_samples, floats_only=True)
        except NotJson as refused:
            raise ProviderError(f"bad_response: {self._syntax(body, str(refused))}") from None
        except ProviderError:
            if self.deadline.remaining() <= 0:
                raise ProviderError(go_net.DEADLINE) from None
            raise  # over max_samples
        if payload is None:
            return {}
        if not isinstance(payload, dict):
            raise ProviderError(f"bad_response: json: cannot unmarshal {kind(payload)} {_INTO}")
        _check_envelope(payload)
        return payload

    def _syntax(self, body: bytes, python_reason: str) -> str:
        """Go's syntax error; for JSON Go reads but Python does not (nesting deeper than Python goes), the
        type error Go would give, else Python's reason."""
        found = syntax_error(body, self._check_deadline)
        if found is not None:
            return found
        if body.lstrip(b" \t\r\n").startswith(b"["):
            return f"json: cannot unmarshal array {_INTO}"
        return python_reason


_INTO = "into Go value of type v1.apiResponse"


def _check_envelope(payload: Mapping[str, Any]) -> None:
    """The first field of the wrong JSON type, as Go's decoder reports it (in document order)."""
    for key, value in payload.items():
        name = next((name for name in _ENVELOPE_TYPES if name.lower() == key.lower()), None)
        if name is None or value is None:
            continue
        go_type = _ENVELOPE_TYPES[name]
        if go_type == "[]string":
            if not isinstance(value, list):
                raise _field_error(value, name, go_type)
            wrong = [item for item in value if item is not None and not isinstance(item, str)]
            if wrong:
                raise _field_error(wrong[0], name, "string")
        elif not isinstance(value, str):
            raise _field_error(value, name, go_type)


def _field_error(value: Any, name: str, go_type: str) -> ProviderError:
    return ProviderError(
        f"bad_response: json: cannot unmarshal {kind(value)} into Go struct field apiResponse.{name} "
        f"of type {go_type}"
    )


def _status_error(code: int) -> str:
    """client_golang's error for a status that is neither 2xx nor an API error (400, 422)."""
    if code // 100 == 4:
        return f"client_error: client error: {code}"
    if code // 100 == 5:
        return f"server_error: server error: {code}"
    return f"bad_response: bad response code {code}"


def _text(value: Any) -> str:
    return "" if value in (MISSING, None) else str(value)


def value_of(answer: Answer) -> tuple[Any, str]:
    """Argo's conversion: scalar -> float, vector -> floats in order, matrix -> every series' values.

    The text is Argo's, or a preview of it when longer than a measurement keeps (`PREVIEW_CHARS`).
    """
    decoded = decode(answer.data)
    if decoded.result_type == "scalar":
        scalar = decoded.values()[0]
        return scalar, format_float(scalar)
    values = Float64s(decoded.values())  # Go's []float64: conditions are type-checked as in Argo
    return values, format_floats(values, PREVIEW_CHARS)


def series_of(answer: Answer) -> list[Series]:
    """Every series of a matrix answer."""
    decoded: Decoded = decode(answer.data)
    if decoded.result_type != "matrix":
        raise ProviderError(f"Prometheus range query returned {decoded.result_type!r}, expected a matrix")
    return [
        Series(MappingProxyType({str(k): str(v) for k, v in labels.items()}), points)
        for labels, points in decoded.series
    ]

"""Argo's Prometheus provider: instant queries exactly as Argo sends them, plus range queries."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests

from canarykit.errors import ProviderError, SpecError
from canarykit.providers import _http
from canarykit.providers.base import Observation
from canarykit.providers.credentials import auth_header, auth_kind, secrets_of
from canarykit.values import format_float, format_floats

_T = TypeVar("_T")
_FALLBACK_TO_GET = (405, 501)


@dataclass(frozen=True)
class Series:
    """One series of a range query: its labels and its `(unix seconds, value)` points in time order."""

    labels: Mapping[str, str]
    points: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class _Data:
    result_type: str
    result: Any
    warnings: tuple[str, ...]


class PrometheusProvider:
    """Queries the Prometheus HTTP API at `address`; `timeout` bounds each whole query, fallback included."""

    def __init__(
        self,
        address: str,
        timeout: float = 30.0,
        headers: Mapping[str, str] | None = None,
        bearer_token: str | None = None,
        basic_auth: tuple[str, str] | None = None,
        verify: bool = True,
        session: requests.Session | None = None,
    ) -> None:
        self.address = _check_address(address)
        self.timeout = _http.check_timeout(timeout)
        self.verify = verify
        self._auth = auth_kind(headers or {}, bearer_token, basic_auth)
        self._headers = {**(headers or {}), **auth_header(bearer_token, basic_auth)}
        self._secrets = secrets_of(self._headers, bearer_token, basic_auth)
        self._session = session if session is not None else requests.Session()

    def __repr__(self) -> str:
        where = _http.safe_url(self.address)
        return f"PrometheusProvider(address={where!r}, timeout={self.timeout:g}, auth={self._auth!r})"

    def measure(self, query: str | None, at: float) -> Observation:
        """The instant query `query` evaluated at `at` (unix seconds), as Argo turns it into a value."""
        if not query:
            raise ProviderError("prometheus query is empty")
        data = self._call("/api/v1/query", {"query": query, "time": format_float(at)})
        value, text = _value(data)
        metadata = {"ResolvedPrometheusQuery": query}
        if data.warnings:
            metadata["warnings"] = ", ".join(f'"{warning}"' for warning in data.warnings)
        return Observation(value=value, text=text, metadata=metadata)

    def query_range(self, query: str, start: float, end: float, step: float) -> list[Series]:
        """Every series `query` gives from `start` to `end` (unix seconds), one point per `step` seconds."""
        if not step > 0 or not end >= start:
            raise SpecError(f"query_range needs step > 0 and end >= start, got {start=}, {end=}, {step=}")
        times = {"start": format_float(start), "end": format_float(end), "step": format_float(step)}
        data = self._call("/api/v1/query_range", {"query": query, **times})
        if data.result_type != "matrix":
            raise ProviderError(f"Prometheus range query returned {data.result_type!r}, expected a matrix")
        return _guard(data.result_type, lambda: [_series(item) for item in data.result])

    def _call(self, path: str, form: Mapping[str, str]) -> _Data:
        deadline = _http.Deadline(self.timeout)
        url = self.address + path
        try:
            reply = self._send("POST", url, deadline, data=dict(form))
            if reply.status in _FALLBACK_TO_GET:
                reply = self._send("GET", url, deadline, params=dict(form))
            return _envelope(reply)
        except ProviderError as exc:
            raise ProviderError(self._redact(str(exc))) from exc.__cause__

    def _send(self, method: str, url: str, deadline: _http.Deadline, **payload: Any) -> _http.Reply:
        return _http.send(self._session, method, url, deadline, self._headers, self.verify, **payload)

    def _redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text


def _envelope(reply: _http.Reply) -> _Data:
    """The `data` of a Prometheus API answer; any error answer becomes a `ProviderError`."""
    payload = _json(reply.body)
    if not reply.ok:
        detail = f": {_api_error(payload)}" if isinstance(payload, dict) and "error" in payload else ""
        raise ProviderError(f"Prometheus returned HTTP {reply.status} {reply.reason}".rstrip() + detail)
    if not isinstance(payload, dict):
        raise ProviderError(f"Prometheus returned a body that is not a JSON object: {_snippet(reply.body)}")
    if payload.get("status") == "error":
        raise ProviderError(f"Prometheus query failed: {_api_error(payload)}")
    data = payload.get("data")
    if payload.get("status") != "success" or not isinstance(data, dict):
        raise ProviderError(f"Prometheus returned an unexpected answer: {_snippet(reply.body)}")
    warnings = tuple(str(item) for item in payload.get("warnings") or ())
    return _Data(str(data.get("resultType")), data.get("result"), warnings)


def _value(data: _Data) -> tuple[Any, str]:
    """Argo's conversion: scalar -> float, vector -> floats in order, matrix -> every series' values."""
    if data.result_type == "scalar":
        scalar = _guard("scalar", lambda: _number(data.result))
        return scalar, format_float(scalar)
    if data.result_type == "vector":
        values = _guard("vector", lambda: [_number(sample["value"]) for sample in data.result])
    elif data.result_type == "matrix":
        values = _guard("matrix", lambda: [_number(p) for item in data.result for p in item["values"]])
    else:
        raise ProviderError("Prometheus metric type not supported")
    return values, format_floats(values)


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


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return None


def _api_error(payload: Mapping[str, Any]) -> str:
    return f"{payload.get('errorType', 'error')}: {payload.get('error', '')}"


def _snippet(body: bytes, limit: int = 80) -> str:
    text = body[:limit].decode("utf-8", errors="replace")
    return repr(text + ("..." if len(body) > limit else "")) if body else "(empty body)"


def _check_address(address: str) -> str:
    try:
        parts = urlsplit(address)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:
        valid = False
    if not valid:
        raise SpecError(f"prometheus address is not is url format: {_http.safe_url(address)!r}")
    return address.rstrip("/")

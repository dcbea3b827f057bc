"""Argo's Prometheus provider: instant queries exactly as Argo sends them, plus range queries."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests

from canarykit.errors import ProviderError, SpecError
from canarykit.providers import _http
from canarykit.providers.base import Observation
from canarykit.providers.credentials import auth_header, choose_auth, secrets_of, split_userinfo
from canarykit.providers.limits import (
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_SAMPLES,
    MESSAGE_CHARS,
    check_limit,
)
from canarykit.providers.prometheus_answer import Answer, Reading, Series, series_of, value_of
from canarykit.providers.redaction import Redactor
from canarykit.providers.watchdog import deadline_session
from canarykit.values import format_float

__all__ = ["PrometheusProvider", "Series"]

_T = TypeVar("_T")
_FALLBACK_TO_GET = (405, 501)


class PrometheusProvider:
    """Queries the Prometheus HTTP API at `address`; `timeout` bounds each whole query, fallback included.

    `max_response_bytes` caps the body read and `max_samples` the samples or series of a result: past
    either, the query is a `ProviderError`. User info in `address` (`user:password@`) is basic auth unless
    another source sets `Authorization`; it is taken out of the address and never shown.
    """

    def __init__(
        self,
        address: str,
        timeout: float = 30.0,
        headers: Mapping[str, str] | None = None,
        bearer_token: str | None = None,
        basic_auth: tuple[str, str] | None = None,
        verify: bool = True,
        session: requests.Session | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        max_samples: int = DEFAULT_MAX_SAMPLES,
    ) -> None:
        address, userinfo = split_userinfo(address)
        self.address = _check_address(address)
        self.timeout = _http.check_timeout(timeout)
        self.verify = verify
        self.max_response_bytes = check_limit(max_response_bytes, "max_response_bytes")
        self.max_samples = check_limit(max_samples, "max_samples")
        self._auth, basic = choose_auth(headers or {}, bearer_token, basic_auth, userinfo)
        self._headers = {**(headers or {}), **auth_header(bearer_token, basic)}
        self._redactor = Redactor(secrets_of(self._headers, bearer_token, basic, userinfo))
        self._session = session if session is not None else deadline_session()

    def __repr__(self) -> str:
        where = _http.safe_url(self.address)
        return f"PrometheusProvider(address={where!r}, timeout={self.timeout:g}, auth={self._auth!r})"

    def measure(self, query: str | None, at: float) -> Observation:
        """The instant query `query` evaluated at `at` (unix seconds), as Argo turns it into a value."""
        if not query:
            raise ProviderError("prometheus query is empty")
        (value, text), warnings = self._call(
            "/api/v1/query", {"query": query, "time": format_float(at)}, value_of
        )
        metadata = {"ResolvedPrometheusQuery": query}
        if warnings:
            metadata["warnings"] = ", ".join(f'"{warning}"' for warning in warnings)
        return Observation(value=value, text=text, metadata=metadata)

    def query_range(self, query: str, start: float, end: float, step: float) -> list[Series]:
        """Every series `query` gives from `start` to `end` (unix seconds), one point per `step` seconds."""
        if not step > 0 or not end >= start:
            raise SpecError(f"query_range needs step > 0 and end >= start, got {start=}, {end=}, {step=}")
        times = {"start": format_float(start), "end": format_float(end), "step": format_float(step)}
        series, _ = self._call("/api/v1/query_range", {"query": query, **times}, series_of)
        return series

    def redact(self, text: str) -> str:
        """`text` with this provider's secrets (credentials, header values) replaced by `***`."""
        return self._redactor.redact(text)

    def _call(
        self, path: str, form: Mapping[str, str], convert: Callable[[Answer], _T]
    ) -> tuple[_T, tuple[str, ...]]:
        """The converted answer and its warnings: asked, read, parsed and converted before one deadline.

        Faults come out as `ProviderError`s with secrets hidden, cut to `MESSAGE_CHARS`, chaining nothing.
        """
        deadline = _http.Deadline(self.timeout)
        url = self.address + path
        reading = Reading(deadline, _http.safe_url(url), self.max_samples, self._redactor)
        try:
            reply = self._send("POST", url, deadline, data=dict(form))
            if reply.status in _FALLBACK_TO_GET:
                reply = self._send("GET", url, deadline, params=dict(form))
            answer = reading.answer(reply)
            return reading.converted(lambda: convert(answer)), answer.warnings
        except ProviderError as exc:
            raise ProviderError(self._redactor.cut(str(exc), MESSAGE_CHARS)) from None

    def _send(self, method: str, url: str, deadline: _http.Deadline, **payload: Any) -> _http.Reply:
        return _http.send(
            self._session,
            method,
            url,
            deadline,
            self._headers,
            self.verify,
            self.max_response_bytes,
            **payload,
        )


def _check_address(address: str) -> str:
    try:
        parts = urlsplit(address)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:
        valid = False
    if not valid:
        raise SpecError(f"prometheus address is not is url format: {_http.safe_url(address)!r}")
    return address.rstrip("/")

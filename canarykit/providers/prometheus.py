"""Argo's Prometheus provider: instant or range queries exactly as Argo's Go client sends and reads them."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import urlencode

import requests

from canarykit.errors import ProviderError, SpecError
from canarykit.providers import _http
from canarykit.providers.base import Observation
from canarykit.providers.credentials import RequestAuth, auth_header, choose_auth, secrets_of, split_userinfo
from canarykit.providers.go_text import go_quote
from canarykit.providers.limits import (
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_SAMPLES,
    MESSAGE_CHARS,
    check_limit,
)
from canarykit.providers.oauth2 import OAuth2, OAuth2Error, TokenSource
from canarykit.providers.prometheus_answer import Answer, Reading, Series, series_of, value_of
from canarykit.providers.range_query import RangeQuery
from canarykit.providers.watchdog import deadline_session
from canarykit.values import format_float

__all__ = ["PrometheusProvider", "RangeQuery", "Series"]

_T = TypeVar("_T")
_FALLBACK_TO_GET = (403, 405, 501)


class PrometheusProvider:
    """Queries the Prometheus HTTP API at `address`; `timeout` bounds each whole query, fallback included.

    With `range_query`, `measure` asks `/api/v1/query_range` from its start to its end (`now()` being the
    measurement's `at`) and flattens the matrix, as Argo does. `oauth2` fetches (and caches) a token for
    `Authorization: Bearer`. `max_response_bytes` caps the body read and `max_samples` the samples or
    series of a result: past either, the query is a `ProviderError`. User info in `address`
    (`user:password@`) is basic auth unless another source sets `Authorization`; it is never shown.
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
        range_query: RangeQuery | None = None,
        oauth2: OAuth2 | None = None,
    ) -> None:
        address, userinfo = split_userinfo(address)
        self.address = _check_address(address)
        self.timeout = _http.check_timeout(timeout)
        self.verify = verify
        self.max_response_bytes = check_limit(max_response_bytes, "max_response_bytes")
        self.max_samples = check_limit(max_samples, "max_samples")
        self.range_query = range_query
        self._auth_kind, basic = choose_auth(
            headers or {}, bearer_token, basic_auth, userinfo, oauth2 is not None
        )
        self._session = session if session is not None else deadline_session()
        sent = {**(headers or {}), **auth_header(bearer_token, basic)}
        tokens = TokenSource(oauth2, self._session, verify) if oauth2 is not None else None
        self._auth = RequestAuth(sent, secrets_of(sent, bearer_token, basic, userinfo), tokens)

    def __repr__(self) -> str:
        where = _http.safe_url(self.address)
        return f"PrometheusProvider(address={where!r}, timeout={self.timeout:g}, auth={self._auth_kind!r})"

    def measure(self, query: str | None, at: float) -> Observation:
        """`query` at `at` (unix seconds), or over the range query's window, as Argo turns it into a value."""
        if not query:
            raise ProviderError("prometheus query is empty")
        if self.range_query is not None:
            path, form = "/api/v1/query_range", {"query": query, **self.range_query.form(at)}
        else:
            path, form = "/api/v1/query", {"query": query, "time": format_float(at)}
        (value, text), warnings = self._call(path, form, value_of)
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

    def with_range_query(self, range_query: RangeQuery | None) -> PrometheusProvider:
        """This provider (same server, credentials, tokens and limits) asking over `range_query` instead."""
        twin = copy.copy(self)
        twin.range_query = range_query
        return twin

    def redact(self, text: str) -> str:
        """`text` with this provider's secrets (credentials, header values, tokens) replaced by `***`."""
        return self._auth.redactor.redact(text)

    def _call(
        self, path: str, form: Mapping[str, str], convert: Callable[[Answer], _T]
    ) -> tuple[_T, tuple[str, ...]]:
        """The converted answer and its warnings: asked, read, parsed and converted before one deadline.

        Faults are `ProviderError`s with client_golang's text, secrets hidden, cut to `MESSAGE_CHARS`.
        """
        deadline = _http.Deadline(self.timeout)
        url = self.address + path
        fields = sorted(form.items())  # Go's url.Values.Encode() sorts the keys
        method = "POST"
        try:
            try:
                reply = self._send(method, url, deadline, data=fields)
                if reply.status in _FALLBACK_TO_GET:
                    method, url = "GET", f"{url}?{urlencode(fields)}"
                    reply = self._send(method, url, deadline)
            except _http.TransportFault as fault:
                raise ProviderError(_transport_message(fault, method, url)) from None
            reading = Reading(deadline, _http.safe_url(url), self.max_samples, self._auth.redactor)
            answer = reading.answer(reply)  # its redactor knows the token just fetched
            return reading.converted(lambda: convert(answer)), answer.warnings
        except ProviderError as exc:
            raise ProviderError(self._auth.redactor.cut(str(exc), MESSAGE_CHARS)) from None

    def _send(self, method: str, url: str, deadline: _http.Deadline, **payload: Any) -> _http.Reply:
        try:
            headers = self._auth.headers_for(deadline)
        except OAuth2Error as error:
            raise ProviderError(f"{method.title()} {go_quote(_http.go_url(url))}: {error}") from None
        return _http.send(
            self._session, method, url, deadline, headers, self.verify, self.max_response_bytes,
            wants_body=_message_needs_body, **payload,
        )  # fmt: skip


def _message_needs_body(status: int) -> bool:
    """A 2xx or an API error (400, 422) is read; client_golang names any other status by its class only."""
    return status // 100 == 2 or status in (400, 422)


def _transport_message(fault: _http.TransportFault, method: str, url: str) -> str:
    """client_golang's error: `Post "<url>": <cause>` with no response, the bare cause in the body."""
    if fault.stage == "body":
        return fault.cause
    return f"{method.title()} {go_quote(_http.go_url(url))}: {fault.cause}"


def _check_address(address: str) -> str:
    if not _http.is_http_url(address):
        raise SpecError(f"prometheus address is not is url format: {_http.safe_url(address)!r}")
    return address.rstrip("/")

"""Argo's web metric provider: call a URL, take one JSONPath match from the JSON body."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import requests

from canarykit.errors import ProviderError, SpecError
from canarykit.providers import _http
from canarykit.providers.base import Observation
from canarykit.providers.credentials import RequestAuth, auth_header, choose_auth, secrets_of, split_userinfo
from canarykit.providers.go_marshal import go_json
from canarykit.providers.go_net import DEADLINE
from canarykit.providers.go_text import go_quote
from canarykit.providers.jsonpath import JsonPath, NotFound
from canarykit.providers.jsonpath_miss import miss_message
from canarykit.providers.limits import (
    DEFAULT_MAX_RESPONSE_BYTES,
    MESSAGE_CHARS,
    NotJson,
    check_limit,
    parse_json,
)
from canarykit.providers.oauth2 import OAuth2, OAuth2Error, TokenSource
from canarykit.providers.watchdog import deadline_session

__all__ = ["WebProvider", "go_json"]

_METHODS = ("GET", "POST", "PUT")
AWAITING_HEADERS = " (Client.Timeout exceeded while awaiting headers)"
READING_BODY = " (Client.Timeout or context cancellation while reading body)"
_READ_TIMEOUT = f"Received no bytes in response: {DEADLINE}{READING_BODY}"


class WebProvider:
    """Measures the JSON (or text) an HTTP endpoint returns; `measure` ignores its query.

    `timeout` bounds the request, reading and parsing; `max_response_bytes` caps the body. `oauth2` fetches
    (and caches) a token for `Authorization: Bearer`. User info in `url` (`user:password@`) is sent as
    basic auth unless something else sets `Authorization`; it is taken out of the URL and never shown.
    Faults read as Argo's Go client writes them (`Get "<url>": dial tcp ...: connect: connection refused`).
    """

    def __init__(
        self,
        url: str,
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        body: str | None = None,
        json_body: Any = None,
        timeout: float = 10.0,
        json_path: str = "{$}",
        verify: bool = True,
        session: requests.Session | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        oauth2: OAuth2 | None = None,
    ) -> None:
        url, userinfo = split_userinfo(url)
        self.method = _check_method(method, body, json_body)
        self.url = _check_url(url, self.method)
        self.timeout = _http.check_timeout(timeout)
        self.json_path = JsonPath(json_path)
        self.verify = verify
        self.max_response_bytes = check_limit(max_response_bytes, "max_response_bytes")
        self._data = (body or None) if json_body is None else _encode_json_body(json_body)
        _, basic = choose_auth(headers or {}, None, None, userinfo, oauth2 is not None)
        given = {**(headers or {}), **auth_header(None, basic)}
        self._session = session if session is not None else deadline_session()
        tokens = TokenSource(oauth2, self._session, verify, AWAITING_HEADERS) if oauth2 is not None else None
        sent = _request_headers(given, json_body is not None)
        self._auth = RequestAuth(sent, secrets_of(given, None, userinfo), tokens)

    def __repr__(self) -> str:
        where = _http.safe_url(self.url)
        return f"WebProvider(url={where!r}, method={self.method!r}, timeout={self.timeout:g})"

    def measure(self, query: str | None, at: float) -> Observation:
        """Call the URL and take the JSONPath match; faults are `ProviderError`s, secrets hidden."""
        deadline = _http.Deadline(self.timeout)
        try:
            reply = self._send(deadline)
            if not reply.ok:
                raise ProviderError(f"received non 2xx response code: {reply.status}")
            return self._observe(reply.body, deadline)
        except ProviderError as exc:
            raise ProviderError(self._auth.redactor.cut(str(exc), MESSAGE_CHARS)) from None

    def redact(self, text: str) -> str:
        """`text` with this provider's secrets (header values, user info, tokens) replaced by `***`."""
        return self._auth.redactor.redact(text)

    def _send(self, deadline: _http.Deadline) -> _http.Reply:
        """The answer (its body only when 2xx, as Argo reads no other); transport faults in Go's words."""
        operation = f"{self.method.title()} {go_quote(_http.go_url(self.url))}"
        payload = {} if self._data is None else {"data": self._data.encode()}
        try:
            headers = self._auth.headers_for(deadline)
            return _http.send(
                self._session, self.method, self.url, deadline, headers, self.verify,
                self.max_response_bytes, wants_body=lambda status: 200 <= status < 300, **payload,
            )  # fmt: skip
        except OAuth2Error as error:
            raise ProviderError(f"{operation}: {error}") from None
        except _http.TransportFault as fault:
            if fault.stage == "body":
                note = READING_BODY if fault.timed_out else ""
                raise ProviderError(f"Received no bytes in response: {fault.cause}{note}") from None
            note = AWAITING_HEADERS if fault.timed_out else ""
            raise ProviderError(f"{operation}: {fault.cause}{note}") from None

    def _observe(self, body: bytes, deadline: _http.Deadline) -> Observation:
        text = body.decode("utf-8", errors="replace")
        try:
            document = parse_json(text, deadline, _http.safe_url(self.url), floats_only=True)
        except NotJson:
            return Observation(value=text, text=self.redact(text))
        except ProviderError:  # the deadline passed while parsing
            raise ProviderError(_READ_TIMEOUT) from None
        try:
            match = self.json_path.find_first(document)
        except NotFound:
            raise ProviderError(miss_message(self.json_path, document)) from None
        if deadline.remaining() <= 0:
            raise ProviderError(_READ_TIMEOUT)
        return Observation(value=match, text=self.redact(go_json(match)))


def _encode_json_body(json_body: Any) -> str:
    try:
        return json.dumps(json_body, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise SpecError(f"jsonBody is not JSON: {exc}") from None


def _check_url(url: str, method: str) -> str:
    """An http(s) URL with a host; otherwise the error Argo's Go client gives at each measurement."""
    operation = f"{method.title()} {go_quote(_http.go_url(url))}"
    try:
        parts = urlsplit(url)
        scheme, host, port = parts.scheme, parts.hostname, parts.port
    except ValueError:  # a bad IPv6 literal or port
        raise SpecError(f"{operation}: invalid web metric url") from None
    if scheme.lower() not in ("http", "https"):
        raise SpecError(f"{operation}: unsupported protocol scheme {go_quote(scheme)}")
    if not host or port == 0:
        raise SpecError(f"{operation}: http: no Host in request URL")
    return url


def _check_method(method: str, body: str | None, json_body: Any) -> str:
    method = method.upper()
    if method not in _METHODS:
        raise SpecError(f"web metric method must be one of {', '.join(_METHODS)}, got {method!r}")
    if body and json_body is not None:
        raise SpecError("use either Body or JSONBody; both cannot exists for WebMetric payload")
    if method == "GET" and (body or json_body is not None):
        raise SpecError("Body/JSONBody can only be used with POST or PUT WebMetric Method types")
    return method


def _request_headers(headers: Mapping[str, str], json_body: bool) -> dict[str, str]:
    """The headers sent; with a `jsonBody`, `Content-Type: application/json` replaces any given one."""
    if not json_body:
        return dict(headers)
    kept = {name: value for name, value in headers.items() if name.lower() != "content-type"}
    return {**kept, "Content-Type": "application/json"}

"""Argo's web metric provider: call a URL, take one JSONPath match from the JSON body."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import requests

from canarykit.errors import ProviderError, SpecError
from canarykit.providers import _http
from canarykit.providers.base import Observation
from canarykit.providers.credentials import auth_header, choose_auth, secrets_of, split_userinfo
from canarykit.providers.jsonpath import JsonPath, NotFound
from canarykit.providers.limits import (
    DEFAULT_MAX_RESPONSE_BYTES,
    MESSAGE_CHARS,
    NotJson,
    check_deadline,
    check_limit,
    parse_json,
)
from canarykit.providers.redaction import Redactor
from canarykit.providers.watchdog import deadline_session
from canarykit.values import format_float

_METHODS = ("GET", "POST", "PUT")
_GO_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


class WebProvider:
    """Measures the JSON (or text) an HTTP endpoint returns; `measure` ignores its query.

    `timeout` bounds the request, reading and parsing; `max_response_bytes` caps the body. User info in
    `url` (`user:password@`) is sent as basic auth unless a header sets `Authorization`; it is taken out
    of the URL and never shown.
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
    ) -> None:
        url, userinfo = split_userinfo(url)
        self.url = _check_url(url)
        self.method = _check_method(method, body, json_body)
        self.timeout = _http.check_timeout(timeout)
        self.json_path = JsonPath(json_path)
        self.verify = verify
        self.max_response_bytes = check_limit(max_response_bytes, "max_response_bytes")
        self._data = (body or None) if json_body is None else _encode_json_body(json_body)
        _, basic = choose_auth(headers or {}, None, None, userinfo)
        given = {**(headers or {}), **auth_header(None, basic)}
        self._redactor = Redactor(secrets_of(given, None, userinfo))
        self._headers = _request_headers(given, json_body is not None)
        self._session = session if session is not None else deadline_session()

    def __repr__(self) -> str:
        where = _http.safe_url(self.url)
        return f"WebProvider(url={where!r}, method={self.method!r}, timeout={self.timeout:g})"

    def measure(self, query: str | None, at: float) -> Observation:
        """Call the URL and take the JSONPath match; faults are `ProviderError`s, secrets hidden."""
        deadline = _http.Deadline(self.timeout)
        payload = {} if self._data is None else {"data": self._data.encode()}
        try:
            reply = _http.send(
                self._session,
                self.method,
                self.url,
                deadline,
                self._headers,
                self.verify,
                self.max_response_bytes,
                **payload,
            )
            if not reply.ok:
                raise ProviderError(f"received non 2xx response code: {reply.status}")
            return self._observe(reply.body, deadline)
        except ProviderError as exc:
            raise ProviderError(self._redactor.cut(str(exc), MESSAGE_CHARS)) from None

    def redact(self, text: str) -> str:
        """`text` with this provider's secrets (header values, user info) replaced by `***`."""
        return self._redactor.redact(text)

    def _observe(self, body: bytes, deadline: _http.Deadline) -> Observation:
        where = _http.safe_url(self.url)
        text = body.decode("utf-8", errors="replace")
        try:
            document = parse_json(text, deadline, where, floats_only=True)
        except NotJson:
            return Observation(value=text, text=self.redact(text))
        try:
            match = self.json_path.find_first(document)
        except NotFound:
            raise ProviderError(f"Could not find JSONPath in body: {self.json_path.expression}") from None
        observed = Observation(value=match, text=self.redact(go_json(match)))
        check_deadline(deadline, where, "converted")
        return observed


def go_json(value: Any) -> str:
    """Compact JSON as Go's `json.Marshal` writes decoded JSON: sorted keys, Go number and HTML escaping."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int | float):
        return _go_number(float(value))
    if isinstance(value, str):
        return _go_string(value)
    if isinstance(value, Mapping):
        items = sorted((str(key), item) for key, item in value.items())
        return "{" + ",".join(f"{_go_string(key)}:{go_json(item)}" for key, item in items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(go_json(item) for item in value) + "]"
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def _go_number(value: float) -> str:
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"JSON has no encoding for {value}")
    if value == 0 or 1e-6 <= abs(value) < 1e21:
        return format_float(value)
    text = repr(value)
    mantissa, exponent = text.split("e")
    if exponent.startswith("-0"):
        exponent = "-" + exponent[2:]
    return f"{mantissa}e{exponent}"


def _go_string(value: str) -> str:
    text = json.dumps(value, ensure_ascii=False)
    for char, escape in _GO_ESCAPES.items():
        text = text.replace(char, escape)
    return text


def _encode_json_body(json_body: Any) -> str:
    try:
        return json.dumps(json_body, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise SpecError(f"jsonBody is not JSON: {exc}") from None


def _check_url(url: str) -> str:
    try:
        parts = urlsplit(url)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:  # a bad IPv6 literal or port
        valid = False
    if not valid:
        raise SpecError(f"web metric url must be an http(s) URL with a host: {_http.safe_url(url)!r}")
    return url


def _check_method(method: str, body: str | None, json_body: Any) -> str:
    method = method.upper()
    if method not in _METHODS:
        raise SpecError(f"web metric method must be one of {', '.join(_METHODS)}, got {method!r}")
    if body and json_body is not None:
        raise SpecError("use either body or jsonBody, not both")
    if method == "GET" and (body or json_body is not None):
        raise SpecError("GET requests cannot have a body (body or jsonBody)")
    return method


def _request_headers(headers: Mapping[str, str], json_body: bool) -> dict[str, str]:
    result = {"Content-Type": "application/json"} if json_body else {}
    result.update(headers)
    return result

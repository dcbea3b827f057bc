"""A token endpoint's answer read as golang.org/x/oauth2 reads it, with its error texts.

`oauth2: cannot fetch token: 401 Unauthorized\\nResponse: ...`, `oauth2: "invalid_client" "bad secret"`,
`oauth2: server response missing access_token`, `oauth2: cannot parse json: ...`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from canarykit.providers._http import Reply
from canarykit.providers.go_json import syntax_error
from canarykit.providers.go_text import go_quote

MAX_INT32 = 2**31 - 1


class OAuth2Error(Exception):
    """The token could not be had; the message is golang.org/x/oauth2's."""


@dataclass(frozen=True)
class Token:
    """An access token, its type as sent in `Authorization`, and how long it lives (0: no expiry given)."""

    access_token: str = field(repr=False)
    token_type: str
    expires_in: int

    @property
    def authorization(self) -> str:
        """The `Authorization` header value: `Bearer <token>` (x/oauth2's `Token.Type()` spelling)."""
        kind = {"bearer": "Bearer", "mac": "MAC", "basic": "Basic"}.get(self.token_type.lower())
        return f"{kind or self.token_type or 'Bearer'} {self.access_token}"


def read_token(reply: Reply) -> Token:
    """The token in `reply`; raises `OAuth2Error` as x/oauth2's `doTokenRoundTrip` fails."""
    failed = not 200 <= reply.status <= 299
    media_type = reply.content_type.split(";", 1)[0].strip().lower()
    if media_type in ("application/x-www-form-urlencoded", "text/plain"):
        values = _form(reply, failed)
    else:
        values = _json(reply, failed)
    code = _text(values.get("error"))
    if failed or code:
        raise OAuth2Error(_retrieve_error(reply, values))
    token = Token(_text(values.get("access_token")), _text(values.get("token_type")), _expires(values))
    if not token.access_token:
        raise OAuth2Error("oauth2: server response missing access_token")
    return token


def _form(reply: Reply, failed: bool) -> dict[str, Any]:
    text = reply.body.decode("utf-8", errors="replace")
    try:
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=False, separator="&")
    except ValueError as error:
        if failed:
            raise OAuth2Error(_retrieve_error(reply, {})) from None
        raise OAuth2Error(f"oauth2: cannot parse response: {error}") from None
    values: dict[str, Any] = {}
    for key, value in pairs:
        values.setdefault(key, value)  # url.Values.Get: the first value
    values["expires_in"] = _atoi(values.get("expires_in", ""))
    return values


def _json(reply: Reply, failed: bool) -> dict[str, Any]:
    problem = ""
    try:
        document = json.loads(reply.body.decode("utf-8", errors="replace"))
    except (ValueError, RecursionError):
        document = None
        problem = syntax_error(reply.body) or "invalid JSON"
    if not problem and document is not None and not isinstance(document, dict):
        kind = {list: "array", str: "string", bool: "bool"}.get(type(document), "number")
        problem = f"json: cannot unmarshal {kind} into Go value of type internal.tokenJSON"
    if problem:
        if failed:
            raise OAuth2Error(_retrieve_error(reply, {}))
        raise OAuth2Error(f"oauth2: cannot parse json: {problem}")
    return document or {}


def _expires(values: dict[str, Any]) -> int:
    """`expires_in` as x/oauth2's `expirationTime` reads it: a number or a numeric string, capped at int32."""
    given = values.get("expires_in")
    if given is None or isinstance(given, bool):
        return 0
    if isinstance(given, str):
        given = _atoi(given) if given.lstrip("-").isdigit() else 0
    if isinstance(given, float):
        given = int(given) if given.is_integer() else 0
    return min(int(given), MAX_INT32)


def _retrieve_error(reply: Reply, values: dict[str, Any]) -> str:
    """x/oauth2's `RetrieveError`: the endpoint's error code and description, or the status and body."""
    code = _text(values.get("error"))
    if code:
        parts = [code, _text(values.get("error_description")), _text(values.get("error_uri"))]
        return "oauth2: " + " ".join(go_quote(part) for part in parts if part)
    body = reply.body.decode("utf-8", errors="replace")
    return f"oauth2: cannot fetch token: {reply.status} {reply.reason}".rstrip() + f"\nResponse: {body}"


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _atoi(text: str) -> int:
    try:
        return int(text) if text.lstrip("-").isdigit() else 0
    except ValueError:
        return 0

"""OAuth2 client credentials (RFC 6749 §4.4) as Argo's Prometheus and web providers use them.

    OAuth2("https://auth.example/token", "my-client", client_secret, scopes=("metrics:read",))

The token is fetched with `grant_type=client_credentials` (the client's id and secret in a basic-auth
header, then, if that fails, in the form, as golang.org/x/oauth2 probes), cached until 10 s before it
expires, fetched again after, and sent as `Authorization: Bearer <token>`. The secret, the basic-auth
header and every token are secrets: never shown.
"""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote_plus

import requests

from canarykit.errors import ProviderError, SpecError
from canarykit.providers import _http
from canarykit.providers.go_text import go_quote
from canarykit.providers.oauth2_token import OAuth2Error, Token, read_token

__all__ = ["OAuth2", "OAuth2Error", "TokenSource"]

MISSING_PARAMETER = "missing mandatory parameter in metric for OAuth2 setup"
EXPIRY_DELTA = 10.0
"""Seconds before its expiry a token counts as expired (x/oauth2's `defaultExpiryDelta`)."""
MAX_TOKEN_RESPONSE_BYTES = 1 << 20
_KEPT_TOKENS = 8


@dataclass(frozen=True)
class OAuth2:
    """Argo's `authentication.oauth2`: `tokenUrl`, `clientId`, `clientSecret`, `scopes` (optional)."""

    token_url: str
    client_id: str
    client_secret: str = field(repr=False)
    scopes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.token_url or not self.client_id or not self.client_secret:
            raise SpecError(MISSING_PARAMETER)
        if not _http.is_http_url(self.token_url):  # a URL urlsplit refuses is a SpecError too
            raise SpecError(f"oauth2 tokenUrl must be an http(s) URL: {_http.safe_url(self.token_url)!r}")

    @property
    def basic_header(self) -> str:
        """The `Authorization` x/oauth2 sends the token URL: the id and secret URL-escaped, then base64."""
        pair = f"{quote_plus(self.client_id)}:{quote_plus(self.client_secret)}"
        return "Basic " + base64.b64encode(pair.encode()).decode("ascii")

    def secrets(self) -> tuple[str, ...]:
        """What must never be shown: the secret and the basic-auth header (and its base64 part)."""
        header = self.basic_header
        return (self.client_secret, header, header.split(" ", 1)[1])


class TokenSource:
    """Tokens for one provider: cached, fetched again when expired; thread-safe.

    `timeout_note` is added to Go's timeout text (the web provider's `(Client.Timeout exceeded ...)`);
    `now` is monotonic seconds (tests pass their own to expire tokens without waiting).
    """

    def __init__(
        self,
        config: OAuth2,
        session: requests.Session,
        verify: bool = True,
        timeout_note: str = "",
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        self._session = session
        self._verify = verify
        self._timeout_note = timeout_note
        self._now = now
        self._lock = threading.Lock()
        self._token: Token | None = None
        self._expires_at: float | None = None
        self._style: str | None = None
        self._seen: list[str] = []

    def __repr__(self) -> str:
        where = _http.safe_url(self.config.token_url)
        return f"TokenSource(token_url={where!r}, cached={self._token is not None})"

    def authorization(self, deadline: _http.Deadline) -> str:
        """`Bearer <token>` from a valid cached token or a new one; raises `OAuth2Error` (Go's text)."""
        with self._lock:
            if self._token is None or not self._valid():
                self._store(self._fetch(deadline))
            assert self._token is not None
            return self._token.authorization

    def secrets(self) -> tuple[str, ...]:
        """The configuration's secrets and the last tokens handed out."""
        with self._lock:
            return (*self.config.secrets(), *self._seen)

    def _valid(self) -> bool:
        return self._expires_at is None or self._now() < self._expires_at - EXPIRY_DELTA

    def _store(self, token: Token) -> None:
        self._token = token
        self._expires_at = self._now() + token.expires_in if token.expires_in else None
        self._seen = [token.access_token, *self._seen][:_KEPT_TOKENS]

    def _fetch(self, deadline: _http.Deadline) -> Token:
        """x/oauth2's `RetrieveToken`: the known way to send the credentials, or header then form."""
        styles = [self._style] if self._style else ["header", "params"]
        for index, style in enumerate(styles):
            try:
                token = self._request(style, deadline)
            except OAuth2Error:
                if index == len(styles) - 1:
                    raise
                continue
            self._style = style
            return token
        raise AssertionError("unreachable")

    def _request(self, style: str, deadline: _http.Deadline) -> Token:
        form = {"grant_type": "client_credentials"}
        if self.config.scopes:
            form["scope"] = " ".join(self.config.scopes)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if style == "header":
            headers["Authorization"] = self.config.basic_header
        else:
            form.update(client_id=self.config.client_id, client_secret=self.config.client_secret)
        try:
            reply = _http.send(
                self._session, "POST", self.config.token_url, deadline, headers, self._verify,
                MAX_TOKEN_RESPONSE_BYTES, data=form,
            )  # fmt: skip
        except _http.TransportFault as fault:
            raise OAuth2Error(self._describe(fault)) from None
        except ProviderError as fault:  # a body over the cap
            raise OAuth2Error(f"oauth2: cannot fetch token: {fault}") from None
        return read_token(reply)

    def _describe(self, fault: _http.TransportFault) -> str:
        note = self._timeout_note if fault.timed_out else ""
        if fault.stage == "body":
            return f"oauth2: cannot fetch token: {fault.cause}{note}"
        return f"Post {go_quote(_http.go_url(self.config.token_url))}: {fault.cause}{note}"

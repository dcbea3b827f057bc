"""Who sets a provider's `Authorization` header (one source only), and which strings must never be shown."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from urllib.parse import unquote, urlsplit, urlunsplit

from canarykit.errors import SpecError
from canarykit.providers._http import Deadline
from canarykit.providers.oauth2 import TokenSource
from canarykit.providers.redaction import Redactor

Basic = tuple[str, str] | None
BASIC_AUTH_MISSING = "missing mandatory parameter in metric for basic auth setup: "


def split_userinfo(url: str) -> tuple[str, Basic]:
    """`url` without `user:password@`, and that user and password (decoded); the URL as is when it has none.

    A user without a password (or a password without a user) is a `SpecError` that never shows either.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return url, None  # not a URL: the address check says so
    if "@" not in parts.netloc:
        return url, None
    userinfo, _, host = parts.netloc.rpartition("@")
    user, colon, password = userinfo.partition(":")
    if not (user and colon and password):
        raise SpecError("user info in an address must be user:password (the address is not shown)")
    return urlunsplit(parts._replace(netloc=host)), (unquote(user), unquote(password))


def choose_auth(
    headers: Mapping[str, str], bearer: str | None, basic: Basic, userinfo: Basic, oauth2: bool = False
) -> tuple[str | None, Basic]:
    """The source of `Authorization` and the basic auth to send; `userinfo` (from the address) counts only
    when nothing else sets `Authorization`, as Go's HTTP client does."""
    kind = auth_kind(headers, bearer, basic, oauth2)
    if kind is None and userinfo is not None:
        return "basic", userinfo
    return kind, basic


def auth_kind(
    headers: Mapping[str, str], bearer: str | None, basic: Basic, oauth2: bool = False
) -> str | None:
    """Which one source sets `Authorization`; raises `SpecError` on conflicts and incomplete basic auth.

    Argo lets OAuth2 override basic auth and a header override both; canarykit refuses the mix.
    """
    if basic is not None:
        check_basic(basic)
    if bearer is not None and not bearer:
        raise SpecError("bearer_token must not be empty")
    kinds = [
        kind
        for kind, used in (
            ("header", any(name.lower() == "authorization" for name in headers)),
            ("bearer", bearer is not None),
            ("basic", basic is not None),
            ("oauth2", oauth2),
        )
        if used
    ]
    if len(kinds) > 1:
        raise SpecError(
            f"set only one of bearer_token, basic_auth, oauth2 or an Authorization header, got {kinds}"
        )
    return kinds[0] if kinds else None


def check_basic(basic: tuple[str, str]) -> None:
    """Argo's check: a username, then a password (`missing mandatory parameter ...: username`)."""
    if len(basic) != 2 or not basic[0]:
        raise SpecError(BASIC_AUTH_MISSING + "username")
    if not basic[1]:
        raise SpecError(BASIC_AUTH_MISSING + "password")


def auth_header(bearer: str | None, basic: Basic) -> dict[str, str]:
    """The `Authorization` header for a bearer token or basic auth; none without either."""
    if bearer:
        return {"Authorization": f"Bearer {bearer}"}
    if basic:
        token = base64.b64encode(f"{basic[0]}:{basic[1]}".encode()).decode("ascii")
        return {"Authorization": f"Basic {token}"}
    return {}


def secrets_of(headers: Mapping[str, str], bearer: str | None, *basics: Basic) -> tuple[str, ...]:
    """Strings that must never appear in a message: credentials and every header value, whatever the length.

    `headers` are the headers sent (with the `Authorization` built from `bearer` or a basic auth); a value's
    part after its scheme (`Bearer <token>`) counts on its own; every password of `basics` too.
    """
    candidates = [*headers.values(), bearer or "", *(basic[1] for basic in basics if basic)]
    parts = {part.strip() for value in candidates for part in (value, value.split(" ", 1)[-1])}
    return tuple(sorted((part for part in parts if part), key=len, reverse=True))


class RequestAuth:
    """What a provider sends with each request: its headers, an OAuth2 token when it has a token source,
    and the redactor hiding every secret, tokens fetched so far included."""

    def __init__(
        self, headers: Mapping[str, str], secrets: tuple[str, ...], tokens: TokenSource | None
    ) -> None:
        self.headers = dict(headers)
        self.tokens = tokens
        self._secrets = secrets
        self._redactor = Redactor(secrets)
        self._known: tuple[str, ...] = ()

    def headers_for(self, deadline: Deadline) -> dict[str, str]:
        """The headers of one request; with OAuth2, `Authorization` carries the (cached or new) token."""
        if self.tokens is None:
            return self.headers
        return {**self.headers, "Authorization": self.tokens.authorization(deadline)}

    @property
    def redactor(self) -> Redactor:
        """A redactor for the configured secrets and every token handed out (rebuilt when one is new)."""
        known = self.tokens.secrets() if self.tokens is not None else ()
        if known != self._known:
            self._known = known
            self._redactor = Redactor((*self._secrets, *known))
        return self._redactor

"""Who sets a provider's `Authorization` header (one source only), and which strings must never be shown."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from urllib.parse import unquote, urlsplit, urlunsplit

from canarykit.errors import SpecError

Basic = tuple[str, str] | None
BASIC_AUTH_MISSING = "missing mandatory parameter in metric for basic auth setup: username|password"


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
    headers: Mapping[str, str], bearer: str | None, basic: Basic, userinfo: Basic
) -> tuple[str | None, Basic]:
    """The source of `Authorization` and the basic auth to send; `userinfo` (from the address) counts only
    when nothing else sets `Authorization`, as Go's HTTP client does."""
    kind = auth_kind(headers, bearer, basic)
    if kind is None and userinfo is not None:
        return "basic", userinfo
    return kind, basic


def auth_kind(headers: Mapping[str, str], bearer: str | None, basic: Basic) -> str | None:
    """Which one source sets `Authorization`; raises `SpecError` on conflicts and incomplete basic auth."""
    if basic is not None and (len(basic) != 2 or not all(basic)):
        raise SpecError(BASIC_AUTH_MISSING)
    if bearer is not None and not bearer:
        raise SpecError("bearer_token must not be empty")
    kinds = [
        kind
        for kind, used in (
            ("header", any(name.lower() == "authorization" for name in headers)),
            ("bearer", bearer is not None),
            ("basic", basic is not None),
        )
        if used
    ]
    if len(kinds) > 1:
        raise SpecError(f"set only one of bearer_token, basic_auth or an Authorization header, got {kinds}")
    return kinds[0] if kinds else None


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

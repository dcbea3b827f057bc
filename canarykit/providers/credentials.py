"""Who sets a provider's `Authorization` header (one source only), and which strings must never be shown."""

from __future__ import annotations

import base64
from collections.abc import Mapping

from canarykit.errors import SpecError

Basic = tuple[str, str] | None
BASIC_AUTH_MISSING = "missing mandatory parameter in metric for basic auth setup: username|password"


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


def secrets_of(headers: Mapping[str, str], bearer: str | None, basic: Basic) -> tuple[str, ...]:
    """Strings that must never appear in a message: credentials and every header value worth hiding."""
    candidates = [*headers.values(), bearer or "", basic[1] if basic else ""]
    parts = {part for value in candidates for part in (value, value.split(" ", 1)[-1])}
    return tuple(sorted((part for part in parts if len(part) >= 4), key=len, reverse=True))

"""What both Datadog APIs' answers share in Argo's provider: the status rules and the JSON body's decoding."""

from __future__ import annotations

from typing import Any

from canarykit.errors import ProviderError
from canarykit.providers._http import Reply
from canarykit.providers.datadog_gojson import GoJsonError, Shape, Tick, decode, no_tick


def body_of(reply: Reply) -> bytes:
    """The body of a 200 answer; any other status is a `ProviderError` quoting the body, as Argo's.

    401 and 403 are authentication errors; everything but exactly 200 (201 and 204 too) is refused.
    """
    if reply.status in (401, 403):
        raise ProviderError(f"received authentication error response code: {reply.status} {_text(reply)}")
    if reply.status != 200:
        raise ProviderError(f"received non 2xx response code: {reply.status} {_text(reply)}")
    return reply.body


def decoded(body: bytes, shape: Shape, tick: Tick = no_tick, exact: bool = False) -> Any:
    """The body as Argo's response struct `shape`; Go's decoding errors as Argo words them."""
    try:
        return decode(body, shape, tick, exact)
    except GoJsonError as error:
        raise ProviderError(f"Could not parse JSON body: {error}") from None


def _text(reply: Reply) -> str:
    return reply.body.decode("utf-8", errors="replace")

"""The include file `NginxUpstreamRouter` owns: its text, reading its weight back, and writing it safely."""

from __future__ import annotations

import re
from pathlib import Path

from canarykit.errors import RoutingError, SpecError
from canarykit.files import replace_atomically

UPSTREAM_NAME = re.compile(r"[A-Za-z0-9_.-]+")
DEFAULT_MAX_WEIGHT = 100
HIGHEST_MAX_WEIGHT = 2**31 - 1
"""Argo's `maxTrafficWeight` is an int32; nginx takes server weights up to 2^63 - 1 (`ngx_atoi`)."""
_SERVER_FORBIDDEN = re.compile(r"[\s;{}#'\"\\]")


def render_upstream(
    upstream: str, stable: str, canary: str, weight: int, max_weight: int = DEFAULT_MAX_WEIGHT
) -> str:
    """The include file's text: `upstream` with `weight` of `max_weight` on `canary`, the rest on `stable`."""
    check_weight(weight, max_weight)
    return (
        "# Written by canarykit (NginxUpstreamRouter); it is rewritten on every weight change.\n"
        f"upstream {upstream} {{\n"
        f"    zone canarykit_{upstream} 64k;  # one shared round-robin state for all workers\n"
        f"    server {stable} {_share(max_weight - weight)};  # stable\n"
        f"    server {canary} {_share(weight)};  # canary\n"
        "    keepalive 8;\n"
        "}\n"
    )


def parse_canary_weight(
    text: str, path: Path, upstream: str, stable: str, canary: str, max_weight: int = DEFAULT_MAX_WEIGHT
) -> int:
    """The canary weight written in `text` (the content of `path`); `RoutingError` if it has none.

    The two shares must add up to `max_weight`: a file written for another total is not guessed at.
    """
    if not re.search(rf"^\s*upstream\s+{re.escape(upstream)}\s*\{{", text, re.MULTILINE):
        raise RoutingError(f"{path} holds no `upstream {upstream}` block")
    canary_share, stable_share = _share_of(text, path, canary), _share_of(text, path, stable)
    if canary_share + stable_share != max_weight:
        raise RoutingError(f"{path}: stable {stable_share} + canary {canary_share} is not {max_weight}")
    return canary_share


def canary_weight_or_none(
    text: str | None, upstream: str, stable: str, canary: str, max_weight: int = DEFAULT_MAX_WEIGHT
) -> int | None:
    """The canary weight in `text`, None when there is no text or it cannot be parsed."""
    if text is None:
        return None
    try:
        return parse_canary_weight(text, Path(), upstream, stable, canary, max_weight)
    except RoutingError:
        return None


def check_weight(weight: int, max_weight: int = DEFAULT_MAX_WEIGHT) -> None:
    """`SpecError` unless `weight` is an int from 0 to `max_weight`."""
    if isinstance(weight, bool) or not isinstance(weight, int) or not 0 <= weight <= max_weight:
        raise SpecError(f"weight must be an integer from 0 to {max_weight}, got {weight!r}", "weight")


def check_max_weight(max_weight: int) -> None:
    """`SpecError` unless `max_weight` is an int from 1 to `HIGHEST_MAX_WEIGHT`."""
    if isinstance(max_weight, bool) or not isinstance(max_weight, int):
        raise SpecError(f"max_weight must be an integer, got {max_weight!r}", "max_weight")
    if not 1 <= max_weight <= HIGHEST_MAX_WEIGHT:
        raise SpecError(f"max_weight must be from 1 to {HIGHEST_MAX_WEIGHT}, got {max_weight}", "max_weight")


def check_upstream(stable: str, canary: str, upstream: str, max_weight: int) -> None:
    """`SpecError` unless both servers are addresses and differ, `upstream` a name and `max_weight` valid."""
    check_server(stable, "stable")
    check_server(canary, "canary")
    check_max_weight(max_weight)
    if stable == canary:
        raise SpecError(f"stable and canary are the same server {stable!r}", "canary")
    if not UPSTREAM_NAME.fullmatch(upstream):
        raise SpecError(f"upstream name must match {UPSTREAM_NAME.pattern}, got {upstream!r}", "upstream")


def check_server(server: str, field: str) -> None:
    """`SpecError` unless `server` is a `host:port` that cannot inject configuration."""
    if not isinstance(server, str) or not server or _SERVER_FORBIDDEN.search(server):
        raise SpecError(f"{field} must be an nginx server address like 127.0.0.1:8080, got {server!r}", field)


def read_or_none(path: Path) -> str | None:
    """The text of `path`, None if it does not exist; `RoutingError` if it cannot be read."""
    try:
        return path.read_text()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise RoutingError(f"cannot read {path}: {error}") from error


def write_atomically(path: Path, text: str) -> None:
    """Readers (nginx -t, a reload) see the old file or the new, never half of one; its mode is kept."""
    try:
        replace_atomically(path, text.encode("utf-8"))
    except OSError as error:
        raise RoutingError(f"cannot write {path}: {error}") from error


def remove(path: Path) -> None:
    """Delete `path` if it exists; `RoutingError` if it cannot be deleted."""
    try:
        path.unlink(missing_ok=True)
    except OSError as error:
        raise RoutingError(f"cannot remove {path}: {error}") from error


def _share(weight: int) -> str:
    return f"weight={weight}" if weight else "down"  # nginx rejects weight=0


def _share_of(text: str, path: Path, server: str) -> int:
    pattern = rf"^\s*server\s+{re.escape(server)}\s+(?:weight=(\d+)|(down))\s*;"
    found = re.search(pattern, text, re.MULTILINE)
    if found is None:
        raise RoutingError(f"{path}: no parsable `server {server}` line")
    return 0 if found.group(2) else int(found.group(1))

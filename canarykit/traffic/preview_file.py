"""The preview block of `NginxUpstreamRouter`'s include file (blue-green): one upstream naming one side.

    upstream app-preview {
        server 127.0.0.1:8002;  # preview: canary
        keepalive 8;
    }

It follows the weighted `upstream app` block in the same file, so one check and one reload move both.
"""

from __future__ import annotations

import re
from pathlib import Path

from canarykit.errors import RoutingError, SpecError
from canarykit.traffic.upstream_file import UPSTREAM_NAME


def check_preview_name(preview_upstream: str | None, upstream: str) -> None:
    """`SpecError` unless `preview_upstream` is None or an upstream name other than `upstream`."""
    if preview_upstream is None:
        return
    if not isinstance(preview_upstream, str) or not UPSTREAM_NAME.fullmatch(preview_upstream):
        raise SpecError(
            f"preview_upstream name must match {UPSTREAM_NAME.pattern}, got {preview_upstream!r}",
            "preview_upstream",
        )
    if preview_upstream.lower() == upstream.lower():  # nginx compares upstream names case-insensitively
        raise SpecError(
            f"preview_upstream {preview_upstream!r} must differ from upstream {upstream!r}",
            "preview_upstream",
        )


def render_preview(preview_upstream: str, stable: str, canary: str, on_canary: bool) -> str:
    """The preview block: `preview_upstream` sending every request to `canary` or to `stable`."""
    server, side = (canary, "canary") if on_canary else (stable, "stable")
    return f"upstream {preview_upstream} {{\n    server {server};  # preview: {side}\n    keepalive 8;\n}}\n"


def parse_preview(text: str, path: Path, preview_upstream: str, stable: str, canary: str) -> bool:
    """True when the preview block in `text` (of `path`) names `canary`, False for `stable`."""
    block = re.search(
        rf"^\s*upstream\s+{re.escape(preview_upstream)}\s*\{{([^}}]*)\}}", text, re.MULTILINE | re.IGNORECASE
    )
    if block is None:
        raise RoutingError(f"{path} holds no `upstream {preview_upstream}` block")
    servers = re.findall(r"^\s*server\s+([^\s;]+)[^;\n]*;", block.group(1), re.MULTILINE)
    if servers in ([canary], [stable]):
        return servers == [canary]
    raise RoutingError(
        f"{path}: `upstream {preview_upstream}` must hold one server, {stable} or {canary}; found {servers}"
    )


def preview_or_stable(text: str | None, preview_upstream: str, stable: str, canary: str) -> bool:
    """The preview in `text`; False (stable) when there is no text or no parsable preview block."""
    if text is None:
        return False
    try:
        return parse_preview(text, Path(), preview_upstream, stable, canary)
    except RoutingError:
        return False


def describe_preview(on_canary: bool) -> str:
    """`preview on canary` or `preview on stable`."""
    return f"preview on {'canary' if on_canary else 'stable'}"

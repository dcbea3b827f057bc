"""Argo's `setHeaderRoute` step -> `SetHeaderRoute` (ingress-nginx routes on one header)."""

from __future__ import annotations

import re

from canarykit.argo.models import Loose
from canarykit.errors import SpecError, UnsupportedFeature
from canarykit.steps import SetHeaderRoute


def header_route(model: Loose, path: str) -> SetHeaderRoute:
    """`match: [{headerName, headerValue: {exact|prefix|regex}}]`; no match removes the route."""
    fields = model.model_dump()
    matches = fields.get("match") or []
    if not matches:
        return SetHeaderRoute()
    if len(matches) > 1:
        raise UnsupportedFeature("ingress-nginx routes on a single header: one match only", f"{path}.match")
    match = matches[0]
    header = match.get("headerName")
    if not header:
        raise SpecError("headerName is required", f"{path}.match[0].headerName")
    value = match.get("headerValue") or {}
    kinds = [kind for kind in ("exact", "prefix", "regex") if value.get(kind) is not None]
    if len(kinds) != 1:
        raise SpecError(
            "headerValue needs exactly one of exact, prefix or regex", f"{path}.match[0].headerValue"
        )
    text = str(value[kinds[0]])
    try:
        if kinds[0] == "exact":
            return SetHeaderRoute(header, value=text)
        return SetHeaderRoute(header, pattern=text if kinds[0] == "regex" else f"^{re.escape(text)}")
    except SpecError as error:
        raise SpecError(error.reason, f"{path}.match[0]") from None

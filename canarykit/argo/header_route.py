"""Argo's `setHeaderRoute` step -> `SetHeaderRoute` (ingress-nginx routes on one header)."""

from __future__ import annotations

import re

from canarykit.argo.models import ArgoModel
from canarykit.errors import SpecError, UnsupportedFeature
from canarykit.steps import SetHeaderRoute


class StringMatchModel(ArgoModel):
    exact: str | None = None
    prefix: str | None = None
    regex: str | None = None


class HeaderMatchModel(ArgoModel):
    header_name: str = ""
    header_value: StringMatchModel | None = None


class SetHeaderRouteModel(ArgoModel):
    """`setHeaderRoute`: a managed route's `name` and its header `match`es."""

    name: str = ""
    match: tuple[HeaderMatchModel, ...] = ()


def header_route(model: SetHeaderRouteModel, path: str) -> SetHeaderRoute:
    """`match: [{headerName, headerValue: {exact|prefix|regex}}]`; no match removes the route."""
    if not model.match:
        return SetHeaderRoute()
    if len(model.match) > 1:
        raise UnsupportedFeature("ingress-nginx routes on a single header: one match only", f"{path}.match")
    match = model.match[0]
    if not match.header_name:
        raise SpecError("headerName is required", f"{path}.match[0].headerName")
    value = match.header_value or StringMatchModel()
    kinds = [kind for kind in ("exact", "prefix", "regex") if getattr(value, kind) is not None]
    if len(kinds) != 1:
        raise SpecError(
            "headerValue needs exactly one of exact, prefix or regex", f"{path}.match[0].headerValue"
        )
    text = str(getattr(value, kinds[0]))
    try:
        if kinds[0] == "exact":
            return SetHeaderRoute(match.header_name, value=text)
        pattern = text if kinds[0] == "regex" else f"^{re.escape(text)}"
        return SetHeaderRoute(match.header_name, pattern=pattern)
    except SpecError as error:
        raise SpecError(error.reason, f"{path}.match[0]") from None

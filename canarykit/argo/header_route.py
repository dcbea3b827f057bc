"""Argo's `setHeaderRoute` step -> `SetHeaderRoute` (the router decides which forms it can hold)."""

from __future__ import annotations

from canarykit.argo.models import ArgoModel
from canarykit.errors import SpecError
from canarykit.steps import HeaderMatch, SetHeaderRoute


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
    """`name` and `match: [{headerName, headerValue: {exact|prefix|regex}}]`; no match removes the routes."""
    name = model.name or None
    matches = tuple(_header_match(match, f"{path}.match[{i}]") for i, match in enumerate(model.match))
    try:
        return SetHeaderRoute(name=name, matches=matches)
    except SpecError as error:
        raise SpecError(error.reason, path) from None


def _header_match(match: HeaderMatchModel, path: str) -> HeaderMatch:
    if not match.header_name:
        raise SpecError("headerName is required", f"{path}.headerName")
    value = match.header_value or StringMatchModel()
    kinds = {
        kind: getattr(value, kind)
        for kind in ("exact", "prefix", "regex")
        if getattr(value, kind) is not None
    }
    if len(kinds) != 1:
        raise SpecError("headerValue needs exactly one of exact, prefix or regex", f"{path}.headerValue")
    try:
        return HeaderMatch(match.header_name, **{kind: str(text) for kind, text in kinds.items()})
    except SpecError as error:
        raise SpecError(error.reason, path) from None

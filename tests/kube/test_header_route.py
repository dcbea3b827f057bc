"""ingress-nginx header routing annotations (canary-by-header and its value/pattern)."""

from __future__ import annotations

from typing import Any

import pytest

from canarykit.errors import SpecError
from canarykit.kube.header_route import (
    HEADER_ANNOTATIONS,
    cleared_header_route_annotations,
    header_route_annotations,
)

PREFIX = "nginx.ingress.kubernetes.io"


def test_header_alone_routes_on_always_never() -> None:
    assert header_route_annotations(PREFIX, "X-Canary") == {f"{PREFIX}/canary-by-header": "X-Canary"}


def test_header_with_exact_value() -> None:
    assert header_route_annotations(PREFIX, "X-Canary", value="iwantsit") == {
        f"{PREFIX}/canary-by-header": "X-Canary",
        f"{PREFIX}/canary-by-header-value": "iwantsit",
    }


def test_header_with_pattern() -> None:
    assert header_route_annotations("custom.io", "X-Region", pattern="^(eu|us)-[a-z]+$") == {
        "custom.io/canary-by-header": "X-Region",
        "custom.io/canary-by-header-pattern": "^(eu|us)-[a-z]+$",
    }


def test_cleared_annotations_remove_all_three() -> None:
    assert HEADER_ANNOTATIONS == ("canary-by-header", "canary-by-header-value", "canary-by-header-pattern")
    assert cleared_header_route_annotations(PREFIX) == {
        f"{PREFIX}/canary-by-header": None,
        f"{PREFIX}/canary-by-header-value": None,
        f"{PREFIX}/canary-by-header-pattern": None,
    }


def test_switching_from_value_to_pattern_via_merge_patch() -> None:
    patch: dict[str, str | None] = {**cleared_header_route_annotations(PREFIX)}
    patch.update(header_route_annotations(PREFIX, "X-Canary", pattern="^yes"))
    assert patch[f"{PREFIX}/canary-by-header-value"] is None
    assert patch[f"{PREFIX}/canary-by-header-pattern"] == "^yes"


def test_value_and_pattern_together_are_rejected() -> None:
    with pytest.raises(SpecError, match="at most one of a header value and a header pattern"):
        header_route_annotations(PREFIX, "X-Canary", value="a", pattern="a")


@pytest.mark.parametrize("header", ["", "X Canary", "X-Canary:", "Ünicode", None, 5])
def test_invalid_header_name_is_rejected(header: Any) -> None:
    with pytest.raises(SpecError, match="is not a valid HTTP header name"):
        header_route_annotations(PREFIX, header)


@pytest.mark.parametrize("header", ["X_Canary", "X.Canary", "X~Canary", "X!"])
def test_header_names_nginx_drops_are_rejected(header: str) -> None:
    with pytest.raises(SpecError, match="nginx ignores header names"):
        header_route_annotations(PREFIX, header)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "must be a non-empty string"),
        ("   ", "must be a non-empty string"),
        (" yes", "surrounding spaces"),
        ("a;b", "ingress-nginx only accepts"),
        ('"quoted"', "ingress-nginx only accepts"),
    ],
)
def test_invalid_header_value_is_rejected(value: str, message: str) -> None:
    with pytest.raises(SpecError, match=message):
        header_route_annotations(PREFIX, "X-Canary", value=value)


def test_value_with_allowed_punctuation_and_inner_space() -> None:
    value = "tenant-1.eu_west~a/b:c d"
    assert (
        header_route_annotations(PREFIX, "X-Tenant", value=value)[f"{PREFIX}/canary-by-header-value"] == value
    )


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("", "must be a non-empty string"),
        ("(unclosed", "is not a valid regex"),
        ("*a", "is not a valid regex"),
        ("a{2,5}", "ingress-nginx only accepts"),
        ("a b", "ingress-nginx only accepts"),
        ("a;b", "ingress-nginx only accepts"),
    ],
)
def test_invalid_header_pattern_is_rejected(pattern: str, message: str) -> None:
    with pytest.raises(SpecError, match=message):
        header_route_annotations(PREFIX, "X-Canary", pattern=pattern)


def test_bad_prefix_is_rejected() -> None:
    with pytest.raises(SpecError, match="invalid annotation prefix"):
        header_route_annotations("bad/prefix", "X-Canary")
    with pytest.raises(SpecError, match="invalid annotation prefix"):
        cleared_header_route_annotations("")

"""ingress-nginx header routing annotations for the canary Ingress (beyond Argo: argo-rollouts #2830).

ingress-nginx semantics (annotations docs and `rootfs/etc/nginx/lua/balancer.lua`), checked in this order:

- `canary-by-header`: the request header, case-insensitive (nginx reads `$http_<name>`, `-` as `_`).
  With neither value nor pattern, a header value of `always` routes to the canary and `never` never does; any
  other value falls through to the cookie, then to `canary-weight`.
- `canary-by-header-value`: an exact, case-sensitive match on the header value routes to the canary; any
  other value (even `never`) falls through to cookie/weight. When it is set, the pattern is ignored.
- `canary-by-header-pattern`: a PCRE search (`ngx.re.match`, *unanchored*: write `^...$` to match the whole
  value); a match routes to the canary, a regex error counts as no match.

Header routing beats `canary-by-cookie`, which beats `canary-weight`, so it works even at weight 0.
"""

from __future__ import annotations

import re

from canarykit.errors import SpecError
from canarykit.kube.canary_ingress import annotation_key
from canarykit.steps.kinds import HEADER_TOKEN

HEADER_ANNOTATIONS = ("canary-by-header", "canary-by-header-value", "canary-by-header-pattern")

# nginx (ignore_invalid_headers on, underscores_in_headers off: ingress-nginx's defaults) drops other names.
_NGINX_HEADER_RE = re.compile(r"[0-9A-Za-z-]+")
# ingress-nginx annotation validators: BasicCharsRegex (spaces removed first) and IsValidRegex.
_VALUE_RE = re.compile(r"[-._~a-zA-Z0-9/: ]+")
_PATTERN_CHARS_RE = re.compile(r"[-._~a-zA-Z0-9/:^$\[\](){}*+?|&=\\]+")


def header_route_annotations(
    annotation_prefix: str, header: str, value: str | None = None, pattern: str | None = None
) -> dict[str, str]:
    """`canary-by-header` plus at most one of `-value`/`-pattern`; merge it over the cleared set to switch."""
    if value is not None and pattern is not None:
        raise SpecError(
            "set at most one of a header value and a header pattern (ingress-nginx ignores the pattern)"
        )
    out = {annotation_key(annotation_prefix, "canary-by-header"): _check_header(header)}
    if value is not None:
        out[annotation_key(annotation_prefix, "canary-by-header-value")] = _check_value(value)
    if pattern is not None:
        out[annotation_key(annotation_prefix, "canary-by-header-pattern")] = _check_pattern(pattern)
    return out


def cleared_header_route_annotations(annotation_prefix: str) -> dict[str, None]:
    """All three header annotations set to None: a JSON merge patch that removes them."""
    return {annotation_key(annotation_prefix, name): None for name in HEADER_ANNOTATIONS}


def _check_header(header: str) -> str:
    """The header name, if it is an HTTP token that nginx does not drop."""
    if not isinstance(header, str) or not HEADER_TOKEN.fullmatch(header):  # RFC 9110 `token`
        raise SpecError(f"{header!r} is not a valid HTTP header name", "header")
    if not _NGINX_HEADER_RE.fullmatch(header):
        raise SpecError(
            f"header {header!r}: nginx ignores header names other than letters, digits and '-'", "header"
        )
    return header


def _check_value(value: str) -> str:
    """The exact header value, if ingress-nginx's annotation validation accepts it."""
    if not isinstance(value, str) or not value.strip():
        raise SpecError(f"the header value must be a non-empty string, got {value!r}", "value")
    if value != value.strip():
        raise SpecError(f"header value {value!r} has surrounding spaces, which HTTP strips", "value")
    if not _VALUE_RE.fullmatch(value):
        raise SpecError(
            f"header value {value!r}: ingress-nginx only accepts letters, digits, ' ' and -._~/:", "value"
        )
    return value


def _check_pattern(pattern: str) -> str:
    """The header pattern, if it compiles and ingress-nginx's annotation validation accepts its characters.

    ingress-nginx matches with PCRE at request time; Python `re` is used here as an approximation (its syntax
    is close to PCRE and to Go RE2 for the characters ingress-nginx allows), so a few exotic constructs
    (e.g. possessive quantifiers, `\\Q..\\E`) may be judged differently.
    """
    if not isinstance(pattern, str) or not pattern:
        raise SpecError(f"the header pattern must be a non-empty string, got {pattern!r}", "pattern")
    if not _PATTERN_CHARS_RE.fullmatch(pattern):
        allowed = "letters, digits, -._~/: and ^$[](){}*+?|&=\\ (no ',' or spaces)"
        raise SpecError(f"header pattern {pattern!r}: ingress-nginx only accepts {allowed}", "pattern")
    try:
        re.compile(pattern)
    except re.error as error:
        raise SpecError(f"header pattern {pattern!r} is not a valid regex: {error}", "pattern") from error
    return pattern

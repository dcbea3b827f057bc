"""Header routes: requests with matching headers go to the canary whatever the weight (`setHeaderRoute`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from canarykit.errors import SpecError

HEADER_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
MATCH_KINDS = ("exact", "prefix", "regex")


@dataclass(frozen=True)
class HeaderMatch:
    """One header condition: exactly one of `exact`, `prefix` or `regex` (Argo's `headerValue`)."""

    header: str
    exact: str | None = None
    prefix: str | None = None
    regex: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.header, str) or not HEADER_TOKEN.fullmatch(self.header):
            raise SpecError(f"header {self.header!r} is not a valid HTTP header name")
        given = [kind for kind in MATCH_KINDS if getattr(self, kind) is not None]
        if len(given) != 1:
            raise SpecError(f"header {self.header!r}: set exactly one of exact, prefix or regex")
        text = getattr(self, given[0])
        if not isinstance(text, str) or not text:
            raise SpecError(f"header {self.header!r}: {given[0]} must be a non-empty string, got {text!r}")
        if self.regex is not None:
            check_pattern(self.regex)

    @property
    def kind(self) -> str:
        """`exact`, `prefix` or `regex`."""
        return next(kind for kind in MATCH_KINDS if getattr(self, kind) is not None)

    @property
    def text(self) -> str:
        """The value, prefix or regex to match."""
        return str(getattr(self, self.kind))


@dataclass(frozen=True)
class SetHeaderRoute:
    """Send requests whose headers match to the canary, whatever the weight; nothing to match removes routes.

    The short form is one `header`: `value` matches exactly, `pattern` as a regular expression; with neither,
    the header's value `always` or `never` decides (ingress-nginx's `canary-by-header`). The long form gives
    a route `name` (Argo's `managedRoutes` entry) and several `matches`, all of which must hold (Gateway API
    routers). `SetHeaderRoute()` (or `SetHeaderRoute(name=...)`) removes the header routes. They are removed
    when the rollout ends.
    """

    header: str | None = None
    value: str | None = None
    pattern: str | None = None
    name: str | None = None
    matches: tuple[HeaderMatch, ...] = field(default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "matches", _checked_matches(self.matches))
        if self.name is not None and (not isinstance(self.name, str) or not self.name):
            raise SpecError(f"SetHeaderRoute name must be a non-empty string, got {self.name!r}")
        if self.header is None:
            if self.value is not None or self.pattern is not None:
                given = self.value if self.value is not None else self.pattern
                raise SpecError(
                    f"SetHeaderRoute needs a header to match a value or pattern, got only {given!r}"
                )
            return
        if self.matches:
            raise SpecError(f"SetHeaderRoute takes a header or matches, not both, got header {self.header!r}")
        if not HEADER_TOKEN.fullmatch(self.header):
            raise SpecError(f"SetHeaderRoute header {self.header!r} is not a valid HTTP header name")
        if self.value is not None and self.pattern is not None:
            given = f"value {self.value!r} and pattern {self.pattern!r}"
            raise SpecError(
                f"SetHeaderRoute header {self.header!r} takes a value or a pattern, not both: {given}"
            )
        if self.pattern is not None:
            check_pattern(self.pattern)

    @property
    def removes(self) -> bool:
        """True for a step that removes the header routes (nothing to match)."""
        return self.header is None and not self.matches

    def header_matches(self) -> tuple[HeaderMatch, ...]:
        """The matches; the short form as one (`SpecError` for a bare header, which only nginx expresses)."""
        if self.header is None:
            return self.matches
        if self.value is None and self.pattern is None:
            raise SpecError(f"header {self.header!r}: a header route here needs a value or a pattern")
        return (HeaderMatch(self.header, exact=self.value, regex=self.pattern),)


def _checked_matches(matches: Sequence[HeaderMatch]) -> tuple[HeaderMatch, ...]:
    result = tuple(matches)
    for index, match in enumerate(result):
        if not isinstance(match, HeaderMatch):
            raise SpecError(f"SetHeaderRoute matches[{index}]: expected a HeaderMatch, got {match!r}")
    return result


def check_pattern(pattern: str) -> None:
    """`SpecError` unless `pattern` compiles as a regular expression."""
    try:
        re.compile(pattern)
    except re.error as error:
        raise SpecError(
            f"SetHeaderRoute pattern {pattern!r} is not a valid regular expression: {error}"
        ) from None

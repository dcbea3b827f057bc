"""`SetHeaderRoute` steps on the router: applied, recorded in the status, restored after a resume.

Two kinds of router take header routes. A simple one (`HeaderRouter`, ingress-nginx) holds one route on one
header: `set_header_route(header, value=, pattern=)`. A named one (`NamedHeaderRouter`, Gateway API) holds
routes by name, each with several matches: `set_header_matches(name, matches)`. A step is given to the
router in the form it takes; the record keeps that form (`[header, value, pattern]`, or
`{name: [[header, kind, text], ...]}`) so a resumed driver can give the router the same routes again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from canarykit.errors import SpecError, UnsupportedFeature
from canarykit.rollout.rollback import retry
from canarykit.steps import HeaderMatch, Plan, SetHeaderRoute
from canarykit.traffic import HeaderRouter, TrafficRouter

if TYPE_CHECKING:
    from canarykit.rollout.stepper import Stepper

RouteRecord = list[str | None] | dict[str, list[list[str]]] | None


@runtime_checkable
class NamedHeaderRouter(Protocol):
    """A router holding header routes by name, each with several matches (Gateway API's managed routes)."""

    managed_routes: Sequence[str]

    def set_header_matches(self, name: str, matches: Sequence[HeaderMatch]) -> None: ...

    def remove_header_routes(self) -> None: ...


def header_route_step(stepper: Stepper, step: SetHeaderRoute) -> None:
    """Carry out `step` on the router and record the routes now in force; the caller saves."""
    router = stepper.rollout.router
    if step.removes:
        set_header_route(stepper, None)
    elif isinstance(router, NamedHeaderRouter):
        named = dict(stepper.status.header_route) if isinstance(stepper.status.header_route, dict) else {}
        named[route_name(step, router)] = [[m.header, m.kind, m.text] for m in step.header_matches()]
        set_header_route(stepper, named)
    else:
        set_header_route(stepper, list(_short_form(step)))


def set_header_route(stepper: Stepper, record: RouteRecord) -> None:
    """Apply `record` (None: remove the header routes) and keep it in the status; the caller saves."""
    apply_header_route(stepper, record)
    stepper.status.header_route = record


def apply_header_route(stepper: Stepper, record: RouteRecord) -> None:
    """Give the router the routes of `record`, or remove them all when None (each call retried)."""
    rollout = stepper.rollout
    router: Any = rollout.router  # checked to take header routes when the rollout was built
    for action, label in _actions(router, record):
        retry(action, rollout.clock, rollout.backoff, f"header route {label}")


def _actions(router: Any, record: RouteRecord) -> list[tuple[Any, str]]:
    if record is None:
        return [(router.remove_header_routes, "removal")]
    if isinstance(record, list):
        header, value, pattern = record
        return [(lambda: router.set_header_route(header, value=value, pattern=pattern), str(record))]
    actions = []
    for name, encoded in record.items():
        matches = [HeaderMatch(header, **{kind: text}) for header, kind, text in encoded]
        actions.append((lambda n=name, m=matches: router.set_header_matches(n, m), name))
    return actions


def route_name(step: SetHeaderRoute, router: NamedHeaderRouter) -> str:
    """The step's route name, or the router's first managed route; `SpecError` when there is neither."""
    name = step.name or next(iter(router.managed_routes), None)
    if name is None:
        raise SpecError(f"a header route on {type(router).__name__} needs a name (one of managedRoutes)")
    return name


def _short_form(step: SetHeaderRoute) -> tuple[str | None, str | None, str | None]:
    """[header, value, pattern] for a simple router: one match (a prefix becomes an anchored pattern)."""
    if step.header is not None:
        return step.header, step.value, step.pattern
    if len(step.matches) > 1:
        raise UnsupportedFeature("this router routes on a single header: one match only")
    match = step.matches[0]
    if match.kind == "exact":
        return match.header, match.text, None
    pattern = match.text if match.kind == "regex" else f"^{re.escape(match.text)}"
    return match.header, None, pattern


def check_header_routes(plan: Plan, router: TrafficRouter) -> None:
    """`SetHeaderRoute` steps need a router that takes them, in a form it can hold; checked before any run."""
    for index, step in enumerate(plan):
        if not isinstance(step, SetHeaderRoute):
            continue
        try:
            _check_step(step, router)
        except SpecError as error:
            raise type(error)(error.reason, f"steps[{index}]") from None


def _check_step(step: SetHeaderRoute, router: TrafficRouter) -> None:
    if not isinstance(router, HeaderRouter | NamedHeaderRouter):
        raise UnsupportedFeature(f"{type(router).__name__} cannot route on headers (no set_header_route)")
    if step.removes:
        return
    if isinstance(router, NamedHeaderRouter):
        name, matches = route_name(step, router), step.header_matches()
        check = getattr(router, "check_header_matches", None)  # optional: the router's own limits
        if callable(check):
            check(name, matches)
        return
    header, value, pattern = _short_form(step)
    check = getattr(router, "check_header_route", None)
    if callable(check):
        check(header, value=value, pattern=pattern)

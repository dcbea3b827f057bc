"""A fault-matrix case, what it should end in, and what it did end in: read from the include file, from
real requests through nginx, from the saved record and from the drivers' journal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bluegreen_order import active_order_problem
from driver_config import PLAN
from fault_lab import Lab
from fault_support import asked_weights, expected_split, weight_order_problem

from canarykit.errors import StateError

PLAN_WEIGHTS = tuple(value for kind, value in PLAN if kind == "weight")


@dataclass(frozen=True)
class Expect:
    """How a case must end."""

    phase: str | None
    """The record's phase; None: the record is unreadable (a corrupt record is left as it was found)."""
    weight: int
    """The canary weight: in the include file, confirmed by a reload, and what 100 requests get."""
    refused: tuple[str, ...] = ()
    """When set, the last driver must raise one of these error types and ask the router for nothing."""
    finished: bool = True
    plan: tuple[int, ...] = PLAN_WEIGHTS
    strategy: str = "canary"
    """"bluegreen": the active side follows `active_order_problem`, and a finished release's preview serves
    stable (in the include file and to 100 requests on the preview port)."""


@dataclass(frozen=True)
class Outcome:
    """How a case ended."""

    phase: str
    weight: int
    confirmed: bool
    served: dict[str, int]
    wanted: dict[str, int]
    asked: list[int]
    record: dict[str, Any] | None
    raised: list[dict[str, Any]]
    last_life: list[dict[str, Any]]
    time_to_safe: float | None
    preview: bool | None = None
    preview_served: dict[str, int] | None = None
    preview_wanted: dict[str, int] | None = None


@dataclass(frozen=True)
class Case:
    """A named scenario: `run(lab)` does it and returns when the fault struck (monotonic seconds)."""

    name: str
    run: Callable[[Lab], float]
    expect: Expect


def run_case(case: Case, lab: Lab) -> Outcome:
    fault_at = case.run(lab)
    return observe(lab, fault_at, case.expect)


def observe(lab: Lab, fault_at: float, expect: Expect, name: str = "web") -> Outcome:
    try:
        record = lab.record(name)
        phase = "none" if record is None else str(record["phase"])
    except StateError:
        record, phase = None, "unreadable"
    upstream = lab.upstream()
    entries = [entry for entry in lab.entries() if entry["rollout"] == name]
    last = max((entry["life"] for entry in entries), default=0)
    return Outcome(
        phase=phase,
        weight=upstream.desired_weight,
        confirmed=upstream.confirmed,
        served=lab.served(expect.weight),
        wanted=expected_split(expect.weight, lab.stable.color, lab.canary.color),
        asked=asked_weights(entries),
        record=record,
        raised=lab.entries(event="raised"),  # of every rollout the case drove
        last_life=[entry for entry in entries if entry["life"] == last],
        time_to_safe=_time_to_safe(lab, fault_at, lab.entries()),
        preview=upstream.preview,
        preview_served=lab.served_preview(False) if lab.preview_port else None,
        preview_wanted=expected_split(0, lab.stable.color, lab.canary.color),
    )


def _time_to_safe(lab: Lab, fault_at: float, entries: list[dict[str, Any]]) -> float | None:
    """Seconds from the fault until traffic was confirmed on stable (weight 0 applied by any driver of the
    lab, or nginx started again on a file holding 0); 0 if it was there already; None if it never got
    there (a refused driver leaves the weight where it found it)."""
    applied = [(float(entry["mono"]), entry["weight"]) for entry in entries if entry["event"] == "applied"]
    times = [when for when, weight in applied if weight == 0 and when >= fault_at]
    if lab.nginx_back_at is not None and lab.nginx_back_at >= fault_at:
        times.append(lab.nginx_back_at)
    if times:
        return min(times) - fault_at
    before = [weight for when, weight in applied if when < fault_at]
    return 0.0 if not before or before[-1] == 0 else None


def problems(outcome: Outcome, expect: Expect) -> list[str]:
    """Everything about `outcome` that breaks `expect` or the matrix's invariants."""
    found: list[str] = []
    if outcome.weight != expect.weight or not outcome.confirmed:
        found.append(
            f"include file: weight {outcome.weight}, confirmed {outcome.confirmed}; want {expect.weight}"
        )
    if outcome.served != outcome.wanted:
        found.append(f"100 requests through nginx: {outcome.served}; want {outcome.wanted}")
    wanted_phase = "unreadable" if expect.phase is None else expect.phase
    if outcome.phase != wanted_phase:
        found.append(f"record phase {outcome.phase}; want {wanted_phase}")
    for weights, where in ((outcome.asked, "asked of the router"), (_history(outcome), "in the record")):
        if (problem := _order_problem(weights, expect)) is not None:
            found.append(f"weights {where} out of order: {problem}")
    if expect.strategy == "bluegreen" and expect.finished:
        found.extend(_preview_problems(outcome))
    for entry in outcome.raised:
        if not entry["canary"]:
            found.append(f"life {entry['life']} raised a non-canarykit {entry['type']}: {entry['message']}")
    found.extend(_record_problems(outcome.record, expect))
    if expect.refused:
        found.extend(_refusal_problems(outcome.last_life, expect.refused))
    return found


def _order_problem(weights: list[int], expect: Expect) -> str | None:
    if expect.strategy == "bluegreen":
        return active_order_problem(weights)
    return weight_order_problem(weights, expect.plan)


def _preview_problems(outcome: Outcome) -> list[str]:
    """A finished blue-green release's preview is back on stable, on disk and for real requests."""
    found = [] if outcome.preview is False else [f"include file: preview {outcome.preview}; want stable"]
    if outcome.preview_served != outcome.preview_wanted:
        found.append(f"100 requests on the preview: {outcome.preview_served}; want {outcome.preview_wanted}")
    return found


def _history(outcome: Outcome) -> list[int]:
    return [] if outcome.record is None else list(outcome.record["weight_history"])


def _record_problems(record: dict[str, Any] | None, expect: Expect) -> list[str]:
    if record is None or expect.phase not in ("Healthy", "Degraded"):
        return []
    wanted: dict[str, object] = {
        "weight": 0,
        "finished": expect.finished,
        "aborted": expect.phase == "Degraded",
    }
    if expect.finished:
        wanted["unconfirmed"] = ""
    got = {key: record[key] for key in wanted}
    return [] if got == wanted else [f"record {got}; want {wanted}"]


def _refusal_problems(life: list[dict[str, Any]], errors: tuple[str, ...]) -> list[str]:
    raised = [entry["type"] for entry in life if entry["event"] == "raised"]
    asked = [entry["weight"] for entry in life if entry["event"] == "set"]
    if len(raised) == 1 and raised[0] in errors and not asked:
        return []
    wanted = " or ".join(errors)
    return [f"the last driver raised {raised} and asked for weights {asked}; want {wanted}, nothing asked"]


def canary_kind(entry: dict[str, Any]) -> str:
    """The kind of canarykit error a driver raised (the direct subclass of `CanaryError`), else its type."""
    kinds: list[str] = entry["kinds"]
    return kinds[kinds.index("CanaryError") - 1] if "CanaryError" in kinds[1:] else kinds[0]


def check(outcome: Outcome, expect: Expect) -> None:
    """Raise `AssertionError` listing every problem (the benchmark prints the first)."""
    found = problems(outcome, expect)
    assert not found, "\n".join(found)

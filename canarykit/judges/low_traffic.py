"""The low-traffic policy: how much canary traffic a verdict needs, and what to do when it never comes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from canarykit.durations import Duration, parse_duration
from canarykit.errors import SpecError
from canarykit.judges.sequential import Decision, Verdict

Otherwise = Literal["fail", "pass", "pause"]
OTHERWISE: tuple[Otherwise, ...] = ("fail", "pass", "pause")

FAIL, PASS, CONTINUE, INCONCLUSIVE = "fail", "pass", "continue", "inconclusive"
"""Outcomes (`result["outcome"]`): Failed, settled Successful, Successful, Inconclusive."""


@dataclass(frozen=True)
class LowTraffic:
    """No verdict before `min_requests` canary requests; after `max_wait` without them, `otherwise`.

    `otherwise`: `"fail"` (a Failed measurement), `"pass"` (settled Successful) or `"pause"` (an
    Inconclusive measurement: the analysis becomes Inconclusive and the rollout pauses).
    """

    min_requests: int = 200
    max_wait: Duration = "10m"
    otherwise: Otherwise = "pause"
    max_wait_seconds: float = field(init=False, repr=False, compare=False, default=0.0)

    def __post_init__(self) -> None:
        if isinstance(self.min_requests, bool) or not isinstance(self.min_requests, int):
            raise SpecError(f"LowTraffic min_requests must be an integer, got {self.min_requests!r}")
        if self.min_requests < 1:
            raise SpecError(f"LowTraffic min_requests must be >= 1, got {self.min_requests}")
        if self.otherwise not in OTHERWISE:
            raise SpecError(f"LowTraffic otherwise must be one of {OTHERWISE}, got {self.otherwise!r}")
        object.__setattr__(self, "max_wait_seconds", parse_duration(self.max_wait, "LowTraffic.max_wait"))

    def describe(self) -> str:
        """E.g. `200 canary requests within 10m, else pause`."""
        return f"{self.min_requests} canary requests within {self.max_wait}, else {self.otherwise}"


@dataclass(frozen=True)
class Judgement:
    """What one measurement concludes, and why in a few words."""

    outcome: str
    reason: str
    by_policy: bool = False

    @property
    def final(self) -> bool:
        """True when this outcome completes the metric (the next measurement belongs to a new run)."""
        return self.outcome != CONTINUE


def judge(decision: Decision, elapsed: float, policy: LowTraffic | None, settle: bool) -> Judgement:
    """The outcome of a test decision under the policy, `elapsed` s after the first measurement."""
    requests = decision.totals.canary_requests
    if policy is not None and requests < policy.min_requests:
        return _too_few(decision, elapsed, policy)
    if decision.verdict is Verdict.FAIL:
        return Judgement(FAIL, "the canary's rate is credibly above the tolerance")
    if decision.verdict is Verdict.PASS:
        return Judgement(PASS, "a regression beyond the tolerance is ruled out")
    if settle and policy is not None:
        reason = f"{requests:g} >= {policy.min_requests} canary requests without a failure"
        return Judgement(PASS, reason, by_policy=True)
    return Judgement(CONTINUE, "not decided yet")


def _too_few(decision: Decision, elapsed: float, policy: LowTraffic) -> Judgement:
    requests = decision.totals.canary_requests
    short = f"{requests:g} < {policy.min_requests} canary requests"
    if elapsed < policy.max_wait_seconds:
        return Judgement(CONTINUE, f"low traffic: {short}, waiting up to {policy.max_wait}", by_policy=True)
    if decision.verdict is Verdict.FAIL:  # evidence of a regression wins over the policy's default
        reason = f"low traffic ({short}) but the canary's rate is credibly above the tolerance"
        return Judgement(FAIL, reason, by_policy=True)
    outcome = {"fail": FAIL, "pass": PASS, "pause": INCONCLUSIVE}[policy.otherwise]
    reason = f"low traffic: {short} after {policy.max_wait}, so {policy.otherwise}"
    return Judgement(outcome, reason, by_policy=True)

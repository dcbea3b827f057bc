"""One analysis run's state of a comparison judge: a `MetricProvider` driven by the analysis clock."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Protocol

from canarykit.judges.history import HistoryInformedTest, StableHistory
from canarykit.judges.low_traffic import PASS, Judgement, LowTraffic, judge
from canarykit.judges.queries import SplitQueries
from canarykit.judges.sequential import Decision, SequentialSplitTest, SplitCounts, Verdict
from canarykit.providers.base import MetricProvider, Observation
from canarykit.values import format_float

EVIDENCE = {Verdict.FAIL: "regression", Verdict.PASS: "cleared", Verdict.CONTINUE: "undecided"}
"""What the sequential test alone says (`evidence`), in words distinct from the judge's `outcome`."""
RESTART_GAP = 900.0
"""Seconds beyond the interval without a measurement after which a session starts over (a new run)."""


class Comparison(Protocol):
    """What a session needs of its judge."""

    provider: MetricProvider
    queries: SplitQueries
    low_traffic: LowTraffic | None
    history_seconds: float | None

    def new_test(self, history: StableHistory | None = None) -> SequentialSplitTest | HistoryInformedTest: ...


class ComparisonSession:
    """Reads each side's cumulative counts since its origin and feeds the new part to a sequential test.

    The origin is `lookback` s before the first measurement. It starts over (a fresh test, a new origin)
    when the previous outcome completed the metric, when `at` is not after the previous measurement, or
    after more than `interval + RESTART_GAP` s without one: each of these means a new analysis run.
    """

    def __init__(self, judge: Comparison, interval: float, lookback: float, settle: bool = False) -> None:
        self.judge, self.interval, self.lookback, self.settle = judge, interval, lookback, settle
        self.restart()

    def restart(self) -> None:
        """Forget everything: the next measurement is the first of a new run."""
        self.test = self.judge.new_test()
        self._history_note = ""
        self._origin: float | None = None
        self._first_at = 0.0
        self._last_try: float | None = None
        self._seen = SplitCounts()
        self._finished = False

    def measure(self, query: str | None, at: float) -> Observation:
        """Read the counts up to `at`, update the test, judge; `query` is ignored (the judge has its own)."""
        if self._new_run(at):
            self.restart()
        if self._origin is None:
            self._origin, self._first_at = at - self.lookback, at
            self._start_with_history(self._origin)
        self._last_try = at
        totals = self.judge.queries.read(self.judge.provider, at - self._origin, at)
        decision = self.test.update(self._consume(totals))
        judgement = judge(decision, at - self._first_at, self.judge.low_traffic, self.settle)
        self._finished = judgement.final
        observation = _observation(decision, judgement, self._describe(at))
        note = self._fallback_note()
        return replace(observation, text=f"{observation.text} ({note})") if note else observation

    def _start_with_history(self, origin: float) -> None:
        """With a `history` window: stable's counts over it, before the origin, inform the test."""
        seconds = self.judge.history_seconds
        if seconds is None:
            return
        requests, bad = self.judge.queries.read_stable(self.judge.provider, seconds, origin)
        self.test = self.judge.new_test(StableHistory(requests, bad, seconds))
        if not isinstance(self.test, HistoryInformedTest):
            self._history_note = (
                f"no stable requests in the {format_float(seconds)}s before the canary: same-window test"
            )

    def _new_run(self, at: float) -> bool:
        last = self._last_try
        if last is None:
            return False
        return self._finished or at <= last or at - last > self.interval + RESTART_GAP

    def _consume(self, totals: SplitCounts) -> SplitCounts:
        """The part of `totals` not fed yet; bad events wait until their side's requests are counted."""
        seen = self._seen
        canary = _new(totals.canary_requests, totals.canary_bad, seen.canary_requests, seen.canary_bad)
        stable = _new(totals.stable_requests, totals.stable_bad, seen.stable_requests, seen.stable_bad)
        new = SplitCounts(*canary, *stable)
        self._seen = seen + new
        return new

    def _describe(self, at: float) -> dict[str, str]:
        assert self._origin is not None
        test = self.test
        fields = {
            "windowSeconds": format_float(at - self._origin),
            "maxRatio": format_float(test.max_ratio),
            "alpha": format_float(test.alpha),
            "beta": format_float(test.beta),
            "minBad": str(test.min_bad),
            "minDifference": format_float(test.min_difference),
            **_zone(test.split if isinstance(test, HistoryInformedTest) else test),
        }
        history = self._history()
        fields.update({"history": history} if history else {})
        policy = self.judge.low_traffic
        return {**fields, "lowTraffic": policy.describe()} if policy is not None else fields

    def _fallback_note(self) -> str:
        """Why a judge given a `history` judges on the same window only ('' when the history is in use)."""
        test = self.test
        if isinstance(test, HistoryInformedTest):
            reason = test.fallback_reason
            return f"same-window test: {reason}" if reason is not None else ""
        return self._history_note

    def _history(self) -> str:
        """What stable's history says: the bounds it gave, a fallback and why, or why there is none."""
        test = self.test
        if not isinstance(test, HistoryInformedTest):
            return self._history_note
        if test.fallback_reason is not None:
            return f"{test.describe_history()}; same-window test since {test.fallback_reason}"
        return test.describe_history()


def _zone(test: SequentialSplitTest) -> dict[str, str]:
    """`passRatio` and `failRatio` of a test with an indifference zone; nothing without one."""
    if test.pass_ratio is None or test.fail_ratio is None:
        return {}
    return {"passRatio": format_float(test.pass_ratio), "failRatio": format_float(test.fail_ratio)}


def _new(requests: float, bad: float, seen_requests: float, seen_bad: float) -> tuple[float, float]:
    new_requests = max(requests - seen_requests, 0.0)
    return new_requests, min(max(bad - seen_bad, 0.0), new_requests)


def _observation(decision: Decision, judgement: Judgement, fields: Mapping[str, str]) -> Observation:
    """Value: the decision's dict (its `verdict` as `evidence`) with `outcome` and `reason`; text: short."""
    value = {key: item for key, item in decision.to_dict().items() if key != "verdict"}
    value.update(outcome=judgement.outcome, evidence=EVIDENCE[decision.verdict], reason=judgement.reason)
    return Observation(
        value=value, text=_text(decision, judgement), metadata=_metadata(decision, judgement, fields)
    )


def _text(decision: Decision, judgement: Judgement) -> str:
    """E.g. `fail: e-value 123.4 (fails at 100), canary 12/400, stable 3/1600`, then the policy's reason.

    The e-value shown is the one that decides: the pass e-value on a pass the test reached, else the fail
    e-value; each with the threshold at which it decides.
    """
    totals = decision.totals
    cleared = judgement.outcome == PASS and not judgement.by_policy
    bound = (
        f"passes at {_e(decision.pass_threshold)}" if cleared else f"fails at {_e(decision.fail_threshold)}"
    )
    e_value = decision.e_pass if cleared else decision.e_fail
    text = (
        f"{judgement.outcome}: e-value {_e(e_value)} ({bound}),"
        f" canary {_n(totals.canary_bad)}/{_n(totals.canary_requests)},"
        f" stable {_n(totals.stable_bad)}/{_n(totals.stable_requests)}"
    )
    return f"{text} ({judgement.reason})" if judgement.by_policy else text


def _metadata(decision: Decision, judgement: Judgement, fields: Mapping[str, str]) -> dict[str, str]:
    totals = decision.totals
    canary_rate, stable_rate = totals.rates()
    return {
        "outcome": judgement.outcome,
        "evidence": EVIDENCE[decision.verdict],
        "reason": judgement.reason,
        "canaryRequests": _n(totals.canary_requests),
        "canaryBad": _n(totals.canary_bad),
        "stableRequests": _n(totals.stable_requests),
        "stableBad": _n(totals.stable_bad),
        "canaryRate": "" if canary_rate is None else f"{canary_rate:.6g}",
        "stableRate": "" if stable_rate is None else f"{stable_rate:.6g}",
        "eFail": _e(decision.e_fail),
        "ePass": _e(decision.e_pass),
        "failThreshold": _e(decision.fail_threshold),
        "passThreshold": _e(decision.pass_threshold),
        **fields,
    }


def _n(count: float) -> str:
    return format_float(count)


def _e(value: float) -> str:
    return f"{value:.4g}"

"""Canary-vs-stable judges as analysis metrics: error rate (here) and latency (`latency.py`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from canarykit.analysis.measurement import Measurement
from canarykit.analysis.metric import Metric
from canarykit.durations import Duration, parse_positive_duration
from canarykit.errors import SpecError
from canarykit.judges.history import HistoryInformedTest, StableHistory
from canarykit.judges.low_traffic import CONTINUE, FAIL, PASS, LowTraffic
from canarykit.judges.queries import SplitQueries, error_queries
from canarykit.judges.sequential import MAX_RATIO, SequentialSplitTest
from canarykit.judges.session import ComparisonSession
from canarykit.providers.base import MetricProvider, Observation
from canarykit.providers.prometheus import PrometheusProvider


class SplitComparison:
    """A canary-vs-stable judge: Prometheus, its queries, the test's options, a low-traffic rule."""

    default_name = "comparison"

    def __init__(
        self,
        prometheus: str | MetricProvider,
        queries: SplitQueries,
        test_options: Mapping[str, Any],
        low_traffic: LowTraffic | None = None,
        history: Duration | None = None,
    ) -> None:
        self.provider = as_provider(prometheus)
        self.history = history
        self.history_seconds = None if history is None else parse_positive_duration(history, "history")
        self.queries = queries
        self.test_options = dict(test_options)
        self.low_traffic = low_traffic
        self.new_test()  # validates the options now, not at the first measurement
        self._default_session: ComparisonSession | None = None

    def new_test(self, history: StableHistory | None = None) -> SequentialSplitTest | HistoryInformedTest:
        """A fresh sequential test with this judge's options; history-informed given stable's history."""
        if history is not None and history.requests > 0:
            return HistoryInformedTest(history, **self.test_options)
        return SequentialSplitTest(**self.test_options)

    def metric(
        self,
        name: str | None = None,
        interval: Duration = "10s",
        settle_after_requests: bool = False,
        lookback: Duration | None = None,
    ) -> Metric:
        """A metric with its own test state: Failed once the test rejects, settled Successful once cleared.

        `settle_after_requests` (needs `low_traffic`) also settles it once `min_requests` canary requests
        were judged without a failure, for an `Analysis` step. `lookback` is what the first measurement
        covers (default: one interval).
        """
        name = name or self.default_name
        seconds = parse_positive_duration(interval, f"metric {name!r}: interval")
        back = (
            seconds if lookback is None else parse_positive_duration(lookback, f"metric {name!r}: lookback")
        )
        if settle_after_requests and self.low_traffic is None:
            raise SpecError("settle_after_requests needs a LowTraffic policy (its min_requests)")
        session = ComparisonSession(self, seconds, back, settle_after_requests)
        return Metric(
            name,
            session,
            query=self.queries.describe(),
            interval=seconds,
            success_condition=judge_continues_or_passes,
            failure_condition=judge_fails,
            failure_limit=0,
            inconclusive_limit=0,
            settled=judge_passed,
        )

    def template(
        self,
        name: str | None = None,
        interval: Duration = "10s",
        settle_after_requests: bool = False,
        lookback: Duration | None = None,
    ) -> JudgeTemplate:
        """A source for `BackgroundAnalysis`/`Analysis` that builds a fresh metric for every analysis run."""
        template = JudgeTemplate(self, name or self.default_name, interval, settle_after_requests, lookback)
        template.metrics({})  # validates now
        return template

    def measure(self, query: str | None, at: float) -> Observation:
        """The judge as a plain provider: one shared session with a 10 s interval and lookback."""
        if self._default_session is None:
            self._default_session = ComparisonSession(self, 10.0, 10.0)
        return self._default_session.measure(query, at)


class ErrorRateComparison(SplitComparison):
    """Fails once the canary's error rate is credibly above `max_ratio` times stable's (false-fail <= alpha).

    Errors are `status=~error_status` on ingress-nginx's `nginx_ingress_controller_requests`; canary is
    `canary!=""`, stable `canary=""`, both under the stable Ingress's name. `history` (e.g. "1h"): judge
    against stable's error rate over that window before the canary started (`HistoryInformedTest`).
    """

    default_name = "error-rate-comparison"

    def __init__(
        self,
        prometheus: str | MetricProvider,
        ingress: str,
        namespace: str | None = None,
        error_status: str = "5..",
        max_ratio: float = MAX_RATIO,
        alpha: float = 0.01,
        beta: float | None = None,
        min_errors: int = 3,
        min_difference: float = 0.0,
        low_traffic: LowTraffic | None = None,
        pass_ratio: float | None = None,
        fail_ratio: float | None = None,
        history: Duration | None = None,
    ) -> None:
        options = split_test_options(
            max_ratio, alpha, beta, min_errors, min_difference, pass_ratio, fail_ratio
        )
        queries = error_queries(ingress, namespace, error_status)
        super().__init__(prometheus, queries, options, low_traffic, history)
        self.ingress, self.namespace, self.error_status = ingress, namespace, error_status


@dataclass(frozen=True)
class JudgeTemplate:
    """Builds a judge's metric anew for each analysis run (`metrics(args, prometheus)`, like a template).

    A `prometheus` override (a rollout's `prometheus=`) replaces the judge's Prometheus.
    """

    judge: SplitComparison
    name: str
    interval: Duration = "10s"
    settle_after_requests: bool = False
    lookback: Duration | None = None

    def metrics(
        self, args: Mapping[str, str], prometheus: str | MetricProvider | None = None
    ) -> list[Metric]:
        judge = self.judge
        if prometheus is not None:
            judge = _rebased(judge, as_provider(prometheus))
        return [judge.metric(self.name, self.interval, self.settle_after_requests, self.lookback)]


def split_test_options(
    max_ratio: float,
    alpha: float,
    beta: float | None,
    min_bad: int,
    min_difference: float,
    pass_ratio: float | None = None,
    fail_ratio: float | None = None,
) -> dict[str, Any]:
    """Keyword arguments for `SequentialSplitTest` (an indifference zone only when given)."""
    options: dict[str, Any] = {
        "max_ratio": max_ratio,
        "alpha": alpha,
        "beta": beta,
        "min_bad": min_bad,
        "min_difference": min_difference,
    }
    if pass_ratio is not None or fail_ratio is not None:
        options.update(pass_ratio=pass_ratio, fail_ratio=fail_ratio)
    return options


def as_provider(prometheus: str | MetricProvider) -> MetricProvider:
    """A `PrometheusProvider` for a URL; any object with `measure(query, at)` as it is."""
    if isinstance(prometheus, str):
        return PrometheusProvider(prometheus)
    if not callable(getattr(prometheus, "measure", None)):
        raise SpecError(f"prometheus must be a URL or a provider with measure(query, at), got {prometheus!r}")
    return prometheus


def judge_fails(result: Mapping[str, Any]) -> bool:
    """failureCondition: the judge says fail."""
    return bool(result["outcome"] == FAIL)


def judge_continues_or_passes(result: Mapping[str, Any]) -> bool:
    """successCondition: the judge says pass or continue (anything else, with no failure, is Inconclusive)."""
    return result["outcome"] in (PASS, CONTINUE)


def judge_passed(measurements: Sequence[Measurement]) -> bool:
    """settled: the latest measurement's outcome is pass."""
    result = measurements[-1].result if measurements else None
    return isinstance(result, Mapping) and result.get("outcome") == PASS


def _rebased(judge: SplitComparison, provider: MetricProvider) -> SplitComparison:
    copy = SplitComparison(provider, judge.queries, judge.test_options, judge.low_traffic, judge.history)
    copy.default_name = judge.default_name
    return copy

"""Analysis benchmarks: condition evaluation cost, and PrometheusProvider overhead over a bare HTTP call.

Run: python benchmarks/analysis.py   (needs Debian's prometheus and promtool, like the tests)

Goals (issue #2): <= 20 us per evaluation of a compiled `result[0] > 0.90`; PrometheusProvider's cost per
measurement <= 1.10x a bare `requests.post` of the same query to the same real Prometheus.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))

from reference_history import HEALTHY_START, SUCCESS_RATE_QUERY, reference_counters

from canarykit import PrometheusProvider, compile_condition
from canarykit.testing.prometheus import PrometheusServer, openmetrics_text

EVALUATIONS = 200_000
QUERIES = 400
ROUNDS = 5


def per_call(function: Callable[[], object], calls: int) -> float:
    """Seconds per call of `function`, best of ROUNDS rounds."""
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(calls):
            function()
        best = min(best, (time.perf_counter() - start) / calls)
    return best


def condition_figures() -> None:
    condition = compile_condition("result[0] > 0.90")
    result = [0.95]
    seconds = per_call(lambda: condition.evaluate(result), EVALUATIONS // ROUNDS)
    print(f"condition `result[0] > 0.90`: {seconds * 1e6:.2f} us per evaluation (goal <= 20 us)")


def provider_figures(url: str) -> None:
    at = HEALTHY_START + 900
    provider = PrometheusProvider(url)
    form = {"query": SUCCESS_RATE_QUERY, "time": f"{at:.3f}"}
    session = requests.Session()

    def bare_post() -> object:
        return requests.post(f"{url}/api/v1/query", data=form, timeout=30).json()

    def session_post() -> object:
        return session.post(f"{url}/api/v1/query", data=form, timeout=30).json()

    def measure() -> object:
        return provider.measure(SUCCESS_RATE_QUERY, at)

    assert provider.measure(SUCCESS_RATE_QUERY, at).text == "[0.95]"
    samples: dict[str, list[float]] = {"bare": [], "session": [], "provider": []}
    for _ in range(ROUNDS):  # interleaved, so drift in the server's speed hits all three alike
        samples["bare"].append(per_call(bare_post, QUERIES // ROUNDS))
        samples["session"].append(per_call(session_post, QUERIES // ROUNDS))
        samples["provider"].append(per_call(measure, QUERIES // ROUNDS))
    bare, kept, ours = (statistics.median(samples[key]) for key in ("bare", "session", "provider"))
    print(f"bare requests.post:          {bare * 1e3:.3f} ms per query")
    print(f"requests.Session().post:     {kept * 1e3:.3f} ms per query")
    print(f"PrometheusProvider.measure:  {ours * 1e3:.3f} ms per measurement")
    print(f"ratio provider / bare post:  {ours / bare:.3f} (goal <= 1.10)")
    print(f"ratio provider / session:    {ours / kept:.3f}")


def main() -> None:
    condition_figures()
    with PrometheusServer([openmetrics_text(reference_counters())]) as server:
        print(f"prometheus ready in {server.startup_seconds:.2f} s at {server.url}")
        provider_figures(server.url)


if __name__ == "__main__":
    main()

"""How fast the reference analysis catches a bad canary, and what it costs users, on the real local stack.

Run: python benchmarks/detection.py [--pause 120] [--rate 40] [--error-rate 0.3]

The canary fails `--error-rate` of its requests from the moment it receives traffic. Everything is real:
nginx splits the traffic, its access log feeds the exporter, Prometheus scrapes it every second and the
reference AnalysisTemplate judges it (`result[0] > 0.90` on the whole ingress, every 10 s, failureLimit 3,
background analysis from step 2). `--pause 120` is the reference plan (2-minute pauses, 60 s rate
windows); a shorter pause scales the interval and windows with it, as `canarykit demo` does.

Printed: the time from the first canary traffic to weight 0, the time from the analysis' first
measurement to weight 0 beside the theoretical bound for these settings (scrape interval + rate window +
interval x (failureLimit + 1)), and how many failed responses users received.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import dataclass, field

from canarykit import Rollout
from canarykit.local.demo_workload import Version
from canarykit.local.scenario import Scenario, scaled_scenario
from canarykit.local.stack import LocalStack, check_tools
from canarykit.rollout import events as ev

SCRAPE_INTERVAL = 1.0
STABLE = Version("blue", "blue")


@dataclass
class Timeline:
    """Times (unix seconds) of the moments that matter, taken from the rollout's events."""

    first_canary_traffic: float | None = None
    first_measurement: float | None = None
    weight_zero: float | None = None
    measurements: list[str] = field(default_factory=list)

    def __call__(self, event: ev.Event) -> None:
        if isinstance(event, ev.WeightChanged) and event.weight > 0 and self.first_canary_traffic is None:
            self.first_canary_traffic = event.time
        if isinstance(event, ev.MeasurementTaken) and event.measurement is not None:
            self.first_measurement = self.first_measurement or event.measurement.started_at
            self.measurements.append(f"{event.measurement.value}:{event.measurement.phase.value}")
        if isinstance(event, ev.RolledBack):
            self.weight_zero = event.time


def failed_responses(
    before: Mapping[tuple[str | None, int | None], int], after: Mapping[tuple[str | None, int | None], int]
) -> int:
    """Answers with a 5xx status or no answer at all, between two totals of the traffic generator."""
    return sum(count - before.get(key, 0) for key, count in after.items() if key[1] is None or key[1] >= 500)


def main() -> None:
    parser = argparse.ArgumentParser(description="time to detect a failing canary on the real local stack")
    parser.add_argument("--pause", type=float, default=120.0, help="pause length in seconds (reference: 120)")
    parser.add_argument("--rate", type=float, default=40.0, help="requests per second through nginx")
    parser.add_argument("--error-rate", type=float, default=0.3, help="share of requests the canary fails")
    options = parser.parse_args()
    check_tools()
    scenario = scaled_scenario(options.pause)
    versions = {"blue": STABLE, "bad-red": Version("bad-red", "red", error_rate=options.error_rate)}
    timeline = Timeline()
    with LocalStack(versions, "blue", rate=options.rate) as stack:
        before = stack.traffic.totals()
        rollout = Rollout.from_spec(
            scenario.spec, stack.router, stack.workload, prometheus=stack.prometheus.url, on_event=timeline
        )
        result = rollout.run("bad-red")
        after = stack.traffic.totals()
    report(options, scenario, result.message, timeline, failed_responses(before, after))


def report(
    options: argparse.Namespace, scenario: Scenario, message: str, timeline: Timeline, failed: int
) -> None:
    interval, window, limit = scenario.interval, scenario.window, scenario.failure_limit
    bound = SCRAPE_INTERVAL + window + interval * (limit + 1)
    start, measured, zero = timeline.first_canary_traffic, timeline.first_measurement, timeline.weight_zero
    print(
        f"settings: pause {options.pause:g} s, interval {interval:g} s, rate window {window:g} s, "
        f"failureLimit {limit}, {options.rate:g} req/s, canary failing {options.error_rate:.0%}"
    )
    print(f"verdict: {message}")
    if start is None or zero is None or measured is None:
        print("the canary was not rolled back: no detection figures")
        return
    print(f"first canary traffic -> weight 0: {zero - start:7.1f} s")
    detection = zero - measured
    ratio = detection / bound
    print(f"first measurement    -> weight 0: {detection:7.1f} s  (bound {bound:g} s; ratio {ratio:.2f})")
    print(f"failed responses users received: {failed}")
    print(f"measurements: {' '.join(timeline.measurements)}")


if __name__ == "__main__":
    main()

"""The fault matrix, several runs per case, and 10,000+ fuzzed inputs: how canarykit fares on a bad day.

Run: PATH="$PATH:/usr/sbin" .venv/bin/python benchmarks/faults.py [--runs 3] [--fuzz 10000] [--only TEXT]

Every case of tests/faults (fault_matrix.ALL: real nginx, real and misbehaving Prometheus, killed and
signalled drivers, broken state directories) runs `--runs` times, each in a fresh directory, against one
real Prometheus and two demo app versions. The table gives per case: the runs, the outcome (the record's
phase, or the refusal; FAILED when a run broke the case's expectations, listed below the table), the final
canary weight (include file; requests through nginx agree unless FAILED) and the time from the fault to
traffic confirmed on stable (median, min-max; "-" when traffic never had to move).
Then `--fuzz` random Argo documents through the loader and `--fuzz` random conditions through the compiler
and evaluator: every outcome must be a load/verdict or a `CanaryError`; others are listed as escaped.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent / "tests"
sys.path[:0] = [str(TESTS), str(TESTS / "faults")]

from fault_lab import Lab  # noqa: E402  (tests/ and tests/faults/ are on the path only from here)
from fault_matrix import ALL  # noqa: E402
from fault_outcome import Case, problems, run_case  # noqa: E402
from state_faults import CannotRunHere  # noqa: E402

from canarykit.errors import CanaryError  # noqa: E402
from canarykit.local.demo_app import DemoApp  # noqa: E402
from canarykit.testing.prometheus import PrometheusServer  # noqa: E402

FUZZ_SEED = 12


@dataclass
class Tally:
    """What the runs of one case gave."""

    outcomes: Counter[str] = field(default_factory=Counter)
    weights: Counter[str] = field(default_factory=Counter)
    safe: list[float] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)


def run_once(case: Case, apps: tuple[DemoApp, DemoApp], prometheus: str, tally: Tally) -> None:
    """One run of `case` in a fresh directory, added to `tally`."""
    with (
        tempfile.TemporaryDirectory(prefix="canarykit-faults-") as root,
        Lab(Path(root), *apps, prometheus) as lab,
    ):
        try:
            outcome = run_case(case, lab)
        except CannotRunHere as reason:
            tally.outcomes["n/a"] += 1
            tally.failures[f"not run: {reason}"] += 1
            return
        except AssertionError as failure:
            tally.outcomes["FAILED"] += 1
            tally.weights[_weight_now(lab)] += 1
            first_line = (str(failure) or "assertion failed").splitlines()[0]
            tally.failures[first_line.replace(root, "<lab>")[:160]] += 1
            return
    found = [problem.replace(root, "<lab>") for problem in problems(outcome, case.expect)]
    refusal = [entry["type"] for entry in outcome.last_life if entry["event"] == "raised"]
    label = f"refused ({refusal[0]})" if case.expect.refused and refusal else outcome.phase
    tally.outcomes["FAILED" if found else label] += 1
    tally.weights[str(outcome.weight)] += 1
    if outcome.time_to_safe is not None:
        tally.safe.append(outcome.time_to_safe)
    for problem in found:
        tally.failures[problem[:160]] += 1


def _weight_now(lab: Lab) -> str:
    try:
        return str(lab.upstream().desired_weight)
    except Exception as error:  # the case failed; report what can be read, never crash the table
        return type(error).__name__


def run_matrix(runs: int, only: str) -> dict[str, Tally]:
    cases = [case for case in ALL if only.lower() in case.name.lower()]
    tallies: dict[str, Tally] = {}
    with PrometheusServer() as prometheus, DemoApp("blue") as stable, DemoApp("green") as canary:
        for number, case in enumerate(cases, 1):
            tally = tallies.setdefault(case.name, Tally())
            started = time.monotonic()
            for _ in range(runs):
                run_once(case, (stable, canary), prometheus.url, tally)
            took = time.monotonic() - started
            print(f"[{number}/{len(cases)}] {case.name}: {dict(tally.outcomes)} ({took:.1f} s)", flush=True)
    return tallies


def print_table(tallies: dict[str, Tally], runs: int) -> None:
    width = max(len(name) for name in tallies) + 2
    print(f"\n{'case':<{width}}{'runs':>5}  {'outcome':<26}{'final weight':<14}time to safe state")
    for name, tally in tallies.items():
        outcome = ", ".join(f"{label} {count}/{runs}" for label, count in tally.outcomes.most_common())
        weights = "/".join(tally.weights)
        print(f"{name:<{width}}{runs:>5}  {outcome:<26}{weights:<14}{_seconds(tally.safe)}")
    failed = {name: tally.failures for name, tally in tallies.items() if tally.failures}
    for name, failures in failed.items():
        for problem, count in failures.items():
            print(f"  {name} ({count}x): {problem}")
    passed = sum(not tally.failures for tally in tallies.values())
    print(f"{passed}/{len(tallies)} cases held in every run")


def _seconds(values: list[float]) -> str:
    if not values:
        return "-"
    return f"{statistics.median(values):.2f} s ({min(values):.2f}-{max(values):.2f})"


def fuzz(count: int) -> None:
    """`count` fuzzed Argo documents and `count` fuzzed conditions; what escaped as a non-CanaryError."""
    runs: list[tuple[str, Callable[[int, int], dict[str, int]], set[str]]] = []
    for label, module, name, fine in (
        ("Argo loader", "argo_fuzz_support", "fuzz_loader", {"loaded"}),
        ("conditions", "condition_fuzz_support", "fuzz_conditions", {"true", "false"}),
    ):
        try:
            runs.append((label, getattr(__import__(module), name), fine))
        except (ImportError, AttributeError) as missing:
            print(f"fuzz {label}: SKIPPED, tests/{module}.py has no {name}(count, seed) yet ({missing})")
    canary = _error_names(CanaryError)
    for label, function, fine in runs:
        started = time.monotonic()
        outcomes = function(count, FUZZ_SEED)
        took = time.monotonic() - started
        escaped = {name: n for name, n in outcomes.items() if name not in canary | fine}
        shown = ", ".join(f"{name} {n}" for name, n in sorted(outcomes.items(), key=lambda item: -item[1]))
        print(f"fuzz {label}: {sum(outcomes.values())} inputs in {took:.1f} s: {shown}")
        print(f"fuzz {label}: escaped (not a CanaryError): {escaped or 'none'}")


def _error_names(kind: type[BaseException]) -> set[str]:
    """The names of `kind` and of every subclass of it."""
    names = {kind.__name__}
    for sub in kind.__subclasses__():
        names |= _error_names(sub)
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=3, help="runs per case (default 3)")
    parser.add_argument("--fuzz", type=int, default=10_000, help="fuzzed inputs per fuzzer (default 10000)")
    parser.add_argument("--only", default="", help="run only the cases whose name contains this")
    options = parser.parse_args()
    started = time.monotonic()
    print_table(run_matrix(options.runs, options.only), options.runs)
    print(f"matrix: {time.monotonic() - started:.0f} s")
    if options.fuzz:
        fuzz(options.fuzz)


if __name__ == "__main__":
    main()

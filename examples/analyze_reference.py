"""Run the reference AnalysisTemplate against a Prometheus, optionally replaying history from a past time.

Run: python examples/analyze_reference.py http://127.0.0.1:9090 [UNIX_TIME] [DURATION]
"""

from __future__ import annotations

import sys
from pathlib import Path

from canarykit import Clock, ReplayClock, SystemClock
from canarykit.argo import load_analysis_template

TEMPLATE = Path(__file__).parent / "reference-scenario" / "analysis-template.yaml"


def main(argv: list[str]) -> int:
    prometheus = argv[1]
    clock: Clock = ReplayClock(float(argv[2])) if len(argv) > 2 else SystemClock()
    duration = argv[3] if len(argv) > 3 else "1m"
    template = load_analysis_template(TEMPLATE)
    run = template.instantiate(
        args={"ingress": "canary-demo"},
        prometheus=prometheus,
        clock=clock,
        on_measurement=lambda metric, m: print(f"{metric.name} {m.value} {m.phase.value}"),
    )
    result = run.run(duration=duration)
    print(f"{result.phase.value}: {result.message}")
    return 0 if result.successful else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Import cost: `import canarykit` against the import of the dependencies it is built on.

Run: python benchmarks/import_cost.py

Goal (issue #15): `import canarykit` costs no more than importing its dependencies (requests,
pydantic's BaseModel, PyYAML, simpleeval, re2), i.e. a ratio <= 1.0. Each figure is the best of ROUNDS
fresh interpreters, minus the interpreter's own start-up, all measured in this one run so the machine's
load is shared.
"""

from __future__ import annotations

import subprocess
import sys
import time

ROUNDS = 15
STATEMENTS = {
    "python alone": "pass",
    "dependencies": "import requests, yaml, simpleeval, re2; from pydantic import BaseModel",
    "import canarykit": "import canarykit",
    "from canarykit import Rollout, Metric, PrometheusProvider": (
        "from canarykit import Rollout, Metric, PrometheusProvider"
    ),
    "canarykit.argo.load (YAML loading)": "from canarykit.argo import load",
    "canarykit.cli.main (the command)": "import canarykit.cli.main",
}


def best_start(statement: str) -> float:
    """Fastest wall time of ROUNDS fresh interpreters running `statement`, in seconds."""
    best = float("inf")
    for _ in range(ROUNDS):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", statement], check=True)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    times = {label: best_start(statement) for label, statement in STATEMENTS.items()}
    bare = times.pop("python alone")
    dependencies = times["dependencies"] - bare
    print(f"python start-up: {bare * 1000:.1f} ms (subtracted below); best of {ROUNDS} runs each")
    for label, seconds in times.items():
        cost = seconds - bare
        print(f"{label:58s} {cost * 1000:7.1f} ms  ratio to dependencies {cost / dependencies:5.2f}")


if __name__ == "__main__":
    main()

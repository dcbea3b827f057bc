"""`canarykit analyze`: run an AnalysisTemplate, printing each measurement as it is taken and the verdict."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from canarykit.analysis import AnalysisResult, AnalysisRun, Measurement, Metric, Phase
from canarykit.analysis.take import take_measurement
from canarykit.argo import load_analysis_template
from canarykit.cli.timeparse import clock_at
from canarykit.clock import Clock, to_rfc3339
from canarykit.durations import parse_duration
from canarykit.errors import SpecError

EXIT_CODES = {Phase.SUCCESSFUL: 0, Phase.FAILED: 1, Phase.INCONCLUSIVE: 1}


def register(commands: Any) -> None:
    parser = commands.add_parser("analyze", help="run an AnalysisTemplate and print its verdict")
    parser.add_argument("-f", "--filename", required=True, help="AnalysisTemplate YAML file")
    parser.add_argument(
        "--arg", action="append", default=[], metavar="NAME=VALUE", help="template argument (repeat for each)"
    )
    parser.add_argument("--prometheus", metavar="URL", help="Prometheus address (replaces the template's)")
    parser.add_argument("--at", metavar="TIME", help="replay history from TIME (RFC 3339 or unix seconds)")
    parser.add_argument("--duration", metavar="DURATION", help="terminate the run after this long (e.g. 2m)")
    parser.add_argument("--once", action="store_true", help="take one measurement per metric and judge it")
    parser.add_argument("--output", choices=("text", "json"), default="text")
    parser.set_defaults(handler=run_command)


def run_command(options: argparse.Namespace) -> int:
    args = _parse_args(options.arg)
    duration = parse_duration(options.duration, "--duration") if options.duration else None
    clock = clock_at(options.at)
    template = load_analysis_template(options.filename)
    printer = _Printer(options.output)
    if options.once:
        metrics = template.metrics(args, prometheus=options.prometheus)
        return _judge_once(metrics, clock, printer)
    run = template.instantiate(
        args, prometheus=options.prometheus, clock=clock, on_measurement=printer.measurement
    )
    return _run_to_verdict(run, duration, printer)


def _parse_args(pairs: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise SpecError(f"--arg {pair!r}: expected NAME=VALUE")
        values[name] = value
    return values


def _run_to_verdict(run: AnalysisRun, duration: float | None, printer: _Printer) -> int:
    try:
        result = run.run(duration)
    except KeyboardInterrupt:
        run.terminate()
        result = run.result()
    printer.verdict(result)
    return EXIT_CODES.get(result.phase, 2)


def _judge_once(metrics: list[Metric], clock: Clock, printer: _Printer) -> int:
    """One measurement per metric; the verdict is the worst measurement phase."""
    worst = Phase.SUCCESSFUL
    for metric in metrics:
        measurement = take_measurement(metric, clock)
        printer.measurement(metric, measurement)
        if _RANK.index(measurement.phase) > _RANK.index(worst):
            worst = measurement.phase
    printer.line(worst.value, {"phase": worst.value})
    return EXIT_CODES.get(worst, 2)


_RANK = [Phase.SUCCESSFUL, Phase.INCONCLUSIVE, Phase.FAILED, Phase.ERROR]


class _Printer:
    """Prints measurements and verdicts as aligned text or as JSON lines."""

    def __init__(self, output: str) -> None:
        self.json = output == "json"

    def measurement(self, metric: Metric, measurement: Measurement) -> None:
        record = {"time": to_rfc3339(measurement.started_at), "metric": metric.name}
        record.update(measurement.to_dict())
        text = f"{record['time']}  {metric.name}  {measurement.value or '-'}  {measurement.phase.value}"
        if measurement.message:
            text += f"  {measurement.message}"
        self.line(text, record)

    def verdict(self, result: AnalysisResult) -> None:
        text = result.phase.value + (f": {result.message}" if result.message else "")
        self.line(text, {"verdict": result.to_dict()})

    def line(self, text: str, record: dict[str, Any]) -> None:
        print(json.dumps(record) if self.json else text, file=sys.stdout, flush=True)

"""`canarykit analyze`: run an AnalysisTemplate, printing each measurement as it is taken and the verdict."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from canarykit.analysis import AnalysisResult, AnalysisRun, Measurement, Metric
from canarykit.argo import load_analysis_template
from canarykit.cli.analyze_once import judge_once
from canarykit.cli.exit_codes import exit_code_for_phase
from canarykit.cli.progress import Describe, PlainProgress, Progress, WaitingClock, clock_time, open_progress
from canarykit.cli.spec_options import add_template_args
from canarykit.cli.timeparse import clock_at
from canarykit.clock import Clock, to_rfc3339
from canarykit.durations import parse_duration
from canarykit.errors import ArgumentError
from canarykit.providers._http import is_http_url, safe_url

if TYPE_CHECKING:
    from rich.console import Console


def register(commands: Any) -> None:
    parser = commands.add_parser("analyze", help="run an AnalysisTemplate and print its verdict")
    parser.add_argument("-f", "--filename", required=True, help="AnalysisTemplate YAML file")
    add_template_args(parser)
    parser.add_argument("--prometheus", metavar="URL", help="Prometheus address (replaces the template's)")
    parser.add_argument("--at", metavar="TIME", help="replay history from TIME (RFC 3339 or unix seconds)")
    parser.add_argument("--duration", metavar="DURATION", help="terminate the run after this long (e.g. 2m)")
    parser.add_argument("--once", action="store_true", help="take one measurement per metric and judge it")
    parser.add_argument(
        "--output",
        choices=("text", "json"),
        default="text",
        help='text lines, or one JSON object per measurement then {"verdict": {...}} (default: %(default)s)',
    )
    parser.set_defaults(handler=run_command, prints_measurements=True)


def run_command(options: argparse.Namespace, console: Console | None = None) -> int:
    """Everything is checked (args, address, duration, time, template) before the first query.

    `console` (a rich Console) forces the live progress view; by default it is on when stdout is a terminal.
    """
    args = parse_args(options.arg)
    prometheus = check_prometheus_option(options.prometheus)
    duration = parse_duration(options.duration, "--duration") if options.duration else None
    clock = clock_at(options.at)
    template = load_analysis_template(options.filename)
    json_lines = options.output == "json"
    printer = _Printer(
        json_lines, PlainProgress(sys.stdout) if json_lines else open_progress(sys.stdout, clock, console)
    )
    try:
        if options.once:
            metrics = template.metrics(args, prometheus=prometheus)
            result = judge_once(template.name, metrics, clock, printer.measurement)
        else:
            waiting = WaitingClock(clock, printer.progress, printer.next_measurement(duration, clock))
            run = template.instantiate(
                args, prometheus=prometheus, clock=waiting, on_measurement=printer.measurement
            )
            result = _run_to_verdict(run, duration)
    finally:
        printer.progress.close()
    printer.verdict(result)
    return exit_code_for_phase(result.phase)


def parse_args(pairs: list[str]) -> dict[str, str]:
    """`--arg NAME=VALUE` options as a mapping; a malformed one is an `ArgumentError` naming it."""
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise ArgumentError(f"--arg {pair!r}: expected NAME=VALUE")
        values[name] = value
    return values


def check_prometheus_option(url: str | None, flag: str = "--prometheus") -> str | None:
    """`url` when it is an http(s) URL with a host; otherwise an `ArgumentError` naming `flag`."""
    if url is not None and not is_http_url(url):
        raise ArgumentError(
            f"{flag} {safe_url(url)!r}: expected an http(s) URL such as http://127.0.0.1:9090"
        )
    return url


def _run_to_verdict(run: AnalysisRun, duration: float | None) -> AnalysisResult:
    try:
        return run.run(duration)
    except KeyboardInterrupt:
        run.terminate()
        return run.result()


class _Printer:
    """Prints measurements and the verdict as aligned text or as JSON lines, through `progress`."""

    def __init__(self, json_lines: bool, progress: Progress) -> None:
        self.json, self.progress = json_lines, progress
        self.measurements = 0

    def measurement(self, metric: Metric, measurement: Measurement) -> None:
        self.measurements += 1
        record = {"time": to_rfc3339(measurement.started_at), "metric": metric.name}
        record.update(measurement.to_dict())
        text = f"{record['time']}  {metric.name}  {measurement.value or '-'}  {measurement.phase.value}"
        if measurement.message:
            text += f"  {measurement.message}"
        self._line(text, record)

    def verdict(self, result: AnalysisResult) -> None:
        text = result.phase.value + (f": {result.message}" if result.message else "")
        self._line(text, {"verdict": result.to_dict()})

    def next_measurement(self, duration: float | None, clock: Clock) -> Any:
        """The status while the run waits: measurements so far, the next one's countdown, the run's end."""
        end = None if duration is None else clock.now() + duration

        def on_sleep(now: float, until: float) -> Describe:
            def describe(at: float) -> str:
                text = f"measurements: {self.measurements} · next in {clock_time(until - at, round_up=True)}"
                return text + (f" · run ends in {clock_time(end - at, round_up=True)}" if end else "")

            return describe

        return on_sleep

    def _line(self, text: str, record: dict[str, Any]) -> None:
        self.progress.line(json.dumps(record) if self.json else text)

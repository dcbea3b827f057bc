"""`canarykit backtest`: run an AnalysisTemplate over many past windows and report which would have failed."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from canarykit.analysis import Metric
from canarykit.argo import load_analysis_template
from canarykit.backtest import BacktestTable, MetricsFactory, backtest
from canarykit.cli.analyze import check_prometheus_option, parse_args
from canarykit.cli.exit_codes import EXIT_ERROR, EXIT_FAILED, EXIT_OK
from canarykit.cli.spec_options import add_template_args
from canarykit.cli.timeparse import parse_time
from canarykit.durations import parse_positive_duration
from canarykit.errors import SpecError

if TYPE_CHECKING:
    from canarykit.judges import ErrorRateComparison

DEFAULT_WINDOW = "10m"


def register(commands: Any) -> None:
    parser = commands.add_parser("backtest", help="run an AnalysisTemplate over past windows of history")
    parser.add_argument("-f", "--filename", required=True, help="AnalysisTemplate YAML file")
    add_template_args(parser)
    parser.add_argument("--prometheus", metavar="URL", help="Prometheus address (replaces the template's)")
    parser.add_argument("--from", dest="start", required=True, metavar="TIME", help="first window's start")
    parser.add_argument("--to", dest="end", required=True, metavar="TIME", help="no window ends after TIME")
    parser.add_argument("--every", required=True, metavar="DURATION", help="time between window starts")
    parser.add_argument(
        "--window",
        default=DEFAULT_WINDOW,
        metavar="DURATION",
        help="each run's length (default: %(default)s)",
    )
    parser.add_argument(
        "--compare-errors", metavar="INGRESS", help="also judge the canary's error rate against stable's"
    )
    parser.add_argument("--output", choices=("text", "json"), default="text")
    parser.set_defaults(handler=run_command)


def run_command(options: argparse.Namespace) -> int:
    """Every flag is checked (naming it) and the template's metrics built before the first query."""
    check_prometheus_option(options.prometheus)
    start, end = parse_time(options.start, "--from"), parse_time(options.end, "--to")
    every = parse_positive_duration(options.every, "--every")
    window = parse_positive_duration(options.window, "--window")
    factory = _metrics_factory(options)
    table = backtest(factory, start, end, every, window)
    print(table.to_json() if options.output == "json" else table.to_text(), flush=True)
    return exit_code(table)


def exit_code(table: BacktestTable) -> int:
    """1 when a window with data would have rolled back; 2 when no window held data; else 0."""
    if table.rolled_back:
        return EXIT_FAILED
    return EXIT_ERROR if table.failed_share is None else EXIT_OK


def _metrics_factory(options: argparse.Namespace) -> MetricsFactory:
    """The template's metrics, plus a fresh comparison judge's with `--compare-errors`, for each window."""
    args, url = parse_args(options.arg), options.prometheus
    template = load_analysis_template(options.filename)
    judge = _judge(options.compare_errors, url)

    def metrics() -> list[Metric]:
        return [*template.metrics(args, prometheus=url), *([judge.metric()] if judge else [])]

    metrics()  # bad input (a missing arg, a bad address) is reported now, before any query
    return metrics


def _judge(ingress: str | None, url: str | None) -> ErrorRateComparison | None:
    if ingress is None:
        return None
    if not url:
        raise SpecError("--compare-errors needs --prometheus URL")
    from canarykit.judges import ErrorRateComparison  # only when asked: the other commands never need it

    return ErrorRateComparison(url, ingress)

"""ingress-nginx's metrics from the access log: labels, histogram, exact text, HTTP, and a real Prometheus."""

from __future__ import annotations

import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from exposition_support import families

from canarykit.errors import SpecError
from canarykit.local.access_log import LogRecord
from canarykit.local.exporter import AccessLogExporter, IngressMetrics, Upstream
from canarykit.local.ingress_metrics import CONTENT_TYPE, DURATION, REQUESTS, TIME_BUCKETS, go_float
from canarykit.providers import PrometheusProvider
from canarykit.testing.prometheus import PrometheusServer

STABLE, CANARY = "127.0.0.1:19201", "127.0.0.1:19202"
UPSTREAMS = {STABLE: Upstream("canary-demo", 80), CANARY: Upstream("canary-demo-canary", 80, canary=True)}
CANARY_NAME = "default-canary-demo-canary-80"
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def _metrics(**options: object) -> IngressMetrics:
    return IngressMetrics("canary-demo", "default", UPSTREAMS, **options)  # type: ignore[arg-type]


def _record(upstream: str | None, status: int = 200, took: float = 0.002, method: str = "GET") -> LogRecord:
    return LogRecord(1732600000.0, status, took, upstream, method, "/color")


def _line(upstream: str, status: int, took: str = "0.002") -> str:
    return f"{time.time():.3f}|{status}|{took}|{upstream}|GET|/color\n"


def test_the_upstream_name_is_namespace_service_port() -> None:
    assert Upstream("canary-demo-canary", 80, canary=True).name("default") == CANARY_NAME
    assert Upstream("app", "http").name("ns") == "ns-app-http"


def test_canary_requests_keep_the_stable_service_and_name_the_canary_upstream() -> None:
    metrics = _metrics()
    stable, canary = metrics.labels(_record(STABLE)), metrics.labels(_record(CANARY, 500))
    assert stable == {
        "canary": "",
        "controller_class": "k8s.io/ingress-nginx",
        "controller_namespace": "ingress-nginx",
        "controller_pod": "canarykit",
        "ingress": "canary-demo",
        "method": "GET",
        "namespace": "default",
        "path": "/",
        "service": "canary-demo",
        "status": "200",
    }
    assert canary == {**stable, "canary": CANARY_NAME, "status": "500"}


@pytest.mark.parametrize("upstream", [None, "127.0.0.1:9999"])
def test_no_upstream_and_unknown_addresses_count_as_stable(upstream: str | None) -> None:
    labels = _metrics().labels(_record(upstream, 404))
    assert (labels["canary"], labels["service"], labels["status"]) == ("", "canary-demo", "404")


def test_host_path_service_and_controller_labels_are_options() -> None:
    metrics = _metrics(host="demo.local", path="/api", service="web", controller={"controller_pod": "p"})
    labels = metrics.labels(_record(CANARY))
    assert (labels["host"], labels["path"], labels["service"]) == ("demo.local", "/api", "web")
    assert labels["controller_pod"] == "p" and "controller_class" not in labels


@pytest.mark.parametrize(
    "upstreams",
    [
        {CANARY: Upstream("c", 80, canary=True)},
        {STABLE: Upstream("a", 80), "127.0.0.1:3": Upstream("b", 80)},
    ],
)
def test_the_stable_service_must_be_unambiguous(upstreams: dict[str, Upstream]) -> None:
    with pytest.raises(SpecError, match="exactly one Service"):
        IngressMetrics("i", "ns", upstreams)
    assert IngressMetrics("i", "ns", upstreams, service="s").service == "s"


def test_two_endpoints_of_one_stable_service_are_fine() -> None:
    metrics = IngressMetrics("i", "ns", {STABLE: Upstream("a", 80), "127.0.0.1:3": Upstream("a", 80)})
    assert metrics.service == "a"


def _samples(text: str, name: str) -> dict[tuple[str, ...], float]:
    """`{(canary, status[, le]): value}` of the samples of `name` in exposition text."""
    found = {}
    for line in text.splitlines():
        if line.startswith(name + "{"):
            labels = dict(LABEL.findall(line))
            key = (labels["canary"], labels["status"], *([labels["le"]] if "le" in labels else []))
            found[key] = float(line.rsplit(" ", 1)[1])
    return found


def test_counters_per_status_and_canary() -> None:
    metrics = _metrics()
    for record in [_record(STABLE), _record(STABLE), _record(STABLE, 503), _record(CANARY), _record(CANARY)]:
        metrics.observe(record)
    counters = _samples(metrics.render(), REQUESTS)
    assert counters == {("", "200"): 2, ("", "503"): 1, (CANARY_NAME, "200"): 2}
    assert list(counters) == sorted(counters)


def test_histogram_buckets_are_cumulative_with_sum_and_count() -> None:
    metrics = _metrics()
    for took in [0.003, 0.005, 0.2, 0.25, 9.0, 12.0]:
        metrics.observe(_record(STABLE, took=took))
    text = metrics.render()
    buckets = _samples(text, DURATION + "_bucket")
    assert [key[2] for key in buckets] == [*(go_float(bound) for bound in TIME_BUCKETS), "+Inf"]
    assert list(buckets.values()) == [2, 2, 2, 2, 2, 4, 4, 4, 4, 4, 5, 6]
    assert _samples(text, DURATION + "_sum") == {("", "200"): pytest.approx(21.458)}
    assert _samples(text, DURATION + "_count") == {("", "200"): 6}


EXPECTED = """\
# HELP nginx_ingress_controller_request_duration_seconds The request processing time in milliseconds
# TYPE nginx_ingress_controller_request_duration_seconds histogram
{d}_bucket{{{stable},le="0.005"}} 0
{d}_bucket{{{stable},le="0.01"}} 0
{d}_bucket{{{stable},le="0.025"}} 0
{d}_bucket{{{stable},le="0.05"}} 0
{d}_bucket{{{stable},le="0.1"}} 0
{d}_bucket{{{stable},le="0.25"}} 1
{d}_bucket{{{stable},le="0.5"}} 2
{d}_bucket{{{stable},le="1"}} 2
{d}_bucket{{{stable},le="2.5"}} 2
{d}_bucket{{{stable},le="5"}} 2
{d}_bucket{{{stable},le="10"}} 2
{d}_bucket{{{stable},le="+Inf"}} 3
{d}_sum{{{stable}}} 16.75
{d}_count{{{stable}}} 3
{d}_bucket{{{canary},le="0.005"}} 0
{d}_bucket{{{canary},le="0.01"}} 0
{d}_bucket{{{canary},le="0.025"}} 0
{d}_bucket{{{canary},le="0.05"}} 0
{d}_bucket{{{canary},le="0.1"}} 0
{d}_bucket{{{canary},le="0.25"}} 1
{d}_bucket{{{canary},le="0.5"}} 1
{d}_bucket{{{canary},le="1"}} 1
{d}_bucket{{{canary},le="2.5"}} 1
{d}_bucket{{{canary},le="5"}} 1
{d}_bucket{{{canary},le="10"}} 1
{d}_bucket{{{canary},le="+Inf"}} 1
{d}_sum{{{canary}}} 0.125
{d}_count{{{canary}}} 1
# HELP nginx_ingress_controller_requests The total number of client requests
# TYPE nginx_ingress_controller_requests counter
nginx_ingress_controller_requests{{{stable}}} 3
nginx_ingress_controller_requests{{{canary}}} 1
"""


def test_the_series_of_the_former_exact_text_for_a_small_case() -> None:
    """`EXPECTED` is the text the hand-written exposition gave (escapes included): same series now."""
    metrics = IngressMetrics(
        "canary-demo", "default", UPSTREAMS, controller={"controller_class": "nginx"}, path='/a"b\\c\nd'
    )
    for record in [_record(STABLE, took=0.25), _record(STABLE, took=0.5), _record(STABLE, took=16)]:
        metrics.observe(record)
    metrics.observe(_record(CANARY, 500, took=0.125, method="POST"))
    common = 'controller_class="nginx",ingress="canary-demo"'
    rest = 'namespace="default",path="/a\\"b\\\\c\\nd",service="canary-demo"'
    stable = f'canary="",{common},method="GET",{rest},status="200"'
    canary = f'canary="{CANARY_NAME}",{common},method="POST",{rest},status="500"'
    before = families(EXPECTED.format(d=DURATION, stable=stable, canary=canary))
    after = families(metrics.render())
    assert after[DURATION] == before[DURATION]
    assert (after[REQUESTS][0], after[REQUESTS][2]) == (before[REQUESTS][0], before[REQUESTS][2])
    assert after[REQUESTS][1] == "unknown" and f"# TYPE {REQUESTS} untyped\n" in metrics.render()


def test_nothing_observed_renders_nothing() -> None:
    assert _metrics().render() == ""


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0, "0"),
        (1.0, "1"),
        (3.0, "3"),
        (0.005, "0.005"),
        (0.1 + 0.2, "0.30000000000000004"),
        (123456.0, "123456"),
        (1e6, "1e+06"),
        (1234567.0, "1.234567e+06"),
        (0.0001, "0.0001"),
        (0.00001, "1e-05"),
        (-2e10, "-2e+10"),
        (float("inf"), "+Inf"),
        (float("nan"), "NaN"),
    ],
)
def test_go_float_writes_numbers_like_client_golang(value: float, text: str) -> None:
    assert go_float(value) == text


def _get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as reply:
            return reply.status, reply.headers["Content-Type"], reply.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


def _requests(text: str, canary: str, status: int) -> float:
    return _samples(text, REQUESTS).get((canary, str(status)), 0)


def test_http_scrape_reads_new_lines_each_time(tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    with AccessLogExporter(log, _metrics()) as exporter:
        assert exporter.url == f"http://{exporter.address}/metrics"
        assert exporter.address.startswith("127.0.0.1:")
        assert _get(exporter.url) == (200, CONTENT_TYPE, "")  # no log yet
        log.write_text(_line(STABLE, 200) * 3 + _line(CANARY, 500) + "not a line\n" + "1|200|0.1|-|GET|/par")
        status, kind, body = _get(exporter.url)
        assert (status, kind) == (200, CONTENT_TYPE)
        assert (_requests(body, "", 200), _requests(body, CANARY_NAME, 500)) == (3, 1)
        assert exporter.malformed_lines == 1
        with log.open("a") as handle:
            handle.write("tial\n" + _line(CANARY, 500))
        body = _get(exporter.url)[2]
        assert (_requests(body, "", 200), _requests(body, CANARY_NAME, 500)) == (4, 2)
        assert _get(exporter.url.replace("/metrics", "/other"))[0] == 404
        assert _get(exporter.url + "?x=1")[0] == 200
    with pytest.raises(RuntimeError, match="not started"):
        _ = exporter.address


def test_set_upstreams_counts_earlier_lines_with_the_old_map(tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    exporter = AccessLogExporter(log, _metrics())
    log.write_text(_line(CANARY, 200))
    promoted = {CANARY: Upstream("canary-demo", 80)}  # the canary's address serves the stable version now
    exporter.set_upstreams(promoted)
    with log.open("a") as handle:
        handle.write(_line(CANARY, 200))
    body = exporter.scrape()
    assert (_requests(body, CANARY_NAME, 200), _requests(body, "", 200)) == (1, 1)


def test_a_fixed_port_and_double_start(tmp_path: Path) -> None:
    with AccessLogExporter(tmp_path / "a.log", _metrics()) as first:
        port = int(first.address.rsplit(":", 1)[1])
        with pytest.raises(RuntimeError, match="already started"):
            first.start()
    with AccessLogExporter(tmp_path / "a.log", _metrics(), port=port) as second:
        assert second.address == f"127.0.0.1:{port}"


@pytest.fixture
def traffic(tmp_path: Path) -> Iterator[Path]:
    """Appends, every 0.1 s, 20 stable requests (95% 200) and 10 canary requests (70% 200) in one write."""
    log, stop = tmp_path / "access.log", threading.Event()
    batch = [(STABLE, 200)] * 19 + [(STABLE, 500)] + [(CANARY, 200)] * 7 + [(CANARY, 500)] * 3

    def write() -> None:
        while not stop.is_set():
            with log.open("a") as handle:
                handle.write("".join(_line(upstream, status) for upstream, status in batch))
            stop.wait(0.1)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    yield log
    stop.set()
    writer.join()


def _poll(provider: PrometheusProvider, query: str, deadline: float) -> list[float]:
    while True:
        value = provider.measure(query, time.time()).value
        if value or time.monotonic() > deadline:
            return list(value)
        time.sleep(0.2)


def _template_query() -> str:
    """The reference AnalysisTemplate's query, unchanged but for its `ingress` argument."""
    template = yaml.safe_load((Path(__file__).parents[1] / "data" / "analysis-template.yaml").read_text())
    query = str(template["spec"]["metrics"][0]["provider"]["prometheus"]["query"]).strip()
    resolved = query.replace("{{args.ingress}}", "canary-demo")
    assert resolved == (
        'sum(rate(nginx_ingress_controller_requests{ingress="canary-demo",status!~"[4-5].*"}[60s]))'
        '/sum(rate(nginx_ingress_controller_requests{ingress="canary-demo"}[60s]))'
    )
    return resolved


@pytest.mark.prometheus
def test_a_real_prometheus_scrapes_the_exporter_and_the_analysis_query_runs(traffic: Path) -> None:
    deadline = time.monotonic() + 12  # Prometheus 2.42 scrapes a new target after ~5 s: data at ~5.8 s
    canary = 'nginx_ingress_controller_requests{ingress="canary-demo",canary!=""'
    canary_rate = f"sum(rate({canary}}}[5s]))"
    canary_ratio = f'sum(rate({canary},status!~"[4-5].*"}}[5s]))/{canary_rate}'
    with (
        AccessLogExporter(traffic, _metrics()) as exporter,
        PrometheusServer(scrape_targets=[exporter.address], scrape_interval="500ms") as server,
    ):
        provider = PrometheusProvider(server.url, timeout=5)
        rate = _poll(provider, canary_rate, deadline)
        assert rate and rate[0] > 0, server.log_tail()
        assert _poll(provider, canary_ratio, deadline) == [pytest.approx(0.7, abs=0.02)]
        assert _poll(provider, _template_query(), deadline) == [pytest.approx(26 / 30, abs=0.02)]

"""Regression: the exporter's series are exactly those of the hand-written exposition it had before.

`BEFORE` (data/exporter_before.prom) is what `AccessLogExporter.scrape()` answered for `LOG` when it
formatted the text by hand (captured from that code, verbatim). Both texts are read with prometheus_client's
parser and compared family by family: name, help, every sample's name, labels and value. One difference is
deliberate and checked: `nginx_ingress_controller_requests` is written `untyped` (it was `counter`), as
prometheus_client writes every counter's samples and TYPE line as `<name>_total`, which would rename the
series every query uses (see `canarykit.local.ingress_metrics`).
"""

from __future__ import annotations

from pathlib import Path

from exposition_support import families

from canarykit.local.exporter import AccessLogExporter, IngressMetrics, Upstream
from canarykit.local.ingress_metrics import DURATION, REQUESTS

STABLE, CANARY = "127.0.0.1:19201", "127.0.0.1:19202"
UPSTREAMS = {STABLE: Upstream("canary-demo", 80), CANARY: Upstream("canary-demo-canary", 80, canary=True)}
LOG = "".join(
    f"1732600000.{index:03d}|{status}|{took}|{upstream}|{method}|/color\n"
    for index, (status, took, upstream, method) in enumerate(
        [
            (200, "0.002", STABLE, "GET"),
            (200, "0.1", STABLE, "GET"),
            (200, "0.3", STABLE, "GET"),
            (503, "12.5", STABLE, "GET"),
            (200, "0.004", CANARY, "GET"),
            (500, "0.25", CANARY, "POST"),
            (500, "0.2", CANARY, "POST"),
            (404, "0.001", "-", "GET"),
            (200, "0.005", "127.0.0.1:9999", "HEAD"),
        ]
    )
)
BEFORE = (Path(__file__).parent / "data" / "exporter_before.prom").read_text()


def _scrape(tmp_path: Path) -> str:
    log = tmp_path / "access.log"
    log.write_text(LOG)
    exporter = AccessLogExporter(log, IngressMetrics("canary-demo", "default", UPSTREAMS, host="demo.local"))
    try:
        return exporter.scrape()
    finally:
        exporter.stop()


def test_the_capture_is_what_the_old_code_wrote() -> None:
    before = families(BEFORE)
    assert set(before) == {DURATION, REQUESTS}
    assert before[REQUESTS][1] == "counter"
    assert {name for name, _, _ in before[REQUESTS][2]} == {REQUESTS}  # no _total on the wire
    assert len(before[REQUESTS][2]) == 6 and len(before[DURATION][2]) == 6 * (12 + 2)  # 11 bounds and +Inf


def test_the_exporter_writes_the_same_series_as_before(tmp_path: Path) -> None:
    before, after = families(BEFORE), families(_scrape(tmp_path))
    assert after[DURATION] == before[DURATION]
    assert after[REQUESTS][0] == before[REQUESTS][0]  # the help text
    assert (before[REQUESTS][1], after[REQUESTS][1]) == ("counter", "unknown")  # written `untyped`
    assert after[REQUESTS][2] == before[REQUESTS][2]  # every series: name, labels, value
    assert set(after) == set(before)

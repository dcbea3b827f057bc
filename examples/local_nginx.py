"""The reference scenario on plain nginx, without Kubernetes: steps 20/40/60/80, analysis from Prometheus.

    python examples/local_nginx.py [--version green|bad-red] [--pause SECONDS]

Everything runs on 127.0.0.1: two demo app slots (stable runs "blue"), nginx balancing between them, an
exporter turning nginx's access log into ingress-nginx's metrics, Prometheus scraping it every second, and
40 requests a second of traffic. The reference Rollout and AnalysisTemplate are loaded with their pauses
shortened to `--pause` seconds; green is promoted, bad-red (failing 30% of requests) is rolled back.

To adapt it to a real host:
  - the two upstream servers: replace the `DemoApp` slots and `DemoWorkload` with your stable and canary
    servers' "host:port" and a `canarykit.Workload` that deploys a version to the canary and promotes it;
  - nginx: give `NginxUpstreamRouter` your upstream file and your own check and reload commands (for example
    `("nginx", "-t")` and `("systemctl", "reload", "nginx")`) instead of starting `NginxServer`;
  - Prometheus: pass your server's address as `prometheus=` (and drop the exporter if it already scrapes
    ingress metrics for the ingress the template queries).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import requests

from canarykit import Rollout
from canarykit.local.demo_app import DemoApp
from canarykit.local.demo_workload import DemoWorkload, Version
from canarykit.local.exporter import AccessLogExporter
from canarykit.local.ingress_metrics import IngressMetrics, Upstream
from canarykit.local.nginx import NginxServer
from canarykit.local.scenario import scaled_scenario
from canarykit.local.traffic import TrafficGenerator
from canarykit.rollout import events
from canarykit.testing.prometheus import PrometheusServer

VERSIONS = {
    "blue": Version("blue", "blue"),
    "green": Version("green", "green"),
    "bad-red": Version("bad-red", "red", error_rate=0.3),
}


def wait_for_metrics(prometheus_url: str, timeout: float = 30.0) -> None:
    """Wait until Prometheus has a request rate for the ingress (it first scrapes a few seconds in)."""
    query = 'sum(rate(nginx_ingress_controller_requests{ingress="canary-demo"}[4s]))'
    give_up = time.monotonic() + timeout
    while time.monotonic() < give_up:
        answer = requests.get(f"{prometheus_url}/api/v1/query", params={"query": query}, timeout=2)
        if answer.ok and answer.json()["data"]["result"]:
            return
        time.sleep(0.25)
    raise SystemExit(f"Prometheus had no request rate for the ingress after {timeout:g} s")


class WeightPrinter:
    """An `on_event` callback printing each traffic shift, rollback included, as `weight 0 -> 20`."""

    def __init__(self) -> None:
        self.weight = 0

    def __call__(self, event: events.Event) -> None:
        if isinstance(event, (events.WeightChanged, events.RolledBack)) and event.weight != self.weight:
            print(f"weight {self.weight} -> {event.weight}", flush=True)
            self.weight = event.weight


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", choices=["green", "bad-red"], default="green")
    parser.add_argument("--pause", type=float, default=5.0, help="seconds per pause (reference: 120)")
    options = parser.parse_args()
    scenario = scaled_scenario(options.pause)

    with (
        tempfile.TemporaryDirectory(prefix="canarykit-nginx-") as workdir,
        DemoApp("blue") as stable,
        DemoApp("idle") as canary,
        NginxServer(Path(workdir), stable.address, canary.address) as nginx,
    ):
        workload = DemoWorkload(stable, canary, VERSIONS)
        workload.deploy_stable("blue")
        metrics = IngressMetrics(
            "canary-demo",
            "default",
            {
                stable.address: Upstream("canary-demo", 80),
                canary.address: Upstream("canary-demo-canary", 80, canary=True),
            },
        )
        with (
            AccessLogExporter(nginx.access_log_path, metrics) as exporter,
            PrometheusServer(scrape_targets=[exporter.address], scrape_interval="1s") as prometheus,
            TrafficGenerator(f"{nginx.url}/color"),
        ):
            wait_for_metrics(prometheus.url)
            rollout = Rollout.from_spec(
                scenario.spec, nginx.router(), workload, prometheus=prometheus.url, on_event=WeightPrinter()
            )
            result = rollout.run(options.version)
    print(f"{options.version}: {result.phase} {result.message}".rstrip())
    return 0 if result.healthy else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""What the demo runs on 127.0.0.1: two app slots, nginx, the access-log exporter, Prometheus, traffic."""

from __future__ import annotations

import shutil
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType

import requests

from canarykit.errors import CanaryError
from canarykit.local.demo_app import DemoApp
from canarykit.local.demo_workload import DemoWorkload, Version
from canarykit.local.exporter import AccessLogExporter
from canarykit.local.ingress_metrics import REQUESTS, IngressMetrics, Upstream
from canarykit.local.nginx import NginxServer, find_nginx
from canarykit.local.traffic import TrafficGenerator
from canarykit.rollout.file_store import FileStateStore
from canarykit.system import find_program
from canarykit.testing.prometheus import PrometheusServer
from canarykit.traffic.nginx_upstream import NginxUpstreamRouter

INGRESS, NAMESPACE = "canary-demo", "default"
WARM_UP_WINDOW, WARM_UP_POLL = "4s", 0.25
STABLE_SERVICE, CANARY_SERVICE = "canary-demo", "canary-demo-canary"
PREVIEW_UPSTREAM = "app-preview"  # blue-green (`LocalStack(preview=True)`): the preview's nginx upstream,
PREVIEW_INGRESS = PREVIEW_SERVICE = "canary-demo-preview"  # and its Ingress and Service labels
INSTALL_HINT = (
    "canarykit demo needs nginx and Prometheus on this machine. On Debian or Ubuntu: "
    '"sudo apt-get install --no-install-recommends nginx prometheus" (or run "make demo", which does it)'
)


class ToolMissing(CanaryError):
    """nginx or Prometheus is not installed."""


def check_tools(path: str | None = None) -> None:
    """Raise `ToolMissing` naming what to install, before anything is started.

    `path` is where to look (default: `$PATH`, then the system directories, where sudo puts nginx).
    """
    missing = [name for name in ("nginx", "prometheus") if find_program(name, path) is None]
    if missing:
        raise ToolMissing(f"{' and '.join(missing)} not found. {INSTALL_HINT}")


class LocalStack:
    """Starts, in a temporary directory and on free ports, the parts of a local canary release.

    Stable runs `first` at weight 0 and traffic flows from the start. Every process and thread started
    is stopped on exit, whatever happened; the directory is removed unless `keep` is set.

    `preview=True` (blue-green) adds nginx's preview listener (`nginx.preview_url`, on stable at start), a
    router with `preview_upstream`, `preview_rate` requests per second to it (`preview_traffic`), and their
    metrics under the Ingress `canary-demo-preview` (Service `canary-demo-preview`) from a second exporter.
    """

    def __init__(
        self,
        versions: dict[str, Version],
        first: str,
        rate: float = 40.0,
        keep: bool = False,
        preview: bool = False,
        preview_rate: float = 10.0,
    ) -> None:
        self.versions, self.first, self.rate, self.keep = versions, first, rate, keep
        self.preview, self.preview_rate = preview, preview_rate
        self.workdir = Path(tempfile.mkdtemp(prefix="canarykit-demo-"))
        self._exit = ExitStack()

    def __enter__(self) -> LocalStack:
        try:
            self._start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._exit.close()
        if not self.keep:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def _start(self) -> None:
        find_nginx()
        enter = self._exit.enter_context
        self.stable_app = enter(DemoApp(self.versions[self.first].color))
        self.canary_app = enter(DemoApp("none"))
        self.workload = DemoWorkload(self.stable_app, self.canary_app, self.versions)
        self.workload.deploy_stable(self.first)
        preview_upstream = PREVIEW_UPSTREAM if self.preview else None
        apps = self.stable_app.address, self.canary_app.address
        self.nginx = enter(NginxServer(self.workdir / "nginx", *apps, preview_upstream=preview_upstream))
        self.router: NginxUpstreamRouter = self.nginx.router()
        self.exporter = enter(AccessLogExporter(self.nginx.access_log_path, self._metrics()))
        targets = [self.exporter.address]
        if self.preview:
            preview_log = self.nginx.preview_access_log_path
            self.preview_exporter = enter(AccessLogExporter(preview_log, self._preview_metrics()))
            targets.append(self.preview_exporter.address)
            url = f"{self.nginx.preview_url}/color"
            self.preview_traffic = enter(TrafficGenerator(url, rate=self.preview_rate))
        self.prometheus = enter(PrometheusServer(scrape_targets=targets, scrape_interval="1s"))
        self.traffic = enter(TrafficGenerator(f"{self.nginx.url}/color", rate=self.rate))
        self.state = FileStateStore(self.workdir / "state")
        self._wait_for_metrics()

    def _wait_for_metrics(self, timeout: float = 30.0) -> None:
        """Until Prometheus holds a rate for the ingress (it starts scraping a few seconds after start)."""
        query = f'sum(rate({REQUESTS}{{ingress="{INGRESS}"}}[{WARM_UP_WINDOW}]))'
        give_up = time.monotonic() + timeout
        while time.monotonic() < give_up:
            answer = requests.get(f"{self.prometheus.url}/api/v1/query", params={"query": query}, timeout=2)
            if answer.ok and answer.json().get("data", {}).get("result"):
                return
            time.sleep(WARM_UP_POLL)
        raise CanaryError(f"Prometheus had no traffic metrics after {timeout:g} s; see {self.workdir}")

    def _metrics(self) -> IngressMetrics:
        """ingress-nginx's view of the two slots: `canary` is set only for the canary Service's upstream."""
        upstreams = {
            self.stable_app.address: Upstream(STABLE_SERVICE, 80, canary=False),
            self.canary_app.address: Upstream(CANARY_SERVICE, 80, canary=True),
        }
        return IngressMetrics(INGRESS, NAMESPACE, upstreams)

    def _preview_metrics(self) -> IngressMetrics:
        """The preview Ingress: whichever slot the preview serves is the preview Service."""
        preview = Upstream(PREVIEW_SERVICE, 80, canary=False)
        upstreams = {self.stable_app.address: preview, self.canary_app.address: preview}
        return IngressMetrics(PREVIEW_INGRESS, NAMESPACE, upstreams, service=PREVIEW_SERVICE)

"""`LocalStack(preview=True)` for blue-green: nginx's preview listener, a preview router, preview traffic and
its metrics in Prometheus; and `NginxServer`'s preview port on its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from nginx_support import backends, fetch, wait_for, wait_for_lines

from canarykit.local.demo_workload import Version
from canarykit.local.ingress_metrics import REQUESTS
from canarykit.local.nginx import NginxServer, NginxStartError
from canarykit.local.stack import PREVIEW_INGRESS, LocalStack
from canarykit.system import free_port
from canarykit.traffic.base import PreviewRouter

VERSIONS = {"blue": Version("blue", "blue"), "green": Version("green", "green")}


def color(url: str) -> str:
    answer = requests.get(f"{url}/color", timeout=5)
    assert answer.status_code == 200
    return str(answer.json())


def preview_requests(prometheus: str) -> float:
    """How many preview requests Prometheus has counted (0 before the first scrape)."""
    query = f'sum({REQUESTS}{{ingress="{PREVIEW_INGRESS}",service="{PREVIEW_INGRESS}"}})'
    result = requests.get(f"{prometheus}/api/v1/query", params={"query": query}, timeout=5).json()
    found = result["data"]["result"]
    return float(found[0]["value"][1]) if found else 0.0


def test_a_preview_stack_serves_the_new_version_on_the_preview_then_switches_in_one_reload() -> None:
    with LocalStack(VERSIONS, "blue", preview=True, preview_rate=20.0) as stack:
        router, nginx = stack.router, stack.nginx
        assert isinstance(router, PreviewRouter) and router.preview_upstream == "app-preview"
        assert router.get_preview() is False and color(nginx.preview_url) == "blue"
        stack.workload.start_canary("green")
        before = nginx.worker_pids()
        router.set_preview(True)
        nginx.wait_reloaded(before)
        assert color(nginx.preview_url) == "green" and color(nginx.url) == "blue"
        wait_for(lambda: "green" in {a.color for a in stack.preview_traffic.recent(20)}, "green previews")
        wait_for(lambda: preview_requests(stack.prometheus.url) > 0, "preview metrics", timeout=30)
        before = nginx.worker_pids()
        router.set_weight(100)
        nginx.wait_reloaded(before)
        assert color(nginx.url) == "green" and router.get_weight() == 100
        assert "blue" in {a.color for a in stack.traffic.recent()}  # main traffic ran on blue before


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[str, str]]:
    with backends("stable", "canary") as (stable, canary):
        yield stable, canary


def test_nginx_takes_a_requested_preview_port_and_logs_previews_apart(
    tmp_path: Path, servers: tuple[str, str]
) -> None:
    port = free_port()
    with NginxServer(tmp_path, *servers, preview_upstream="web-preview", preview_port=port) as nginx:
        assert nginx.preview_port == port and nginx.preview_url == f"http://127.0.0.1:{port}"
        assert fetch(port) == (200, "stable") and fetch(nginx.port) == (200, "stable")
        [line] = wait_for_lines(nginx.preview_access_log_path, 1)
        assert "|200|" in line and servers[0] in line
        assert "proxy_pass http://web-preview;" in nginx.config_path.read_text()


def test_a_plain_nginx_has_no_preview_port_and_one_port_for_both_is_refused(
    tmp_path: Path, servers: tuple[str, str]
) -> None:
    with NginxServer(tmp_path / "plain", *servers) as nginx:
        with pytest.raises(RuntimeError, match="not started with a preview_upstream"):
            nginx.preview_port  # noqa: B018
        assert nginx.router().preview_upstream is None
        assert "preview" not in nginx.config_path.read_text()
    port = free_port()
    same = NginxServer(tmp_path / "same", *servers, port=port, preview_upstream="p", preview_port=port)
    with pytest.raises(NginxStartError, match=f"port and preview_port are both {port}"):
        same.start()
    assert same.pid is None

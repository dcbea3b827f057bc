"""Blue-green on a real nginx: `NginxUpstreamRouter(preview_upstream=...)` serves the weighted upstream on one
port and the preview upstream on a second; reloads are counted by a reload command that notes each run."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from nginx_support import backends, split

from canarykit.errors import RoutingError, SpecError
from canarykit.local.nginx import NginxServer, find_nginx
from canarykit.traffic import NginxUpstreamRouter
from canarykit.traffic.base import PreviewRouter
from canarykit.traffic.nginx_upstream import UpstreamState, WeightUnconfirmed

PREVIEW = "app-preview"


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[str, str]]:
    with backends("stable", "canary") as (stable, canary):
        yield stable, canary


@pytest.fixture
def nginx(tmp_path: Path, servers: tuple[str, str]) -> Iterator[NginxServer]:
    with NginxServer(tmp_path / "nginx", servers[0], servers[1], preview_upstream=PREVIEW) as server:
        yield server


class Reloads:
    """A reload command that appends a line to `log` before it reloads nginx: `count` says how many ran."""

    def __init__(self, nginx: NginxServer, log: Path) -> None:
        self.nginx, self.log = nginx, log
        self.command = ("sh", "-c", 'echo reload >> "$0" && exec "$@"', str(log), *nginx.reload_command)

    @property
    def count(self) -> int:
        return len(self.log.read_text().splitlines()) if self.log.exists() else 0

    def router(self, check: tuple[str, ...] | None = None) -> NginxUpstreamRouter:
        nginx = self.nginx
        return NginxUpstreamRouter(
            nginx.upstream_path,
            nginx.stable,
            nginx.canary,
            check_command=check or nginx.check_command,
            reload_command=self.command,
            preview_upstream=PREVIEW,
        )


@pytest.fixture
def reloads(nginx: NginxServer, tmp_path: Path) -> Reloads:
    return Reloads(nginx, tmp_path / "reloads.log")


def move(nginx: NginxServer, action: object, *arguments: object) -> None:
    """Call `action(*arguments)` and wait until only the new config's workers serve."""
    before = nginx.worker_pids()
    assert callable(action)
    action(*arguments)
    nginx.wait_reloaded(before)


def serving(nginx: NginxServer) -> tuple[dict[str, int], dict[str, int]]:
    """What 20 requests get on the main port and 20 on the preview port."""
    return dict(split(nginx.port, 20)), dict(split(nginx.preview_port, 20))


def expected_file(stable: str, canary: str, shares: tuple[str, str], preview: str, side: str) -> str:
    return (
        "# Written by canarykit (NginxUpstreamRouter); it is rewritten on every weight change.\n"
        "upstream app {\n"
        "    zone canarykit_app 64k;  # one shared round-robin state for all workers\n"
        f"    server {stable} {shares[0]};  # stable\n"
        f"    server {canary} {shares[1]};  # canary\n"
        "    keepalive 8;\n"
        "}\n"
        "upstream app-preview {\n"
        f"    server {preview};  # preview: {side}\n"
        "    keepalive 8;\n"
        "}\n"
    )


def test_is_a_preview_router_and_starts_with_both_sides_on_stable(
    nginx: NginxServer, servers: tuple[str, str]
) -> None:
    stable, canary = servers
    router = nginx.router()
    assert isinstance(router, PreviewRouter)
    assert nginx.upstream_path.read_text() == expected_file(
        stable, canary, ("weight=100", "down"), stable, "stable"
    )
    assert router.get_weight() == 0 and router.get_preview() is False
    assert router.state() == UpstreamState(0, True, 0, None, False)
    assert serving(nginx) == ({"stable": 20}, {"stable": 20})


def test_the_preview_follows_set_preview_in_one_reload_each(nginx: NginxServer, reloads: Reloads) -> None:
    stable, canary = nginx.stable, nginx.canary
    router = reloads.router()
    move(nginx, router.set_preview, True)
    assert reloads.count == 1
    assert nginx.upstream_path.read_text() == expected_file(
        stable, canary, ("weight=100", "down"), canary, "canary"
    )
    assert router.get_preview() is True and router.get_weight() == 0
    assert serving(nginx) == ({"stable": 20}, {"canary": 20})
    move(nginx, router.set_preview, False)
    assert reloads.count == 2
    assert router.get_preview() is False
    assert serving(nginx) == ({"stable": 20}, {"stable": 20})


def test_the_active_switch_is_one_reload_each_way_and_keeps_the_preview(
    nginx: NginxServer, reloads: Reloads
) -> None:
    router = reloads.router()
    move(nginx, router.set_preview, True)
    move(nginx, router.set_weight, 100)
    assert reloads.count == 2  # the preview, then the whole active side in one reload
    assert serving(nginx) == ({"canary": 20}, {"canary": 20})
    assert router.state() == UpstreamState(100, True, 100, None, True)
    move(nginx, router.set_weight, 0)
    assert reloads.count == 3
    assert serving(nginx) == ({"stable": 20}, {"canary": 20})
    assert router.get_weight() == 0 and router.get_preview() is True


def test_a_new_router_object_reads_weight_and_preview_back(nginx: NginxServer, reloads: Reloads) -> None:
    first = reloads.router()
    move(nginx, first.set_preview, True)
    move(nginx, first.set_weight, 100)
    del first
    again = nginx.router()  # as after a restart of the driver: only the file tells
    assert again.get_weight() == 100 and again.get_preview() is True
    move(nginx, again.set_weight, 0)  # a weight move keeps the preview it read from the file
    assert again.get_preview() is True
    assert serving(nginx) == ({"stable": 20}, {"canary": 20})


def test_a_failed_check_of_set_preview_restores_the_previous_file(
    nginx: NginxServer, reloads: Reloads
) -> None:
    move(nginx, reloads.router().set_weight, 100)
    before = nginx.upstream_path.read_bytes()
    failing = reloads.router(check=("false",))
    with pytest.raises(RoutingError, match=r"app-preview on canary not applied \(check failed\)") as caught:
        failing.set_preview(True)
    assert type(caught.value) is RoutingError  # nothing nginx serves changed
    assert "holds weight 100, confirmed, preview on stable: `false` exited 1" in str(caught.value)
    assert nginx.upstream_path.read_bytes() == before and not failing.marker_path.exists()
    assert reloads.count == 1
    assert failing.get_preview() is False and failing.get_weight() == 100
    assert serving(nginx) == ({"canary": 20}, {"stable": 20})


def test_a_failed_reload_of_set_preview_restores_and_reloads_the_previous_file(
    nginx: NginxServer, tmp_path: Path
) -> None:
    once = tmp_path / "failed-once"
    fail_once = (
        "sh",
        "-c",
        '[ -e "$0" ] || { touch "$0"; exit 1; }; exec "$@"',
        str(once),
        *nginx.reload_command,
    )
    router = NginxUpstreamRouter(
        nginx.upstream_path,
        nginx.stable,
        nginx.canary,
        check_command=nginx.check_command,
        reload_command=fail_once,
        preview_upstream=PREVIEW,
    )
    with pytest.raises(
        RoutingError, match=r"not applied \(reload failed\), previous file restored and reloaded"
    ):
        router.set_preview(True)
    assert router.get_preview() is False and router.state().confirmed
    assert serving(nginx) == ({"stable": 20}, {"stable": 20})


def test_a_failed_switch_back_keeps_weight_0_and_the_preview(nginx: NginxServer, reloads: Reloads) -> None:
    router = reloads.router()
    move(nginx, router.set_preview, True)
    move(nginx, router.set_weight, 100)
    with pytest.raises(
        WeightUnconfirmed, match=r"holds weight 0, unconfirmed \(last confirmed 100\), preview on canary"
    ):
        reloads.router(check=("false",)).set_weight(0)
    assert nginx.upstream_path.read_text() == router.render(0, True)  # nearer stable: kept for any reload
    with pytest.raises(WeightUnconfirmed):
        router.get_preview()  # nobody knows what nginx serves until a reload confirms it
    assert serving(nginx) == ({"canary": 20}, {"canary": 20})  # not reloaded
    move(nginx, router.set_weight, 0)
    assert router.get_preview() is True and serving(nginx) == ({"stable": 20}, {"canary": 20})


def test_a_failed_switch_to_the_canary_puts_the_previous_file_back(
    nginx: NginxServer, reloads: Reloads
) -> None:
    router = reloads.router()
    move(nginx, router.set_preview, True)
    with pytest.raises(
        RoutingError, match=r"weight 100 not applied \(check failed\), previous file restored"
    ):
        reloads.router(check=("false",)).set_weight(100)
    assert router.state() == UpstreamState(0, True, 0, None, True)
    assert serving(nginx) == ({"stable": 20}, {"canary": 20})


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("my preview", "preview_upstream name must match"),
        ("app;", "preview_upstream name must match"),
        ("", "preview_upstream name must match"),
        ("app", "preview_upstream 'app' must differ from upstream 'app'"),
        ("APP", "preview_upstream 'APP' must differ from upstream 'app'"),
    ],
)
def test_bad_preview_names_are_refused_before_anything_is_written(
    tmp_path: Path, name: str, message: str
) -> None:
    with pytest.raises(SpecError, match=re.escape(message)):
        NginxUpstreamRouter(tmp_path / "u.conf", "127.0.0.1:1", "127.0.0.1:2", preview_upstream=name)
    assert list(tmp_path.iterdir()) == []


def test_nginx_itself_refuses_two_upstreams_differing_only_in_case(tmp_path: Path) -> None:
    """Why `APP` is refused beside `app`: nginx compares upstream names case-insensitively."""
    (tmp_path / "conf").mkdir()
    upstreams = "upstream app { server 127.0.0.1:1; }\nupstream APP { server 127.0.0.1:2; }\n"
    (tmp_path / "conf" / "nginx.conf").write_text(f"pid nginx.pid;\nevents {{}}\nhttp {{\n{upstreams}}}\n")
    command = [find_nginx(), "-p", str(tmp_path), "-c", "conf/nginx.conf", "-e", "stderr", "-t"]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=30)
    assert done.returncode != 0 and 'duplicate upstream "app"' in done.stderr.lower()


def test_set_preview_needs_a_preview_upstream_and_a_bool(tmp_path: Path) -> None:
    plain = NginxUpstreamRouter(tmp_path / "u.conf", "127.0.0.1:1", "127.0.0.1:2", check_command=("true",))
    with pytest.raises(SpecError, match="has no preview: build it with preview_upstream"):
        plain.set_preview(True)
    with pytest.raises(SpecError, match="has no preview"):
        plain.get_preview()
    router = NginxUpstreamRouter(tmp_path / "u.conf", "127.0.0.1:1", "127.0.0.1:2", preview_upstream=PREVIEW)
    with pytest.raises(SpecError, match=r"set_preview takes True \(canary\) or False \(stable\), got 1"):
        router.set_preview(1)  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []

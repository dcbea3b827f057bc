"""The preview block without nginx (real `true`/`false` as check and reload): files it did not write, no file
at all, and the marker of a router whose weights run past 100."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from canarykit.errors import RoutingError
from canarykit.testing import FakeClock
from canarykit.traffic.nginx_upstream import NginxUpstreamRouter, UpstreamState, WeightUnconfirmed

STABLE, CANARY = "127.0.0.1:1", "127.0.0.1:2"
T0 = 1_700_000_000.0  # FakeClock's start


def router_at(path: Path, check: str = "true", max_weight: int = 100) -> NginxUpstreamRouter:
    return NginxUpstreamRouter(
        path,
        STABLE,
        CANARY,
        check_command=(check,),
        reload_command=("true",),
        clock=FakeClock(),
        max_weight=max_weight,
        preview_upstream="app-preview",
    )


def test_set_preview_without_a_file_writes_weight_0(tmp_path: Path) -> None:
    path = tmp_path / "upstream.conf"
    router_at(path).set_preview(True)
    assert path.read_text() == router_at(path).render(0, True)
    assert router_at(path).get_weight() == 0 and router_at(path).get_preview() is True


def test_a_failed_first_set_preview_leaves_no_file(tmp_path: Path) -> None:
    with pytest.raises(RoutingError, match=r"app-preview on canary not applied \(check failed\)"):
        router_at(tmp_path / "upstream.conf", check="false").set_preview(True)
    assert list(tmp_path.iterdir()) == []


def test_a_file_without_a_preview_block_moves_its_weight_and_gets_one_on_stable(tmp_path: Path) -> None:
    path = tmp_path / "upstream.conf"
    NginxUpstreamRouter(path, STABLE, CANARY).write(30)  # written by a router without a preview
    router = router_at(path)
    assert router.get_weight() == 30 and router.state().preview is None
    with pytest.raises(RoutingError, match=re.escape("holds no `upstream app-preview` block")):
        router.get_preview()
    router.set_weight(0)
    assert path.read_text() == router.render(0, False) and router.get_preview() is False


@pytest.mark.parametrize(
    "block",
    [
        "upstream app-preview {\n    server 10.9.9.9:80;\n}\n",
        f"upstream app-preview {{\n    server {STABLE};\n    server {CANARY};\n}}\n",
    ],
)
def test_a_foreign_preview_block_is_not_guessed_at(tmp_path: Path, block: str) -> None:
    path = tmp_path / "upstream.conf"
    router = router_at(path)
    path.write_text(router.render(20).split("upstream app-preview")[0] + block)
    with pytest.raises(
        RoutingError, match=re.escape("`upstream app-preview` must hold one server, 127.0.0.1:1 or")
    ):
        router.get_preview()
    assert router.state() == UpstreamState(20, True, 20, None, None)
    router.set_preview(True)  # the weight is read from the file and kept
    assert router.get_weight() == 20 and router.get_preview() is True


def test_set_preview_refuses_a_file_whose_weight_it_cannot_read(tmp_path: Path) -> None:
    path = tmp_path / "upstream.conf"
    path.write_text("upstream app { server 10.9.9.9:80; }\n")
    with pytest.raises(RoutingError, match=re.escape("no parsable `server 127.0.0.1:2` line")):
        router_at(path).set_preview(True)
    assert path.read_text() == "upstream app { server 10.9.9.9:80; }\n"
    assert not router_at(path).marker_path.exists()


def test_the_marker_keeps_weights_above_100(tmp_path: Path) -> None:
    """Regression: the marker took only 0..100, so with max_weight=1000 the last confirmed 500 was lost."""
    path = tmp_path / "upstream.conf"
    router_at(path, max_weight=1000).set_weight(500)
    with pytest.raises(WeightUnconfirmed, match=r"holds weight 0, unconfirmed \(last confirmed 500\)"):
        router_at(path, check="false", max_weight=1000).set_weight(0)
    assert router_at(path, max_weight=1000).state() == UpstreamState(0, False, 500, T0, False)

"""NginxUpstreamRouter's failure path without nginx: real `true`/`false`/`sh` as check and reload commands.

After any failure the include file holds min(previous, asked) and the `.unconfirmed` marker says whether
nginx is known to serve it; `get_weight` refuses to guess while it is there.
"""

from __future__ import annotations

import fnmatch
import json
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from canarykit.errors import RoutingError
from canarykit.testing import FakeClock
from canarykit.traffic.nginx_upstream import NginxUpstreamRouter, UpstreamState, WeightUnconfirmed

STABLE, CANARY = "127.0.0.1:1", "127.0.0.1:2"
T0 = 1_700_000_000.0  # FakeClock's start: 2023-11-14T22:13:20+00:00
WORKS, FAILS = ("true",), ("false",)


def router_at(path: Path, check: Sequence[str] = WORKS, reload: Sequence[str] = WORKS) -> NginxUpstreamRouter:
    return NginxUpstreamRouter(
        path, STABLE, CANARY, check_command=check, reload_command=reload, clock=FakeClock()
    )


def confirmed_at(path: Path, weight: int) -> None:
    router_at(path).set_weight(weight)
    assert router_at(path).state() == UpstreamState(weight, True, weight, None)


def file_weight(router: NginxUpstreamRouter) -> int:
    return router.state().desired_weight


def test_a_successful_move_is_confirmed_and_leaves_no_marker(tmp_path: Path) -> None:
    path = tmp_path / "upstream.conf"
    confirmed_at(path, 30)
    router = router_at(path)
    router.set_weight(0)
    assert router.get_weight() == 0 and router.state() == UpstreamState(0, True, 0, None)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["upstream.conf"]


def test_the_marker_is_written_before_the_file_and_is_not_an_nginx_include(tmp_path: Path) -> None:
    path = tmp_path / "upstream.conf"
    confirmed_at(path, 20)
    seen = tmp_path / "seen"
    copy = (
        "sh",
        "-c",
        'cat "$0" > "$2" && cat "$1" >> "$2"',
        str(path) + ".unconfirmed",
        str(path),
        str(seen),
    )
    router = router_at(path, check=copy)
    router.set_weight(40)
    marker, _, include = seen.read_text().partition("\n")
    assert json.loads(marker) == {"weight": 40, "last_confirmed": 20, "at": T0}
    assert include == router.render(40)
    assert router.marker_path == tmp_path / "upstream.conf.unconfirmed" and not router.marker_path.exists()
    assert not fnmatch.fnmatch(router.marker_path.name, "*.conf")


@pytest.mark.parametrize("stage", ["check", "reload"])
def test_a_failed_move_toward_stable_keeps_the_new_file_unconfirmed(tmp_path: Path, stage: str) -> None:
    path = tmp_path / "upstream.conf"
    confirmed_at(path, 30)
    router = router_at(path, **{stage: FAILS})
    with pytest.raises(WeightUnconfirmed) as caught:
        router.set_weight(10)
    assert str(caught.value) == (
        f"weight 10 written but not confirmed ({stage} failed); kept as nearer stable, any nginx start or "
        f"reload serves it: {path} holds weight 10, unconfirmed (last confirmed 30): "
        "`false` exited 1: (no output)"
    )
    assert caught.value.state == UpstreamState(10, False, 30, T0) == router.state()
    assert path.read_text() == router.render(10)
    with pytest.raises(WeightUnconfirmed) as refused:
        router.get_weight()
    assert str(refused.value) == (
        f"cannot tell what nginx serves: weight 10 written to {path} at 2023-11-14T22:13:20+00:00, "
        "not confirmed by a reload (last confirmed weight: 30); a successful set_weight confirms it"
    )
    router_at(path).set_weight(10)
    assert router.get_weight() == 10 and not router.marker_path.exists()


def test_failures_in_a_row_remember_the_last_confirmed_weight(tmp_path: Path) -> None:
    path = tmp_path / "upstream.conf"
    confirmed_at(path, 30)
    nginx_down = router_at(path, reload=FAILS)
    for weight, on_disk in [(10, 10), (20, 10), (0, 0), (0, 0)]:
        with pytest.raises(WeightUnconfirmed):
            nginx_down.set_weight(weight)
        assert nginx_down.state() == UpstreamState(on_disk, False, 30, T0)


def test_a_failed_check_away_from_stable_restores_file_and_confirmation(tmp_path: Path) -> None:
    path = tmp_path / "upstream.conf"
    confirmed_at(path, 20)
    with pytest.raises(RoutingError) as caught:
        router_at(path, check=FAILS).set_weight(40)
    assert type(caught.value) is RoutingError
    assert str(caught.value) == (
        f"weight 40 not applied (check failed), previous file restored: {path} holds weight 20, confirmed: "
        "`false` exited 1: (no output)"
    )
    assert path.read_text() == router_at(path).render(20) and router_at(path).get_weight() == 20
    assert not router_at(path).marker_path.exists()


def test_a_failed_check_away_from_stable_keeps_an_earlier_unconfirmed_mark(tmp_path: Path) -> None:
    path = tmp_path / "upstream.conf"
    confirmed_at(path, 30)
    with pytest.raises(WeightUnconfirmed):
        router_at(path, reload=FAILS).set_weight(10)
    marker = router_at(path).marker_path.read_text()
    with pytest.raises(WeightUnconfirmed, match=r"holds weight 10, unconfirmed \(last confirmed 30\)"):
        router_at(path, check=FAILS).set_weight(50)
    assert router_at(path).marker_path.read_text() == marker
    assert router_at(path).state() == UpstreamState(10, False, 30, T0)


def test_a_failed_reload_away_from_stable_restores_and_reloads_the_previous_file(tmp_path: Path) -> None:
    path = tmp_path / "upstream.conf"
    confirmed_at(path, 20)
    once = (
        "sh",
        "-c",
        'test -e "$0" && exit 0; touch "$0"; echo first reload fails >&2; exit 1',
        f"{tmp_path}/f",
    )
    with pytest.raises(RoutingError) as caught:
        router_at(path, reload=once).set_weight(40)
    assert type(caught.value) is RoutingError
    assert str(caught.value).startswith(
        "weight 40 not applied (reload failed), previous file restored and reloaded: "
        f"{path} holds weight 20, confirmed: `sh -c "
    )
    assert str(caught.value).endswith("exited 1: first reload fails")
    assert router_at(path).get_weight() == 20


def test_a_failed_reload_away_from_stable_restores_the_file_unconfirmed(tmp_path: Path) -> None:
    path = tmp_path / "upstream.conf"
    confirmed_at(path, 20)
    with pytest.raises(WeightUnconfirmed) as caught:
        router_at(path, reload=FAILS).set_weight(40)
    assert str(caught.value) == (
        f"weight 40 not applied (reload failed), previous file restored: {path} holds weight 20, unconfirmed "
        "(last confirmed 20): `false` exited 1: (no output); reloading the restored file failed too: "
        "`false` exited 1: (no output)"
    )
    assert path.read_text() == router_at(path).render(20)
    assert json.loads(router_at(path).marker_path.read_text()) == {
        "weight": 20,
        "last_confirmed": 20,
        "at": T0,
    }


def test_without_a_previous_file_only_weight_0_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "upstream.conf"
    with pytest.raises(RoutingError, match="does not exist: no weight was set yet"):
        router_at(path, check=FAILS).set_weight(10)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(WeightUnconfirmed, match="holds weight 0, unconfirmed \\(last confirmed unknown\\)"):
        router_at(path, check=FAILS).set_weight(0)
    assert router_at(path).state() == UpstreamState(0, False, None, T0)


def test_a_foreign_previous_file_is_put_back_unless_the_move_is_to_0(tmp_path: Path) -> None:
    path = tmp_path / "upstream.conf"
    path.write_text("upstream app { server 10.9.9.9:80; }\n")
    with pytest.raises(RoutingError, match=re.escape("no parsable `server 127.0.0.1:2` line")):
        router_at(path, check=FAILS).set_weight(30)
    assert path.read_text() == "upstream app { server 10.9.9.9:80; }\n"
    with pytest.raises(WeightUnconfirmed):
        router_at(path, check=FAILS).set_weight(0)
    assert file_weight(router_at(path)) == 0


def test_write_confirms_a_file_written_before_nginx_starts(tmp_path: Path) -> None:
    path = tmp_path / "upstream.conf"
    router = router_at(path, reload=FAILS)
    with pytest.raises(WeightUnconfirmed):
        router.set_weight(0)
    router.write(0)
    assert router.get_weight() == 0 and not router.marker_path.exists()


@pytest.mark.parametrize(
    "marker", ["", "{not json", '{"weight": 500}', '{"weight": 5, "last_confirmed": 5, "at": null}']
)
def test_a_torn_or_foreign_marker_still_means_unconfirmed(tmp_path: Path, marker: str) -> None:
    path = tmp_path / "upstream.conf"
    confirmed_at(path, 25)
    router_at(path).marker_path.write_text(marker)
    assert router_at(path).state() == UpstreamState(25, False, None, None)
    with pytest.raises(
        WeightUnconfirmed,
        match=r"weight 25 written to .* at an unknown time, .*last confirmed weight: unknown",
    ):
        router_at(path).get_weight()


def test_an_unreadable_marker_is_a_routing_error(tmp_path: Path) -> None:
    path = tmp_path / "upstream.conf"
    confirmed_at(path, 25)
    router_at(path).marker_path.mkdir()  # a directory where the marker belongs
    with pytest.raises(RoutingError, match=r"cannot read .*upstream\.conf\.unconfirmed"):
        router_at(path).get_weight()


# In a child process: files may not grow past 200 bytes, so the marker (~60) is written and the include
# file (~300) is not (EFBIG, as a full disk fails a write).
SMALL_FILES = """
import resource, signal, sys
from canarykit.traffic.nginx_upstream import NginxUpstreamRouter
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (200, resource.RLIM_INFINITY))
router = NginxUpstreamRouter(sys.argv[1], "127.0.0.1:1", "127.0.0.1:2", check_command=("true",),
                             reload_command=("true",))
try:
    router.set_weight(40)
except Exception as error:
    print(type(error).__name__, error)
"""


def test_a_failed_write_changes_nothing_and_keeps_the_file_confirmed(tmp_path: Path) -> None:
    path = tmp_path / "upstream.conf"
    confirmed_at(path, 20)
    command = [sys.executable, "-c", SMALL_FILES, str(path)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"RoutingError cannot write {path}: [Errno 27] File too large")
    assert router_at(path).get_weight() == 20 and path.read_text() == router_at(path).render(20)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["upstream.conf"]

"""Blue-green router faults on a real nginx: its check or reload failing at the active switch, at the switch
back, and while the preview is set.

A failed switch leaves the active side on stable; a failed switch back leaves stable on disk, unconfirmed
(any nginx start or reload serves it), the record saying so, and a resumed driver confirms it once nginx
is repaired. A failing preview move is retried and never moves the active side.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from bluegreen_setup import HEALTHY, ROLLED_BACK, plain, with_post
from cases_nginx import raised
from fault_lab import Lab
from fault_outcome import Case
from nginx_commands import broken_while, failing_times


def _broken(lab: Lab, which: str) -> tuple[Callable[[], None], dict[str, tuple[str, ...]]]:
    """What breaks `which` nginx command (touch the flag), and the driver config change that uses it."""
    flag = lab.root / f"{which}-broken"
    command = lab.nginx.check_command if which == "check" else lab.reload_command
    return flag.touch, {which: broken_while(flag, command)}


def _repaired(lab: Lab, which: str) -> None:
    (lab.root / f"{which}-broken").unlink()


def switch_failing(which: str) -> Callable[[Lab], float]:
    """A case: `nginx -t` (or the reload) fails from the active switch on; the switch cannot happen."""

    def scenario(lab: Lab) -> float:
        breaks, change = _broken(lab, which)
        first = lab.start(**plain(), block_at="before-weight:100", **change)
        first.wait_blocked()
        settled(lab.served_preview(True) == {lab.canary.color: 100})
        breaks()
        broken = time.monotonic()
        first.release()
        assert first.wait_exit() == 1, first.log()
        assert raised(lab) == ["RoutingError"], lab.entries(event="raised")
        assert_unconfirmed_switch_back(lab, last_confirmed=0)
        lab.assert_serves(0)  # the active side never left stable
        assert lab.served_preview(True) == {lab.canary.color: 100}
        _repaired(lab, which)
        assert lab.run(**plain()) == 0, lab.drivers[-1].log()
        return broken

    return scenario


def switch_back_failing(which: str) -> Callable[[Lab], float]:
    """A case: post-promotion analysis fails; from the abort on, `nginx -t` (or the reload) fails."""

    def scenario(lab: Lab) -> float:
        breaks, change = _broken(lab, which)
        release = with_post(lab.analysis(passing=False, count=2))
        first = lab.start(**release, block_at="Aborted", **change)
        first.wait_blocked()
        lab.assert_serves(100)  # settled (see `settled`)
        breaks()
        broken = time.monotonic()
        first.release()
        assert first.wait_exit() == 1, first.log()
        assert raised(lab) == ["RollbackFailed"], lab.entries(event="raised")
        assert_unconfirmed_switch_back(lab, last_confirmed=100)
        lab.assert_serves(100)  # never reloaded: nginx serves what it served; the file says stable
        _repaired(lab, which)  # the operator repairs nginx; a resumed driver confirms the switch back
        assert lab.run(**release) == 0, lab.drivers[-1].log()
        return broken

    return scenario


def preview_failing_twice(lab: Lab) -> float:
    """`nginx -t` fails twice at the preview's move: the runner retries it, the release goes on."""
    flag = lab.root / "check-failures"
    flag.touch()
    broken = time.monotonic()
    assert lab.run(**plain(), check=failing_times(flag, 2, lab.nginx.check_command)) == 0
    moves = [entry["event"] for entry in lab.entries() if entry["event"] in ("preview-failed", "set")]
    assert moves[:3] == ["preview-failed", "preview-failed", "set"], moves  # retried, then the switch
    return broken


def preview_failing(lab: Lab) -> float:
    """`nginx -t` fails for good from the start: the preview cannot move; the active side never does."""
    breaks, change = _broken(lab, "check")
    breaks()
    broken = time.monotonic()
    assert lab.run(**plain(), **change) == 1, lab.drivers[-1].log()
    assert raised(lab) == ["RoutingError"], lab.entries(event="raised")
    assert [entry["weight"] for entry in lab.entries(event="set")] == [0]  # the abort's, nothing else
    assert lab.upstream().preview is False  # the failed move put the previous file back
    lab.assert_serves(0)
    assert lab.served_preview(False) == {lab.stable.color: 100}
    _repaired(lab, "check")
    assert lab.run(**plain()) == 0, lab.drivers[-1].log()
    return broken


def settled(serving: bool) -> None:
    """nginx serves the last move before the fault: `nginx -s reload` returns before nginx reads its config,
    so a reload still in flight would read whatever the faulty move writes next."""
    assert serving, "nginx did not take the last move before the fault"


def assert_unconfirmed_switch_back(lab: Lab, last_confirmed: int) -> None:
    """The failed switch back left the active side on stable on disk, unconfirmed, and the record says so."""
    state = lab.upstream()
    assert (state.desired_weight, state.confirmed, state.last_confirmed_weight) == (0, False, last_confirmed)
    record = lab.record()
    assert record is not None and record["aborted"] and not record["finished"], record
    assert record["unconfirmed"].startswith("traffic to stable not confirmed"), record["unconfirmed"]


CASES = [
    Case("blue-green nginx check failing at the active switch", switch_failing("check"), ROLLED_BACK),
    Case("blue-green nginx reload failing at the active switch", switch_failing("reload"), ROLLED_BACK),
    Case("blue-green nginx check failing at the switch back", switch_back_failing("check"), ROLLED_BACK),
    Case("blue-green nginx reload failing at the switch back", switch_back_failing("reload"), ROLLED_BACK),
    Case("blue-green preview move failing twice, retried", preview_failing_twice, HEALTHY),
    Case("blue-green preview move failing for good", preview_failing, ROLLED_BACK),
]

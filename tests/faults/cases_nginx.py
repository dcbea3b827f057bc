"""nginx faults: its check or its reload failing mid-rollout; nginx killed before and during a rollback.

While nginx cannot take weight 0, the include file must hold 0 (unconfirmed, so any nginx start serves
stable) and the record must say so; once nginx is back, a resumed driver confirms the rollback.
"""

from __future__ import annotations

import time

from fault_lab import Lab
from fault_outcome import Case, Expect, canary_kind
from nginx_commands import broken_while


def check_failing(lab: Lab) -> float:
    """From weight 40 on, `nginx -t` fails: the rollout cannot go on, and the rollback cannot reload."""
    return _command_failing(lab, "check")


def reload_failing(lab: Lab) -> float:
    """From weight 40 on, `nginx -s reload` fails."""
    return _command_failing(lab, "reload")


def _command_failing(lab: Lab, which: str) -> float:
    flag = lab.root / f"{which}-broken"
    command = lab.nginx.check_command if which == "check" else lab.nginx.reload_command
    first = lab.start(block_at="StepCompleted:1", **{which: broken_while(flag, command)})
    first.wait_blocked()
    flag.touch()
    broken = time.monotonic()
    first.release()
    assert first.wait_exit() == 1, first.log()
    assert raised(lab) == ["RoutingError"], lab.entries(event="raised")
    assert_unconfirmed_rollback(lab)
    lab.assert_serves(20)  # never reloaded: nginx serves what it served, the file says stable
    flag.unlink()  # the operator repairs nginx's config; a resumed driver confirms weight 0
    assert lab.run() == 0, lab.drivers[-1].log()
    return broken


def nginx_killed_before_rollback(lab: Lab) -> float:
    """nginx is SIGKILLed at weight 20; the failing canary's rollback finds it gone."""
    first = lab.start(analysis=lab.analysis(passing=False), block_at="StepCompleted:0")
    first.wait_blocked()
    killed = lab.kill_nginx()
    first.release()
    return _after_nginx_died(lab, killed)


def nginx_killed_during_rollback(lab: Lab) -> float:
    """nginx is SIGKILLed after the rollback wrote weight 0, while its `nginx -t` runs."""
    first = lab.start(analysis=lab.analysis(passing=False), check=lab.held_check())
    lab.wait_check_held(first)
    killed = lab.kill_nginx()
    lab.release_check()
    return _after_nginx_died(lab, killed)


def _after_nginx_died(lab: Lab, killed: float) -> float:
    driver = lab.drivers[-1]
    assert driver.wait_exit() == 1, driver.log()
    assert raised(lab) == ["RollbackFailed"], lab.entries(event="raised")
    assert_unconfirmed_rollback(lab)
    lab.start_nginx_again()
    lab.assert_serves(0)  # whatever starts nginx now serves stable
    assert lab.run(analysis=lab.analysis(passing=False)) == 0, lab.drivers[-1].log()
    record = lab.record()
    reason = "" if record is None else record["abort_message"]
    assert reason.startswith("Background analysis phase error/failed"), f"abort reason lost: {reason}"
    return killed


def raised(lab: Lab) -> list[str]:
    """The kind of canarykit error each driver raised."""
    return [canary_kind(entry) for entry in lab.entries(event="raised")]


def assert_unconfirmed_rollback(lab: Lab) -> None:
    """The failed rollback left weight 0 on disk, unconfirmed, and an aborted record saying so."""
    state = lab.upstream()
    assert (state.desired_weight, state.confirmed, state.last_confirmed_weight) == (0, False, 20), state
    record = lab.record()
    assert record is not None and record["aborted"] and not record["finished"], record
    assert record["unconfirmed"].startswith("traffic to stable not confirmed"), record["unconfirmed"]


ROLLED_BACK = Expect("Degraded", 0)
CASES = [
    Case("nginx check failing", check_failing, ROLLED_BACK),
    Case("nginx reload failing", reload_failing, ROLLED_BACK),
    Case("nginx killed before a rollback", nginx_killed_before_rollback, ROLLED_BACK),
    Case("nginx killed during a rollback", nginx_killed_during_rollback, ROLLED_BACK),
]

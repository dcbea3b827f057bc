"""`--state DIR`: promote/abort/retry/pause/undo/status/get/list on a `FileStateStore`, no driver running."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import in_process

from canarykit import Rollout, RolloutPhase
from canarykit.cli.exit_codes import EXIT_ERROR, EXIT_FAILED, EXIT_OK, EXIT_USAGE
from canarykit.rollout.file_store import FileStateStore
from canarykit.rollout.remote import RemoteControl
from canarykit.steps import Pause, SetWeight, Step
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryWorkload

NO_DRIVER = "note: no process is driving 'web' now; the command waits for the next one"


def rollout(
    state: Path,
    workload: InMemoryWorkload,
    steps: list[Step] | None = None,
    router: InMemoryRouter | None = None,
) -> Rollout:
    plan: list[Step] = steps if steps is not None else [SetWeight(20), Pause("1m"), SetWeight(60)]
    router = router or InMemoryRouter()
    return Rollout("web", plan, router, workload, clock=FakeClock(), state=FileStateStore(state))


def test_commands_without_a_driver_are_queued_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state"
    assert rollout(state, InMemoryWorkload("v1")).run("v2").phase is RolloutPhase.HEALTHY
    for command, done in (("promote", "promoted"), ("pause", "paused"), ("abort", "aborted")):
        code, out, _ = in_process(capsys, command, "web", "--state", str(state))
        assert (code, out.splitlines()) == (EXIT_OK, [f"rollout 'web' {done}", NO_DRIVER])
    queued = json.loads((state / "web.commands").read_text())
    assert queued == [{"command": "promote", "full": False}, {"command": "pause"}, {"command": "abort"}]
    assert FileStateStore(state).holder("web") is None


def test_a_new_rollout_drops_commands_queued_for_an_earlier_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state"
    assert rollout(state, InMemoryWorkload("v1")).run("v2").phase is RolloutPhase.HEALTHY
    assert in_process(capsys, "abort", "web", "--state", str(state))[0] == EXIT_OK

    assert rollout(state, InMemoryWorkload("v2")).run("v3").phase is RolloutPhase.HEALTHY
    assert not (state / "web.commands").exists()


def test_a_pause_queued_for_an_interrupted_rollout_holds_it_when_resumed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state, workload, router = tmp_path / "state", InMemoryWorkload("v1"), InMemoryRouter()
    first = rollout(state, workload, router=router)
    first.start("v2")
    first.advance()  # weight 20, then the 1m pause: the driver stops here (a crash, say)
    assert in_process(capsys, "pause", "web", "--state", str(state))[0] == EXIT_OK

    resumed = rollout(state, workload, router=router)
    resumed.start("v2")
    remote = RemoteControl(resumed)
    remote.poll()  # the resumed driver's first look at the store applies the queued pause
    assert isinstance(resumed.clock, FakeClock)
    resumed.clock.advance(3600)  # the 1m pause step is long over ...
    resumed.advance()
    assert resumed.status is not None and resumed.status.paused  # ... but the rollout is held
    assert router.history == [20] and resumed.status.step_index == 1
    code, out, _ = in_process(capsys, "status", "web", "--watch=false", "--state", str(state))
    assert (code, out) == (EXIT_OK, "Paused - manually paused\n")


def test_retry_without_a_driver_marks_the_rolled_back_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state, workload = tmp_path / "state", InMemoryWorkload("v1")
    first = rollout(state, workload, [SetWeight(20), Pause()])
    first.start("v2")
    first.advance()
    first.abort("bad")
    clock = first.clock
    assert isinstance(clock, FakeClock)
    while (wake := first.advance()) is not None:
        clock.set(wake)
    code, out, _ = in_process(capsys, "status", "web", "--state", str(state))
    assert code == EXIT_FAILED
    assert out.splitlines()[-1] == (
        "The rollout is in a degraded state with message: "
        "RolloutAborted: Rollout aborted update to revision 2: bad"
    )
    code, out, _ = in_process(capsys, "status", "web", "--watch=false", "--state", str(state))
    assert (code, out.splitlines()[0]) == (
        EXIT_FAILED,
        "Degraded",
    )  # as Argo: Degraded is an error, watched or not
    code, out, _ = in_process(capsys, "retry", "web", "--state", str(state))
    assert (code, out) == (
        EXIT_OK,
        "rollout 'web' retried: the next rollout of 'v2' starts from its first step\n",
    )
    again = rollout(state, workload, [SetWeight(20)])
    assert again.run("v2").phase is RolloutPhase.HEALTHY


def test_undo_after_an_update_ended_promotes_the_previous_stable_without_steps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state, workload = tmp_path / "state", InMemoryWorkload("v1")
    assert rollout(state, workload).run("v2").phase is RolloutPhase.HEALTHY

    code, out, _ = in_process(capsys, "undo", "web", "--state", str(state))
    assert (code, out) == (
        EXIT_OK,
        "rollout 'web' undo: the next rollout of 'v1' is promoted without steps\n",
    )
    back = rollout(state, workload)
    back_router = back.router
    assert isinstance(back_router, InMemoryRouter)
    workload.events.clear()
    result = back.run("v1")
    assert (result.phase, result.version) == (RolloutPhase.HEALTHY, "v1")
    assert back_router.history == [] and workload.events == ["promote v1"]  # no canary, no steps

    code, out, _ = in_process(capsys, "undo", "web", "--state", str(state))
    assert (code, out) == (
        EXIT_OK,
        "rollout 'web' undo: the next rollout of 'v2' is promoted without steps\n",
    )
    assert rollout(state, workload).run("v3").version == "v3"  # only the previous stable is fast-tracked


def test_undo_of_a_first_deploy_says_there_is_nothing_to_go_back_to(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state"
    workload = InMemoryWorkload("v1")
    workload.stable_version = None  # type: ignore[assignment]  # a workload that cannot tell
    assert rollout(state, workload).run("v2").phase is RolloutPhase.HEALTHY
    code, _, err = in_process(capsys, "undo", "web", "--state", str(state))
    assert code == EXIT_ERROR and "does not say which version stable ran before 'v2'" in err


def test_status_get_and_list_read_the_state_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state"
    assert rollout(state, InMemoryWorkload("v1")).run("v2").phase is RolloutPhase.HEALTHY
    paused = Rollout(
        "api", [SetWeight(25), Pause()], InMemoryRouter(), InMemoryWorkload("a1"), state=FileStateStore(state)
    )
    paused.start("a2")
    paused.advance()

    code, out, _ = in_process(capsys, "list", "rollouts", "--state", str(state))
    assert code == EXIT_OK
    assert out.splitlines() == [
        "NAME  STRATEGY  STATUS   STEP  SET-WEIGHT  ACTUAL-WEIGHT  VERSION",
        "api   Canary    Paused   1/2   25          25             a2",
        "web   Canary    Healthy  3/3   100         0              v2",
    ]
    assert in_process(capsys, "list", "--name", "api", "--state", str(state))[1].count("\n") == 2
    for words in (["get", "web"], ["get", "rollout", "web"]):
        code, out, _ = in_process(capsys, *words, "--state", str(state))
        assert code == EXIT_OK and "Status:          ✔ Healthy" in out
        assert f"State:           {state}" in out and "  Step:          3/3" in out
    assert in_process(capsys, "status", "api", "--success-on-pause", "--state", str(state))[:2] == (
        EXIT_OK,
        "Paused - CanaryPauseStep\n",
    )
    code, out, _ = in_process(capsys, "status", "api", "--no-watch", "--state", str(state))
    assert (code, out) == (EXIT_OK, "Paused - CanaryPauseStep\n")
    code, out, _ = in_process(
        capsys, "status", "api", "--timeout", "0s", "--watch=false", "--state", str(state)
    )
    assert (code, out) == (EXIT_OK, "Paused - CanaryPauseStep\n")


def test_list_of_an_empty_directory_and_bad_state_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = in_process(capsys, "list", "--state", str(tmp_path / "none"))
    assert (code, out, err) == (EXIT_OK, "", "No resources found.\n")
    code, _, err = in_process(capsys, "promote", "web", "--state", str(tmp_path))
    assert code == EXIT_ERROR and f"no rollout 'web' in {tmp_path}" in err
    code, _, err = in_process(capsys, "get", "deployment", "web", "--state", str(tmp_path))
    assert code == EXIT_USAGE and "expected `get NAME` or `get rollout NAME`" in err
    code, _, err = in_process(capsys, "status", "web", "--state", str(tmp_path), "--kubeconfig", "k")
    assert code == EXIT_USAGE and "--state selects a state directory" in err
    (tmp_path / "plain").write_text("x")
    code, _, err = in_process(capsys, "list", "--state", str(tmp_path / "plain"))
    assert code == EXIT_USAGE and "is neither a state directory nor a NAME.json record" in err


def test_a_record_written_before_pause_and_undo_existed_still_resumes(tmp_path: Path) -> None:
    state, workload, router = tmp_path / "state", InMemoryWorkload("v1"), InMemoryRouter()
    first = rollout(state, workload, router=router)
    first.start("v2")
    first.advance()
    path = FileStateStore(state).path("web")
    record = json.loads(path.read_text())
    for added in ("paused", "stable_version", "undo_requested"):
        del record[added]
    path.write_text(json.dumps(record))

    resumed = rollout(state, workload, router=router)
    resumed.start("v2")
    assert resumed.status is not None and resumed.status.step_index == 1
    assert (resumed.status.paused, resumed.status.stable_version) == (False, "")

"""A rollout driven by canarykit.testing parts notifies a real HTTP server through apprise's json:// URLs."""

from __future__ import annotations

import logging
import socket
from typing import Any

import pytest
from webhook_support import FAILING_PATH, closed_port, webhook_server

from canarykit import BackgroundAnalysis, Metric, Rollout, RolloutPhase
from canarykit.notify import Notifier, Subscription
from canarykit.rollout import events as ev
from canarykit.rollout.result import RolloutResult
from canarykit.steps import Pause, SetWeight, Step
from canarykit.testing import FakeClock, InMemoryRouter, InMemoryWorkload, ScriptedProvider

STEPS: list[Step] = [SetWeight(20), Pause("1m"), SetWeight(60)]
ARGO_MESSAGE = 'Metric "success-rate" assessed Failed due to failed (4) > failureLimit (3)'
SECRET = "s3cr3t-token"


def failing_analysis() -> BackgroundAnalysis:
    metric = Metric(
        "success-rate",
        ScriptedProvider([[0.85]]),
        "q",
        "10s",
        failure_limit=3,
        success_condition="result[0] > 0.90",
    )
    return BackgroundAnalysis([metric], starting_step=1)


def rollout_of(analysis: BackgroundAnalysis | None = None, **options: Any) -> Rollout:
    router, workload = InMemoryRouter(), InMemoryWorkload("blue")
    return Rollout("web", STEPS, router, workload, analysis=analysis, clock=FakeClock(), **options)


def run_notified(notifier: Notifier, analysis: BackgroundAnalysis | None = None) -> RolloutResult:
    rollout = rollout_of(analysis)
    notifier.attach(rollout)
    result = rollout.run("green", handle_signals=False)
    assert notifier.close()
    return result


def test_an_aborted_rollout_sends_one_aborted_message_naming_metric_value_and_condition() -> None:
    with webhook_server() as hooks:
        notifier = Notifier(
            [
                Subscription(f"{hooks.base}/aborted", ["on-rollout-aborted"]),
                Subscription(f"{hooks.base}/steps", ["on-rollout-step-completed"]),
            ]
        )
        result = run_notified(notifier, failing_analysis())

    assert result.phase is RolloutPhase.DEGRADED
    [aborted] = hooks.at("/aborted")
    assert aborted.title == "Rollout web has been aborted."
    assert aborted.payload["type"] == "failure"
    assert aborted.message.splitlines() == [
        'Metric: "success-rate" of analysis "web-2" assessed Failed',
        "Value: [0.85]",
        'Condition: successCondition "result[0] > 0.90" not met',
        "Limit: failed (4) > failureLimit (3)",
        "Canary weight: 20",
        "Message: Rollout aborted update to revision 2: Background analysis phase error/failed: "
        + ARGO_MESSAGE,
    ]
    [step] = hooks.at("/steps")  # aborted during the pause: only the first step completed
    assert step.title == "Rollout web step number 1/3 has been completed."
    assert step.message == "Step completed: 1/3: SetWeight(20)\nCanary weight: 20"
    assert (notifier.sent, notifier.failed) == (2, 0)


def test_a_healthy_rollout_tells_each_trigger_in_order_with_one_based_steps_and_weights() -> None:
    triggers = [
        "on-rollout-updated",
        "on-rollout-step-completed",
        "on-rollout-paused",
        "on-rollout-completed",
    ]
    with webhook_server() as hooks:
        result = run_notified(Notifier([Subscription(f"{hooks.base}/all", triggers)]))

    assert result.healthy
    received = hooks.at("/all")
    assert [item.title for item in received] == [
        "Rollout web has been updated.",
        "Rollout web step number 1/3 has been completed.",
        "Rollout web has been paused.",
        "Rollout web step number 2/3 has been completed.",
        "Rollout web step number 3/3 has been completed.",
        "Rollout web has been completed.",
    ]
    assert received[0].message == "Version: green\nSteps: 3"
    assert received[2].message == "Reason: CanaryPauseStep\nCanary weight: 20"
    assert received[3].message == "Step completed: 2/3: Pause('1m')\nCanary weight: 20"
    assert received[4].message == "Step completed: 3/3: SetWeight(60)\nCanary weight: 60"
    assert (received[5].message, received[5].payload["type"]) == ("Version: green", "success")


def test_analysis_run_triggers_fire_once_running_then_failed_with_the_reason() -> None:
    triggers = ["on-analysis-run-running", "on-analysis-run-failed", "on-analysis-run-error"]
    with webhook_server() as hooks:
        run_notified(Notifier([Subscription(f"{hooks.base}/analysis", triggers)]), failing_analysis())

    running, failed = hooks.at("/analysis")
    assert (running.title, running.message) == (
        "Rollout web's analysis run is running.",
        "Analysis run: web-2",
    )
    assert failed.title == "Rollout web's analysis run failed."
    assert failed.message.splitlines()[:4] == [
        "Analysis run: web-2",
        "Phase: Failed",
        'Metric: "success-rate" of analysis "web-2" assessed Failed',
        "Value: [0.85]",
    ]


def test_as_a_plain_on_event_listener_the_abort_still_names_metric_and_value() -> None:
    with webhook_server() as hooks:
        notifier = Notifier([Subscription(f"{hooks.base}/aborted", ["on-rollout-aborted"])])
        result = rollout_of(failing_analysis(), on_event=notifier).run("green", handle_signals=False)
        assert notifier.close()

    assert result.phase is RolloutPhase.DEGRADED
    [aborted] = hooks.at("/aborted")
    assert aborted.message.splitlines()[:2] == ['Metric: "success-rate" assessed Failed', "Value: [0.85]"]


def test_attached_and_on_event_at_once_sends_each_message_once() -> None:
    with webhook_server() as hooks:
        notifier = Notifier([Subscription(f"{hooks.base}/aborted", ["on-rollout-aborted"])])
        rollout = rollout_of(failing_analysis(), on_event=notifier)
        notifier.attach(rollout).close()  # a close with nothing queued is immediate
        rollout.run("green", handle_signals=False)
        assert notifier.close()

    assert len(hooks.at("/aborted")) == 1


def test_failing_services_are_warnings_without_secrets_and_the_rollout_ends_as_it_would(
    caplog: pytest.LogCaptureFixture,
) -> None:
    without = rollout_of(failing_analysis()).run("green", handle_signals=False)
    with webhook_server() as hooks:
        broken = f"json://user:{SECRET}@127.0.0.1:{hooks.server.server_address[1]}{FAILING_PATH}/{SECRET}"
        down = f"jsons://127.0.0.1:{closed_port()}/{SECRET}"
        notifier = Notifier(
            [Subscription(broken, ["on-rollout-aborted"]), Subscription(down, ["on-rollout-aborted"], "ops")]
        )
        with caplog.at_level(logging.DEBUG):
            result = run_notified(notifier, failing_analysis())

    assert (result.phase, result.message, result.weight_history) == (
        without.phase,
        without.message,
        without.weight_history,
    )
    assert len(hooks.at(f"{FAILING_PATH}/{SECRET}")) == 1  # the 500 was really asked for
    warnings = [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]
    refused = "not sent: the service refused it or did not answer"
    assert warnings == [
        f"web: notification on-rollout-aborted to json:// {refused}",
        f"web: notification on-rollout-aborted to ops (jsons://) {refused}",
    ]
    assert not [record for record in caplog.records if SECRET in record.getMessage()]
    assert (notifier.sent, notifier.failed) == (0, 2)


def test_a_service_that_never_answers_holds_nothing_up(caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as silent:  # accepts connections (the backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"json://127.0.0.1:{silent.getsockname()[1]}/hook"
        notifier = Notifier([Subscription(url, ["on-rollout-aborted"])], timeout="30s")
        rollout = rollout_of(failing_analysis())
        notifier.attach(rollout)
        result = rollout.run("green", handle_signals=False)  # returns with the send still waiting

        assert result.phase is RolloutPhase.DEGRADED
        assert notifier.close(timeout=0.2) is False
    assert "notifications: gave up waiting after 0.2s; the rest are not sent" in caplog.text


def test_each_subscription_hears_only_its_triggers() -> None:
    with webhook_server() as hooks:
        run_notified(Notifier([Subscription(f"{hooks.base}/done", ["on-rollout-completed"])]))
    assert [item.title for item in hooks.received] == ["Rollout web has been completed."]


def test_an_abort_by_hand_says_who_aborted() -> None:
    with webhook_server() as hooks:
        notifier = Notifier([Subscription(f"{hooks.base}/aborted", ["on-rollout-aborted"])])
        rollout = rollout_of()
        notifier.attach(rollout)

        def abort_at_the_pause(event: ev.Event) -> None:
            if isinstance(event, ev.Paused):
                rollout.abort("error budget spent, says Kim")

        rollout.add_listener(abort_at_the_pause)
        result = rollout.run("green", handle_signals=False)
        assert notifier.close()

    assert result.phase is RolloutPhase.DEGRADED
    [aborted] = hooks.at("/aborted")
    assert aborted.message.splitlines() == [
        "Aborted by: error budget spent, says Kim",
        "Canary weight: 20",
        "Message: Rollout aborted update to revision 2: error budget spent, says Kim",
    ]

"""Subscriptions checked before anything moves, and read from Argo's subscribe annotations."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from canarykit.argo import load
from canarykit.errors import SpecError, UnsupportedFeature
from canarykit.notify import TRIGGERS, Notifier, Subscription, annotations_of, subscriptions_from_annotations

DATA = Path(__file__).parent.parent / "data"
SLACK = "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ"
ARGO_TRIGGERS = [
    "on-rollout-completed",
    "on-rollout-step-completed",
    "on-rollout-updated",
    "on-rollout-paused",
    "on-rollout-aborted",
    "on-analysis-run-running",
    "on-analysis-run-failed",
    "on-analysis-run-error",
    "on-scaling-replica-set",
]


def test_every_built_in_argo_trigger_is_accepted() -> None:
    assert set(ARGO_TRIGGERS) <= set(TRIGGERS)
    assert Subscription("json://127.0.0.1/x", ARGO_TRIGGERS[:-1]).triggers == tuple(ARGO_TRIGGERS[:-1])


def test_an_unknown_trigger_is_refused_listing_the_valid_ones() -> None:
    with pytest.raises(SpecError) as refused:
        Subscription("json://127.0.0.1/x", ["on-rollout-aborted", "on-rollout-done"])
    assert "unknown trigger 'on-rollout-done'; valid triggers: on-rollout-updated, " in str(refused.value)
    assert all(name in str(refused.value) for name in ARGO_TRIGGERS)
    with pytest.raises(SpecError, match="name at least one trigger"):
        Subscription("json://127.0.0.1/x", [])
    assert Subscription("json://127.0.0.1/x", "on-rollout-aborted").triggers == ("on-rollout-aborted",)


def test_a_trigger_canarykit_never_fires_is_accepted_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    Subscription("json://127.0.0.1/x", ["on-scaling-replica-set"])
    assert "on-scaling-replica-set is accepted but never fires in canarykit" in caplog.text


@pytest.mark.parametrize("url", [SLACK[:20], "nosuch://s3cr3t-token@host", "s3cr3t-token"])
def test_a_url_apprise_cannot_use_is_refused_without_its_token(
    url: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG), pytest.raises(SpecError) as refused:
        Notifier([Subscription(url, ["on-rollout-aborted"])])
    assert "apprise cannot use " in str(refused.value) and "(unknown service, or a token missing" in str(
        refused.value
    )
    secret = url.split("://")[-1]
    assert secret not in str(refused.value) and secret not in caplog.text
    assert url not in repr(Subscription("json://x/" + secret, ["on-rollout-aborted"]))


def test_every_service_apprise_knows_is_accepted() -> None:
    urls = [
        SLACK,
        "workflows://prod-10.westus.logic.azure.com:443/abc123/def456/",
        "gchat://workspace/key/token",
        "discord://1234567/abcdefghij",
        "jsons://hooks.example.com/deploys",
        "mailto://user:password@example.com",
    ]
    notifier = Notifier([Subscription(url, ["on-rollout-aborted"]) for url in urls])
    assert [subscription.label for subscription in notifier.subscriptions] == [
        "slack",
        "workflows",
        "gchat",
        "discord",
        "jsons",
        "mailto",
    ]


def test_bad_timeouts_are_refused() -> None:
    with pytest.raises(SpecError, match="timeout must be > 0"):
        Notifier([], timeout=0)
    with pytest.raises(SpecError):
        Notifier([], close_timeout="soon")


def test_annotations_subscribe_a_trigger_to_a_configured_service() -> None:
    annotations = {
        "notifications.argoproj.io/subscribe.on-rollout-aborted.slack": "deploys;oncall",
        "notifications.argoproj.io/subscribe.on-rollout-completed.slack": "deploys",
        "notifications.argoproj.io/subscribe.on-rollout-aborted.hook": "",
        "team": "payments",
    }
    services = {"slack": SLACK + "/#{recipient}", "hook": "json://127.0.0.1:8080/deploys"}
    found = subscriptions_from_annotations(annotations, services)
    assert [(s.url, s.triggers, s.name) for s in found] == [
        (SLACK + "/#deploys", ("on-rollout-aborted", "on-rollout-completed"), "slack"),
        (SLACK + "/#oncall", ("on-rollout-aborted",), "slack"),
        ("json://127.0.0.1:8080/deploys", ("on-rollout-aborted",), "hook"),
    ]


def test_annotations_of_a_loaded_rollout(tmp_path: Path) -> None:
    text = (DATA / "rollout.yaml").read_text()
    key = "notifications.argoproj.io/subscribe.on-rollout-step-completed.teams"
    path = tmp_path / "rollout.yaml"
    path.write_text(
        text.replace("  name: canary-demo\n", f"  name: canary-demo\n  annotations:\n    {key}: ''\n", 1)
    )
    spec = load(str(path), str(DATA / "analysis-template.yaml"))
    assert annotations_of(spec) == {key: ""}
    [teams] = subscriptions_from_annotations(spec, {"teams": "workflows://host:443/a/b/"})
    assert (teams.name, teams.triggers) == ("teams", ("on-rollout-step-completed",))


@pytest.mark.parametrize(
    ("key", "services", "expected"),
    [
        (
            "subscribe.on-rollout-aborted.teams",
            {"slack": SLACK},
            "service 'teams' has no URL (configured: slack)",
        ),
        ("subscribe.on-rollout-gone.slack", {"slack": SLACK}, "unknown trigger 'on-rollout-gone'; valid"),
        ("subscribe.slack", {"slack": SLACK}, "name a trigger and a service"),
        ("subscribe.on-rollout-aborted.slack", {"slack": SLACK + "/#{recipient}"}, "name one (or several"),
    ],
)
def test_bad_annotations_are_refused_naming_the_annotation(
    key: str, services: dict[str, str], expected: str
) -> None:
    with pytest.raises(SpecError) as refused:
        subscriptions_from_annotations({f"notifications.argoproj.io/{key}": ""}, services)
    assert expected in str(refused.value)
    assert f"metadata.annotations.notifications.argoproj.io/{key}" in str(refused.value)


def test_the_yaml_subscription_annotation_is_refused_as_unsupported() -> None:
    with pytest.raises(UnsupportedFeature, match=r"subscribe\.<trigger>\.<service>"):
        subscriptions_from_annotations({"notifications.argoproj.io/subscribe_yaml": "- trigger: []"}, {})


def test_a_service_url_apprise_cannot_use_names_the_service_not_its_token() -> None:
    annotations = {"notifications.argoproj.io/subscribe.on-rollout-aborted.chat": ""}
    subscriptions = subscriptions_from_annotations(annotations, {"chat": "slack://s3cr3t-token"})
    with pytest.raises(SpecError) as refused:
        Notifier(subscriptions)
    assert "apprise cannot use the slack:// URL of service 'chat'" in str(refused.value)
    assert "s3cr3t-token" not in str(refused.value)


def test_apprise_is_imported_only_for_a_notifier_and_its_absence_names_the_extra() -> None:
    script = (
        "import sys\n"
        "import canarykit.notify, canarykit.cli.main\n"
        "assert 'apprise' not in sys.modules\n"
        "sys.modules['apprise'] = None  # as if it were not installed\n"
        "from canarykit.errors import MissingDependency\n"
        "from canarykit.notify import Notifier, Subscription\n"
        "try:\n"
        "    Notifier([Subscription('json://127.0.0.1/x', ['on-rollout-aborted'])])\n"
        "except MissingDependency as missing:\n"
        "    print(missing)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "notifications need apprise: pip install 'canarykit[notify]'"

"""`canarykit plan` and `canarykit lint` on blue-green Rollouts (argo-rollouts' examples, our copies)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from cli_support import in_process

from canarykit.cli.exit_codes import EXIT_OK

DATA = Path(__file__).parent.parent / "data" / "argo" / "bluegreen"
SMOKE_TESTS = str(DATA / "smoke-tests.yaml")
EXIT_SPEC = 3


def rollout_document() -> dict[str, Any]:
    """The Rollout of argo-rollouts' example (the file also holds its two Services)."""
    documents = yaml.safe_load_all((DATA / "rollout-bluegreen.yaml").read_text())
    return next(document for document in documents if document["kind"] == "Rollout")


def plan(capsys: pytest.CaptureFixture[str], *files: str) -> list[str]:
    arguments = [part for name in files for part in ("-f", name)]
    code, out, err = in_process(capsys, "plan", *arguments)
    assert (code, err) == (EXIT_OK, "")
    return out.splitlines()


def test_manual_gate_example(capsys: pytest.CaptureFixture[str]) -> None:
    lines = plan(capsys, str(DATA / "rollout-bluegreen.yaml"))
    assert lines[1].index("ends at") == lines[2].rindex(" 0s") + 1 == lines[3].rindex("until promoted")
    assert [" ".join(line.split()) for line in lines] == [
        "Rollout rollout-bluegreen: blue-green, active rollout-bluegreen-active, preview "
        "rollout-bluegreen-preview; 2 replicas",
        "# phase ends at",
        "1 new version up beside the active one, 2 replicas; preview rollout-bluegreen-preview -> it 0s",
        "2 pause until promoted (autoPromotionEnabled: false) until promoted",
        "3 active switch: rollout-bluegreen-active -> the new version (all traffic) 0s+?",
        "4 old version scaled down after 30s (scaleDownDelaySeconds) 30s+?",
        "total: 30s plus the time until promoted, then the release is complete",
        "abort: active back to the old version at once; the new version (still on the preview) removed "
        "after 30s (abortScaleDownDelaySeconds)",
    ]


def test_pre_promotion_analysis_shows_its_templates_and_schedule(capsys: pytest.CaptureFixture[str]) -> None:
    lines = [" ".join(line.split()) for line in plan(capsys, str(DATA / "pre-promotion.yaml"), SMOKE_TESTS)]
    assert lines[1:] == [
        "# phase ends at",
        "1 new version up beside the active one, 2 replicas; preview preview-svc -> it 0s",
        "2 pre-promotion analysis smoke-tests (success-rate: 3 x every 30s) 1m",
        "3 no pause: promoted once the new version is ready (autoPromotionEnabled) 1m",
        "4 active switch: active-svc -> the new version (all traffic) 1m",
        "5 old version scaled down after 30s (scaleDownDelaySeconds) 1m30s",
        "total: 1m30s, then the release is complete",
        "abort: active back to the old version at once; the new version (still on the preview) removed after "
        "30s (abortScaleDownDelaySeconds)",
    ]


def test_post_promotion_analysis_comes_after_the_switch(capsys: pytest.CaptureFixture[str]) -> None:
    lines = [" ".join(line.split()) for line in plan(capsys, str(DATA / "post-promotion.yaml"), SMOKE_TESTS)]
    assert lines[4:7] == [
        "3 active switch: active-svc -> the new version (all traffic) 0s",
        "4 post-promotion analysis smoke-tests (success-rate: 3 x every 30s) 1m",
        "5 old version scaled down after 10m (scaleDownDelaySeconds) 11m",
    ]


def test_auto_promotion_seconds_preview_count_and_never_removed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    document = rollout_document()
    document["spec"]["strategy"]["blueGreen"] = {
        "activeService": "web",
        "autoPromotionSeconds": 90,
        "previewReplicaCount": 1,
        "scaleDownDelaySeconds": 0,
        "abortScaleDownDelaySeconds": 0,
    }
    path = tmp_path / "rollout.yaml"
    path.write_text(yaml.safe_dump(document))
    out = "\n".join(plan(capsys, str(path)))
    assert "blue-green, active web, no preview service; 2 replicas" in out
    assert "1 of 2 replicas (previewReplicaCount), scaled to 2 before the switch" in out
    assert "pause 1m30s, then promoted automatically (autoPromotionSeconds)" in out
    assert "old version scaled down at once" in out
    assert out.endswith(
        "total: 1m30s, then the release is complete\n"
        "abort: active back to the old version at once; the new version kept, never removed "
        "(abortScaleDownDelaySeconds 0)"
    )


def test_detection_flags_are_refused_for_blue_green(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = in_process(
        capsys,
        "plan",
        "-f",
        str(DATA / "rollout-bluegreen.yaml"),
        *("--traffic", "10", "--baseline-error", "0.01", "--detect", "2"),
    )
    assert (code, out) == (EXIT_SPEC, "")
    assert "a blue-green Rollout sends the new version all traffic or none" in err


def test_invalid_blue_green_exits_3_with_its_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    document = rollout_document()
    document["spec"]["strategy"]["blueGreen"]["previewService"] = "rollout-bluegreen-active"
    path = tmp_path / "rollout.yaml"
    path.write_text(yaml.safe_dump(document))
    code, out, err = in_process(capsys, "plan", "-f", str(path))
    assert (code, out) == (EXIT_SPEC, "")
    assert "spec.strategy.activeService: This rollout uses the same service for the active and preview" in err


@pytest.mark.parametrize(
    "files",
    [
        ("rollout-bluegreen.yaml",),
        ("e2e-rollout-bluegreen.yaml",),
        ("pre-promotion.yaml", "smoke-tests.yaml"),
        ("post-promotion.yaml", "smoke-tests.yaml"),
    ],
)
def test_lint_accepts_the_blue_green_examples(
    capsys: pytest.CaptureFixture[str], files: tuple[str, ...]
) -> None:
    arguments = [part for name in files for part in ("-f", str(DATA / name))]
    code, out, err = in_process(capsys, "lint", *arguments)
    assert (code, err) == (EXIT_OK, "")
    assert out.startswith("OK: Rollout ")


def test_lint_names_a_missing_promotion_template(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = in_process(capsys, "lint", "-f", str(DATA / "pre-promotion.yaml"))
    assert code == 1
    where = "spec.strategy.blueGreen.prePromotionAnalysis.templates[0].templateName"
    assert f'{where}: AnalysisTemplate "smoke-tests" not found' in out

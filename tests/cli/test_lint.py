"""`canarykit lint -f ...`: every error of every file, with file, document and path; exit 1 on errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from canarykit.cli.main import EXIT_FAILED, EXIT_OK, EXIT_USAGE, main

DATA = Path(__file__).parent.parent / "data"
ROLLOUT, TEMPLATE = str(DATA / "rollout.yaml"), str(DATA / "analysis-template.yaml")

BAD_TEMPLATES = """\
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: rate}
spec:
  metrics:
    - name: rate
      interval: 10q
      provider: {prometheus: {address: "http://p:9090", query: up}}
---
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: other}
spec:
  metrics:
    - name: x
      bogus: 1
      provider: {prometheus: {address: "http://p:9090", query: up}}
"""

SECRET_TEMPLATE = """\
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: success-rate}
spec:
  args:
    - name: ingress
    - name: token
      valueFrom: {secretKeyRef: {name: prometheus-token, key: token}}
  metrics:
    - name: success-rate
      interval: 10s
      successCondition: result[0] > 0.90
      provider:
        prometheus:
          address: http://prometheus:9090
          query: sum(rate(requests{ingress="{{args.ingress}}"}[1m]))
          headers: [{key: Authorization, value: "Bearer {{args.token}}"}]
"""


def lint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    code = main(["lint", *args])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


def test_a_clean_rollout_and_template_exit_0_naming_what_was_checked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = lint(capsys, "-f", ROLLOUT, "-f", TEMPLATE)
    assert (code, err) == (EXIT_OK, "")
    assert out == [f'OK: Rollout "canary-demo" ({ROLLOUT}), AnalysisTemplate "success-rate" ({TEMPLATE})']


def test_errors_of_every_file_and_document_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "templates.yaml"
    bad.write_text(BAD_TEMPLATES)
    rollout = tmp_path / "rollout.yaml"
    rollout.write_text(Path(ROLLOUT).read_text().replace("setWeight: 40", "setWeight: 150"))
    code, out, err = lint(capsys, "-f", str(rollout), "-f", str(bad), "-f", str(tmp_path / "missing.yaml"))
    assert (code, err) == (EXIT_FAILED, "")
    assert out[0].startswith(f'{rollout}: Rollout "canary-demo": spec.strategy.canary.steps[2].setWeight: ')
    assert "150" in out[0]
    assert out[1].startswith(f'{bad}: AnalysisTemplate "rate": spec.metrics[0]: ')
    assert 'unknown unit "q"' in out[1]
    assert out[2] == f'{bad}: AnalysisTemplate "other": spec.metrics[0].bogus: unknown field'
    assert out[3] == f"cannot read {tmp_path / 'missing.yaml'}: No such file or directory"
    assert out[4] == f"4 errors in {rollout}, {bad}, {tmp_path / 'missing.yaml'}"


def test_a_rollout_without_its_template_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = lint(capsys, "-f", ROLLOUT)
    assert code == EXIT_FAILED
    assert out == [
        f'{ROLLOUT}: Rollout "canary-demo": spec.strategy.canary.analysis.templates[0].templateName: '
        'AnalysisTemplate "success-rate" not found',
        f"1 error in {ROLLOUT}",
    ]


def test_a_template_alone_is_checked_as_analyze_loads_it(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = lint(capsys, "-f", TEMPLATE)
    assert code == EXIT_FAILED
    assert (
        out[0] == f'{TEMPLATE}: AnalysisTemplate "success-rate": spec.args[0]: args.ingress was not resolved'
    )
    code, out, _ = lint(capsys, "-f", TEMPLATE, "--arg", "ingress=shop")
    assert (code, out) == (EXIT_OK, [f'OK: AnalysisTemplate "success-rate" ({TEMPLATE})'])


def test_secret_args_need_no_cluster_to_lint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`canarykit rollout` reads the Secret from the cluster; lint checks the rest with a stand-in value."""
    template = tmp_path / "template.yaml"
    template.write_text(SECRET_TEMPLATE)
    code, out, _ = lint(capsys, "-f", ROLLOUT, "-f", str(template))
    assert code == EXIT_OK, out
    assert main(["plan", "-f", ROLLOUT, "-f", str(template)]) != EXIT_OK  # plan, without a cluster, refuses
    assert "needs a cluster" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["-f", ROLLOUT, "-f", TEMPLATE, "--arg", "ingress=x"],
            "--arg is for templates linted without a Rollout",
        ),
        (["-f", TEMPLATE, "--arg", "ingress"], "--arg 'ingress': expected NAME=VALUE"),
        ([], "the following arguments are required: -f/--filename"),
    ],
)
def test_bad_usage_exits_3(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = lint(capsys, *args)
    assert (code, out) == (EXIT_USAGE, [])
    assert message in err

"""Shapes Kubernetes would refuse (a scalar where a mapping belongs) are `SpecError`s naming their path."""

from __future__ import annotations

from pathlib import Path

import pytest

from canarykit import SpecError
from canarykit.argo import load, load_analysis_template

DATA = Path(__file__).parent.parent / "data"
ROLLOUT = (DATA / "rollout.yaml").read_text()
TEMPLATE = (DATA / "analysis-template.yaml").read_text()


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        (
            "    metadata:\n      labels:\n        app: canary-demo\n",
            "    metadata:\n      labels: oops\n",
            "labels",
        ),
        ("    metadata:\n      labels:\n        app: canary-demo\n", "    metadata: oops\n", "metadata"),
        ("      containers:\n", "      containers: [oops]\n      initContainers:\n", "spec.containers[0]"),
        ("          name: canary-demo\n", "          name: [canary-demo]\n", "spec.containers[0].name"),
    ],
)
def test_a_misshapen_pod_template_is_a_spec_error(old: str, new: str, path: str) -> None:
    with pytest.raises(SpecError) as caught:
        load(ROLLOUT.replace(old, new, 1), TEMPLATE)
    assert caught.value.path.startswith("spec.template.") and caught.value.path.endswith(path)


def test_template_labels_must_map_strings_to_strings() -> None:
    with pytest.raises(SpecError) as caught:
        load_analysis_template(TEMPLATE.replace("  name: success-rate\n", "  name: s\n  labels: oops\n", 1))
    assert caught.value.path == "metadata.labels"


@pytest.mark.parametrize(
    "match",
    ["[oops]", "[{headerName: x, headerValue: oops}]", "[{headerName: [x], headerValue: {exact: a}}]"],
)
def test_a_misshapen_header_route_is_a_spec_error(match: str) -> None:
    step = f"        - setHeaderRoute: {{name: h, match: {match}}}\n"
    with pytest.raises(SpecError) as caught:
        load(ROLLOUT.replace("      steps:\n", "      steps:\n" + step, 1), TEMPLATE)
    assert caught.value.path.startswith("spec.strategy.canary.steps[0].setHeaderRoute.match[0]")

"""No secret from a template in `repr()`, in a `SpecError`'s message or in its printed exception chain."""

from __future__ import annotations

import traceback
from pathlib import Path

import pytest

from canarykit import SpecError
from canarykit.argo import load, load_analysis_template
from canarykit.argo.models import without_password

DATA = Path(__file__).parent.parent / "data"
ROLLOUT = (DATA / "rollout.yaml").read_text()
SECRETS = ("Ж", "Zq", "Q9x", "tok-3f9a7c1e")
TEMPLATE = """
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: success-rate}
spec:
  args: [{name: ingress}]
  metrics:
    - name: p
      provider:
        prometheus:
          address: http://reader:Q9x@prometheus:9090
          query: up
          headers: [{key: X-Scope, value: Zq}]
          authentication: {basicAuth: {username: reader, password: Ж}}
    - name: w
      provider:
        web:
          url: http://127.0.0.1:1/health
          headers: [{key: Authorization, value: Bearer tok-3f9a7c1e}]
"""


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} leaked"


def test_repr_of_a_loaded_template_and_its_models_shows_no_secret() -> None:
    template = load_analysis_template(TEMPLATE)
    prometheus, web = (metric.provider for metric in template.spec.metrics)
    shown = [repr(template), str(template), repr(template.document), str(template.spec), repr(prometheus)]
    assert_no_secret("\n".join([*shown, repr(web), repr(load(ROLLOUT, TEMPLATE))]))
    assert "address='http://reader:***@prometheus:9090'" in repr(prometheus)
    assert "Header(key='X-Scope')" in repr(prometheus)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("[{key: X-Scope, value: Zq}]", "[{value: Zq}]"),
        ("password: Ж}", "password: [Ж]}"),
        ("value: Bearer tok-3f9a7c1e}]", "value: Bearer tok-3f9a7c1e, extra: Q9x}]"),
        ("username: reader, password: Ж}", 'username: reader, password: "Ж}'),
        ("password: Ж}", "password: Ж, password: Ж}"),
    ],
)
def test_a_spec_error_and_its_printed_chain_show_no_secret(old: str, new: str) -> None:
    assert old in TEMPLATE
    with pytest.raises(SpecError) as caught:
        load_analysis_template(TEMPLATE.replace(old, new))
    assert_no_secret(str(caught.value))
    assert_no_secret("".join(traceback.format_exception(caught.value)))


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http://u:p@h/a@b", "http://u:***@h/a@b"),
        ("u:p@h:1", "u:***@h:1"),
        ("http://h/?q=a:b@c", "http://h/?q=a:b@c"),
        ("http://u@h", "http://u@h"),
        ("http://a:b@c:d@h:1/p", "http://a:***@h:1/p"),
    ],
)
def test_without_password(url: str, shown: str) -> None:
    assert without_password(url) == shown

"""The corpus measurement's own parts (benchmarks/argo_corpus.py), on a small checkout made here."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus_fakes import document_at
from corpus_runs import References, examine
from corpus_sources import is_whole, read_corpus, routing_of
from corpus_world import world

TEMPLATE = """\
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: success-rate}
spec:
  args: [{name: service-name}]
  metrics:
  - name: success-rate
    interval: 1m
    count: 2
    successCondition: result[0] >= 0.95
    provider:
      prometheus:
        address: http://prometheus.example.com:9090
        query: sum(rate(requests{service="{{args.service-name}}"}[1m]))
"""

ROLLOUT = """\
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: demo}
spec:
  replicas: 2
  selector: {matchLabels: {app: demo}}
  template:
    metadata: {labels: {app: demo}}
    spec: {containers: [{name: demo, image: example/demo:1}]}
  strategy:
    canary:
      canaryService: demo-canary
      stableService: demo
      trafficRouting: {nginx: {stableIngress: demo}}
      steps:
      - setWeight: 20
      - pause: {}
      - analysis:
          templates: [{templateName: success-rate}]
          args: [{name: service-name, value: demo}]
"""

MARKDOWN = """\
Intro.

```yaml
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: fragment}
spec:
  ...
  strategy: {canary: {steps: [{setWeight: 5}]}}
```

```shell
kubectl apply -f rollout.yaml
```
"""


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A directory laid out as argo-rollouts is: examples/ and docs/."""
    (tmp_path / "examples").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "examples" / "rollout.yaml").write_text(ROLLOUT + "---\n" + TEMPLATE)
    (tmp_path / "docs" / "guide.md").write_text(MARKDOWN)
    return tmp_path


def test_reads_yaml_files_and_markdown_blocks(checkout: Path) -> None:
    corpus = read_corpus(checkout)
    assert [(d.label, d.kind) for d in corpus.documents] == [
        ("docs/guide.md#1", "Rollout"),
        ("examples/rollout.yaml", "Rollout"),
        ("examples/rollout.yaml", "AnalysisTemplate"),
    ]
    assert corpus.sources == 2  # the YAML file and the yaml block; the shell block is none
    fragment, rollout, template = corpus.documents
    assert fragment.elided and not is_whole(fragment)
    assert is_whole(rollout) and is_whole(template)
    assert routing_of(rollout.body) == "nginx"


def test_a_whole_nginx_rollout_and_its_template_load_and_run(checkout: Path) -> None:
    corpus = read_corpus(checkout)
    references = References(corpus.documents)
    with world(corpus.documents) as where:
        fragment, rollout, template = (examine(d, references, where) for d in corpus.documents)
    assert not fragment.loaded
    assert rollout.ran and rollout.phase == "Healthy" and rollout.promotions == 1
    assert rollout.measurements == {"Successful": 2}
    assert template.ran and template.phase == "Successful"


def test_web_stand_in_answers_one_at_the_json_path() -> None:
    assert document_at("{$.data[1].ok}") == {"data": [{"ok": 1.0}, {"ok": 1.0}]}
    assert document_at("{$}") == 1.0
    assert document_at("{.items[?(@.x)]}") == {}

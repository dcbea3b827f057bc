"""AnalysisTemplate and Rollout documents built from the vectors' specs, loaded as canarykit loads YAML."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from canarykit.argo import AnalysisTemplate, load_analysis_template


def template_document(spec: Mapping[str, Any], name: str = "conformance") -> dict[str, Any]:
    """An AnalysisTemplate with `spec`."""
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "AnalysisTemplate",
        "metadata": {"name": name},
        "spec": dict(spec),
    }


def load_template(spec: Mapping[str, Any], name: str = "conformance") -> AnalysisTemplate:
    """The AnalysisTemplate with `spec`, through `load_analysis_template` (YAML text)."""
    return load_analysis_template(yaml.safe_dump(template_document(spec, name), sort_keys=False))


def rollout_document(canary: Mapping[str, Any], name: str = "conformance") -> dict[str, Any]:
    """A Rollout with a valid selector and pod template, and `canary` as its canary strategy."""
    labels = {"app": name}
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "metadata": {"name": name},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": labels},
            "strategy": {"canary": dict(canary)},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": name, "image": f"example/{name}:1"}]},
            },
        },
    }


def documents_text(*documents: Mapping[str, Any]) -> str:
    """YAML text of several documents."""
    return yaml.safe_dump_all([dict(document) for document in documents], sort_keys=False)

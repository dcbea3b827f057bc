"""Argo Rollouts YAML (Rollout, AnalysisTemplate, ClusterAnalysisTemplate), validated before anything runs."""

from canarykit.argo.analysis_template import AnalysisTemplate, load_analysis_template
from canarykit.argo.rollout import BackgroundSpec, NginxRouting, RolloutSpec, load

__all__ = [
    "AnalysisTemplate",
    "BackgroundSpec",
    "NginxRouting",
    "RolloutSpec",
    "load",
    "load_analysis_template",
]

"""Argo Rollouts YAML (AnalysisTemplate, ClusterAnalysisTemplate), read and validated before anything runs."""

from canarykit.argo.analysis_template import AnalysisTemplate, load_analysis_template

__all__ = ["AnalysisTemplate", "load_analysis_template"]

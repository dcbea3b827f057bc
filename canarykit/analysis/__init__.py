"""From a metric definition to a verdict: evaluation, assessment and scheduling, as Argo does them."""

from canarykit.analysis.evaluate import ConditionLike, Outcome, evaluate_result
from canarykit.analysis.measurement import Measurement, MetricResult, MetricTally
from canarykit.analysis.metric import Metric
from canarykit.analysis.phases import Phase
from canarykit.analysis.result import AnalysisResult
from canarykit.analysis.run import ERROR_RETRY_INTERVAL, AnalysisRun

__all__ = [
    "ERROR_RETRY_INTERVAL",
    "AnalysisResult",
    "AnalysisRun",
    "ConditionLike",
    "Measurement",
    "Metric",
    "MetricResult",
    "MetricTally",
    "Outcome",
    "Phase",
    "evaluate_result",
]

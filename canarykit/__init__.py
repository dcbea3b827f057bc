"""canarykit: canary releases that judge themselves.

Shift traffic in steps, measure the canary while it runs, promote it when analysis holds and roll it back
when it does not. The core imports neither `kubernetes` nor the command line.
"""

from canarykit.analysis import (
    AnalysisResult,
    AnalysisRun,
    Measurement,
    Metric,
    MetricResult,
    Outcome,
    Phase,
    evaluate_result,
)
from canarykit.clock import Clock, ReplayClock, SystemClock
from canarykit.conditions import Condition, compile_condition
from canarykit.durations import parse_duration
from canarykit.errors import (
    ArgumentError,
    CanaryError,
    ConditionEvaluationError,
    ConditionSyntaxError,
    DurationError,
    ProviderError,
    SpecError,
    UnsupportedFeature,
)
from canarykit.providers import MetricProvider, Observation, PrometheusProvider, WebProvider

__version__ = "0.1.0"

__all__ = [
    "AnalysisResult",
    "AnalysisRun",
    "ArgumentError",
    "CanaryError",
    "Clock",
    "Condition",
    "ConditionEvaluationError",
    "ConditionSyntaxError",
    "DurationError",
    "Measurement",
    "Metric",
    "MetricProvider",
    "MetricResult",
    "Observation",
    "Outcome",
    "Phase",
    "PrometheusProvider",
    "ProviderError",
    "ReplayClock",
    "SpecError",
    "SystemClock",
    "UnsupportedFeature",
    "WebProvider",
    "compile_condition",
    "evaluate_result",
    "parse_duration",
]

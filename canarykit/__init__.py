"""canarykit: canary releases that judge themselves.

Shift traffic in steps, measure the canary while it runs, promote it when analysis holds and roll it back
when it does not. The core imports neither `kubernetes` nor the command line.

`import canarykit` loads only the exceptions; every other public name is imported on first use (`_EXPORTS`).
"""

from typing import TYPE_CHECKING

from canarykit._lazy import lazy_exports
from canarykit.errors import (
    AdoptionRefused,
    ArgumentError,
    AuditRecordError,
    CanaryError,
    ConditionEvaluationError,
    ConditionSyntaxError,
    DurationError,
    KubernetesError,
    MissingDependency,
    ProviderError,
    RollbackFailed,
    RoutingError,
    SpecError,
    StateError,
    StateLocked,
    UnexpectedError,
    UnsupportedFeature,
    WorkloadError,
)

if TYPE_CHECKING:
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
    from canarykit.conditions import Condition, Float64s, compile_condition
    from canarykit.durations import parse_duration
    from canarykit.judges import ErrorRateComparison, LatencyComparison, LowTraffic
    from canarykit.providers import (
        CommandProvider,
        DatadogProvider,
        MetricProvider,
        Observation,
        PrometheusProvider,
        WebProvider,
    )
    from canarykit.rollout import (
        BackgroundAnalysis,
        Rollout,
        RolloutAborted,
        RolloutPhase,
        RolloutResult,
        StateStore,
    )
    from canarykit.rollout.file_store import FileStateStore
    from canarykit.rollout.reason import JudgeFigures, RolloutReason
    from canarykit.traffic import PreviewRouter, TrafficRouter
    from canarykit.workload import Workload

_EXPORTS = {
    "canarykit.analysis": (
        "AnalysisResult",
        "AnalysisRun",
        "Measurement",
        "Metric",
        "MetricResult",
        "Outcome",
        "Phase",
        "evaluate_result",
    ),
    "canarykit.clock": (
        "Clock",
        "ReplayClock",
        "SystemClock",
    ),
    "canarykit.conditions": (
        "Condition",
        "Float64s",
        "compile_condition",
    ),
    "canarykit.durations": ("parse_duration",),
    "canarykit.judges": (
        "ErrorRateComparison",
        "LatencyComparison",
        "LowTraffic",
    ),
    "canarykit.providers": (
        "CommandProvider",
        "DatadogProvider",
        "MetricProvider",
        "Observation",
        "PrometheusProvider",
        "WebProvider",
    ),
    "canarykit.rollout": (
        "BackgroundAnalysis",
        "Rollout",
        "RolloutAborted",
        "RolloutPhase",
        "RolloutResult",
        "StateStore",
    ),
    "canarykit.rollout.file_store": ("FileStateStore",),
    "canarykit.rollout.reason": (
        "JudgeFigures",
        "RolloutReason",
    ),
    "canarykit.traffic": (
        "PreviewRouter",
        "TrafficRouter",
    ),
    "canarykit.workload": ("Workload",),
}

__version__ = "0.1.0"

__all__ = [
    "AdoptionRefused",
    "AnalysisResult",
    "AnalysisRun",
    "ArgumentError",
    "AuditRecordError",
    "BackgroundAnalysis",
    "CanaryError",
    "Clock",
    "CommandProvider",
    "Condition",
    "ConditionEvaluationError",
    "ConditionSyntaxError",
    "DatadogProvider",
    "DurationError",
    "ErrorRateComparison",
    "FileStateStore",
    "Float64s",
    "JudgeFigures",
    "KubernetesError",
    "LatencyComparison",
    "LowTraffic",
    "Measurement",
    "Metric",
    "MetricProvider",
    "MetricResult",
    "MissingDependency",
    "Observation",
    "Outcome",
    "Phase",
    "PreviewRouter",
    "PrometheusProvider",
    "ProviderError",
    "ReplayClock",
    "RollbackFailed",
    "Rollout",
    "RolloutAborted",
    "RolloutPhase",
    "RolloutReason",
    "RolloutResult",
    "RoutingError",
    "SpecError",
    "StateError",
    "StateLocked",
    "StateStore",
    "SystemClock",
    "TrafficRouter",
    "UnexpectedError",
    "UnsupportedFeature",
    "WebProvider",
    "Workload",
    "WorkloadError",
    "compile_condition",
    "evaluate_result",
    "parse_duration",
]

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

"""Judges that compare the canary with stable: sequential, valid at every look, as analysis metrics."""

from canarykit.judges.comparison import ErrorRateComparison, JudgeTemplate, SplitComparison
from canarykit.judges.history import HistoryInformedTest, StableHistory
from canarykit.judges.latency import LatencyComparison
from canarykit.judges.low_traffic import LowTraffic
from canarykit.judges.sequential import Decision, SequentialSplitTest, SplitCounts, Verdict

__all__ = [
    "Decision",
    "ErrorRateComparison",
    "HistoryInformedTest",
    "JudgeTemplate",
    "LatencyComparison",
    "LowTraffic",
    "SequentialSplitTest",
    "SplitComparison",
    "SplitCounts",
    "StableHistory",
    "Verdict",
]

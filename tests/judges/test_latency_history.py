"""`LatencyComparison(history=...)` judges slow requests against stable's history, as the error judge does."""

from __future__ import annotations

import pytest

from canarykit.errors import DurationError
from canarykit.judges import HistoryInformedTest, LatencyComparison, SequentialSplitTest, StableHistory


def test_the_latency_judge_takes_a_history_window() -> None:
    judge = LatencyComparison("http://127.0.0.1:9", ingress="web", slower_than=0.5, history="1h")
    assert judge.history_seconds == 3600.0
    assert isinstance(judge.new_test(StableHistory(36_000, 180, 3600)), HistoryInformedTest)
    assert isinstance(judge.new_test(StableHistory(0, 0, 3600)), SequentialSplitTest)  # no stable traffic


def test_a_bad_history_window_is_refused_when_the_judge_is_built() -> None:
    with pytest.raises(DurationError, match="history"):
        LatencyComparison("http://127.0.0.1:9", ingress="web", slower_than=0.5, history="-1h")

"""Blue-green against the real Prometheus's reference history: the preview is judged in the healthy
window, the BlueGreenPause lasts into the failing one, so post-promotion analysis fails on real data.

The failure must switch the active side back with one router call and exactly one nginx reload, after
which 100 real requests through the active port all reach stable.
"""

from __future__ import annotations

from bluegreen_setup import ROLLED_BACK, switched_back
from driver_config import AnalysisConfig, BlueGreenConfig
from fault_lab import Lab
from fault_outcome import Case
from reference_history import FAILING_START, HEALTHY_START, SUCCESS_RATE_QUERY

INTO_WINDOW = 600.0
"""Seconds into a window where the analyses query (past the query's 60 s rate window)."""


def success_rate(lab: Lab) -> AnalysisConfig:
    """The reference success rate must be at least 0.9: 0.95 in the healthy window, 0.8 in the failing."""
    return AnalysisConfig(lab.prometheus, query=SUCCESS_RATE_QUERY, success="result[0] >= 0.9", count=2)


def failing_post_promotion(lab: Lab) -> float:
    (lab.root / "clock").write_text(repr(HEALTHY_START + INTO_WINDOW))  # the drivers' shared clock
    bluegreen = BlueGreenConfig(
        pre=success_rate(lab),
        post=success_rate(lab),
        auto_promotion_seconds=FAILING_START - HEALTHY_START,
    )
    assert lab.run(bluegreen=bluegreen) == 0, lab.drivers[-1].log()
    phases = [entry["phase"] for entry in lab.entries(event="MeasurementTaken")]
    assert phases == ["Successful", "Successful", "Failed", "Failed"], phases
    record = lab.record()
    assert record is not None
    assert record["abort_message"].startswith("Blue/green post-promotion analysis phase error/failed: ")
    back = switched_back(lab)
    until = next(position for position, entry in enumerate(back) if entry["event"] == "RolledBack")
    moves = [entry for entry in back[:until] if entry["event"] in ("set", "reload", "preview")]
    assert [entry["event"] for entry in moves] == ["set", "reload"], moves  # one router call, one reload
    assert moves[0]["weight"] == 0
    lab.assert_serves(0)  # 100 requests through the active port, all stable
    return float(back[0]["mono"])


CASES = [Case("blue-green post-promotion analysis failing on real data", failing_post_promotion, ROLLED_BACK)]

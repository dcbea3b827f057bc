"""The indifference zone (`pass_ratio`, `fail_ratio`): validation, grids, verdicts on hand-made counts."""

from __future__ import annotations

import math

import pytest

from canarykit.errors import SpecError
from canarykit.judges import ErrorRateComparison, LatencyComparison
from canarykit.judges.sequential import (
    FAIL_RATIO,
    GRID_SIZE,
    MAX_RATIO,
    PASS_RATIO,
    ZONE_GRID_SIZE,
    ZONE_MAX_EFFECT,
    SequentialSplitTest,
    SplitCounts,
    Verdict,
)

PROM = "http://127.0.0.1:9"  # never queried: the judges only build their test here

BAD_ZONES: list[tuple[dict[str, object], str]] = [
    ({"pass_ratio": 1.0}, "go together"),
    ({"fail_ratio": 2.0}, "go together"),
    ({"pass_ratio": 2.0, "fail_ratio": 1.5}, "at least pass_ratio"),
    ({"pass_ratio": 0.9, "fail_ratio": 2.0}, "pass_ratio must be >= 1"),
    ({"pass_ratio": 0.0, "fail_ratio": 2.0}, "pass_ratio must be >= 1"),
    ({"pass_ratio": -1.0, "fail_ratio": -0.5}, "pass_ratio must be >= 1"),
    ({"pass_ratio": 1.0, "fail_ratio": 1.0}, "fail_ratio must be above 1"),
    ({"pass_ratio": 1.0, "fail_ratio": math.nan}, "must be numbers"),
    ({"pass_ratio": 1.0, "fail_ratio": math.inf}, "must be numbers"),
    ({"pass_ratio": True, "fail_ratio": 2.0}, "must be numbers"),
    ({"pass_ratio": 1.0, "fail_ratio": 2.0, "max_ratio": 1.2}, "not both"),
    ({"pass_ratio": 1.0, "fail_ratio": 2.0, "grid_size": 0}, "grid_size >= 1"),
    ({"pass_ratio": 1.0, "fail_ratio": 2.0, "max_effect": 1.0}, "max_effect must be above 1"),
]


@pytest.mark.parametrize(("options", "message"), BAD_ZONES)
def test_bad_zones_are_refused(options: dict[str, object], message: str) -> None:
    with pytest.raises(SpecError, match=message):
        SequentialSplitTest(**options)  # type: ignore[arg-type]


@pytest.mark.parametrize(("options", "message"), BAD_ZONES[:4])
def test_the_judges_refuse_bad_zones_when_built(options: dict[str, object], message: str) -> None:
    with pytest.raises(SpecError, match=message):
        ErrorRateComparison(PROM, "shop", **options)  # type: ignore[arg-type]
    with pytest.raises(SpecError, match=message):
        LatencyComparison(PROM, "shop", **options)  # type: ignore[arg-type]


def test_the_recommended_zone_and_its_grids() -> None:
    assert (PASS_RATIO, FAIL_RATIO, ZONE_GRID_SIZE, ZONE_MAX_EFFECT) == (1.0, 2.0, 3, 4.0)
    test = SequentialSplitTest(pass_ratio=PASS_RATIO, fail_ratio=FAIL_RATIO)
    assert (test.fail_boundary, test.pass_boundary) == (1.0, 2.0)
    assert test.worse == pytest.approx([2.0, 2 * 4 ** (1 / 3), 2 * 4 ** (2 / 3)])
    assert test.better == pytest.approx([1.0, 4 ** (-1 / 3), 4 ** (-2 / 3)])
    assert (test.alpha, test.beta, test.min_bad) == (0.01, 0.01, 3)


def test_pass_ratio_may_be_one_and_equal_ratios_are_a_single_boundary() -> None:
    SequentialSplitTest(pass_ratio=1.0, fail_ratio=1.01)
    equal = SequentialSplitTest(pass_ratio=1.5, fail_ratio=1.5, grid_size=2, max_effect=4.0)
    assert (equal.fail_boundary, equal.pass_boundary) == (1.5, 1.5)
    assert equal.worse == pytest.approx([1.5, 3.0]) and equal.better == pytest.approx([1.5, 0.75])


def test_without_a_zone_max_ratio_behaves_as_before() -> None:
    test = SequentialSplitTest()
    assert (test.pass_ratio, test.fail_ratio) == (None, None)
    assert test.fail_boundary == test.pass_boundary == MAX_RATIO and len(test.worse) == GRID_SIZE
    assert test.worse[0] == pytest.approx(1.05 * 10 ** (1 / 6))
    counts = SplitCounts(2000, 14, 8000, 38)
    decision = test.update(counts)
    worse, edge = [1.05 * 10 ** (i / 6) for i in range(1, 7)], 1.05 * 2000 / (1.05 * 2000 + 8000)
    expected = sum(
        (r * 2000 / (r * 2000 + 8000) / edge) ** 14 * ((1 - r * 2000 / (r * 2000 + 8000)) / (1 - edge)) ** 38
        for r in worse
    )
    assert decision.e_fail == pytest.approx(expected / 6)


def test_a_canary_like_stable_is_cleared_by_the_zone_not_by_the_tight_tolerance() -> None:
    like_stable = SplitCounts(20_000, 100, 80_000, 400)  # both at 0.5 %, 500 errors
    zone = SequentialSplitTest(pass_ratio=1.0, fail_ratio=2.0)
    assert zone.update(like_stable).verdict is Verdict.PASS
    assert SequentialSplitTest().update(like_stable).verdict is Verdict.CONTINUE


def test_ratios_inside_the_zone_are_decided_by_the_nearer_edge() -> None:
    doubled = SplitCounts(20_000, 200, 80_000, 400)  # canary at 1 %, stable at 0.5 %
    assert SequentialSplitTest(pass_ratio=1.0, fail_ratio=2.0).update(doubled).verdict is Verdict.FAIL
    small = SplitCounts(100_000, 600, 400_000, 2000)  # 1.2x, 2,600 errors: cleared, nearer 1 than 2
    assert SequentialSplitTest(pass_ratio=1.0, fail_ratio=2.0).update(small).verdict is Verdict.PASS
    assert SequentialSplitTest().update(small).verdict is Verdict.CONTINUE  # below its first alternative
    larger = SplitCounts(100_000, 750, 400_000, 2000)  # 1.5x: nearer 2 than 1 (in log), so it fails
    assert SequentialSplitTest(pass_ratio=1.0, fail_ratio=2.0).update(larger).verdict is Verdict.FAIL
    assert SequentialSplitTest().update(larger).verdict is Verdict.FAIL


def test_the_judges_pass_the_zone_to_their_tests() -> None:
    errors = ErrorRateComparison(PROM, "shop", pass_ratio=1.0, fail_ratio=2.0, alpha=0.02).new_test()
    latency = LatencyComparison(PROM, "shop", pass_ratio=1.1, fail_ratio=1.8).new_test()
    assert isinstance(errors, SequentialSplitTest) and isinstance(latency, SequentialSplitTest)
    assert (errors.fail_boundary, errors.pass_boundary, errors.alpha) == (1.0, 2.0, 0.02)
    assert (latency.pass_ratio, latency.fail_ratio) == (1.1, 1.8)
    assert "pass_ratio" not in ErrorRateComparison(PROM, "shop").test_options

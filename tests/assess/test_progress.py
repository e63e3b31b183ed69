"""The progress measure on crafted series, each worked out by hand."""

from __future__ import annotations

import math

import pytest

from indicators.assess import progress as pg
from indicators.plan.model import Target

AT_LEAST_80 = Target(op=">=", value=80)


def test_hengshui_rural_coverage_needs_acceleration():
    # Plan: 65% in 2020, at least 80% by 2025; census 2023: 72%.
    observed = (72 / 65) ** (1 / 3) - 1
    required = (80 / 65) ** (1 / 5) - 1
    ratio = observed / required
    assert ratio == pytest.approx(0.8179, abs=1e-4)  # 3.468%/yr against 4.240%/yr
    assert 0.60 <= ratio < 0.95
    p = pg.assess({2023: 72.0}, AT_LEAST_80, 2025, baseline=(2020, 65.0))
    assert p.status == pg.ACCELERATION_NEEDED
    assert p.basis == pg.CAGR
    assert p.ratio == pytest.approx(ratio)
    assert p.observed_rate == pytest.approx(observed)
    assert p.required_rate == pytest.approx(required)
    # Two more years at 3.47% a year: 72 * 1.0347^2 = 77.08, short of 80.
    assert p.projected == pytest.approx(72 * (1 + observed) ** 2)
    assert p.projected == pytest.approx(77.08, abs=0.01)


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (50 * 1.15**3, pg.ON_TRACK),  # 15%/yr against 14.87%/yr needed: ratio 1.009
        (55.0, pg.LIMITED_PROGRESS),  # 3.23%/yr: ratio 0.217
        (65.0, pg.ACCELERATION_NEEDED),  # 9.14%/yr: ratio 0.615
        (45.0, pg.DETERIORATION),  # falling
        (100.0, pg.ACHIEVED),
        (120.0, pg.ACHIEVED),
    ],
)
def test_status_thresholds_from_a_doubling_target(value, status):
    target = Target(op=">=", value=100)
    p = pg.assess({2021: 52.0, 2023: value}, target, 2025, baseline=(2020, 50.0))
    assert p.status == status
    if status != pg.ACHIEVED:
        required = 2 ** (1 / 5) - 1
        assert p.ratio == pytest.approx(((value / 50) ** (1 / 3) - 1) / required)


@pytest.mark.parametrize(
    ("ratio", "status"),
    [
        (0.95, pg.ON_TRACK),
        (0.9499, pg.ACCELERATION_NEEDED),
        (0.60, pg.ACCELERATION_NEEDED),
        (0.5999, pg.LIMITED_PROGRESS),
        (0.0, pg.LIMITED_PROGRESS),
        (-0.01, pg.DETERIORATION),
        (math.nan, pg.NOT_ENOUGH_DATA),
    ],
)
def test_classify_boundaries(ratio, status):
    assert pg.classify(ratio) == status


def test_first_observed_year_is_the_base_without_a_baseline():
    # 60 -> 66 in two years: 4.88%/yr; 60 -> 80 in four years (2021-2025): 7.46%/yr.
    p = pg.assess({2021: 60.0, 2022: 63.0, 2023: 66.0}, AT_LEAST_80, 2025)
    assert (p.base_year, p.base_value) == (2021, 60.0)
    expected = ((66 / 60) ** 0.5 - 1) / ((80 / 60) ** 0.25 - 1)
    assert p.ratio == pytest.approx(expected)
    assert p.ratio == pytest.approx(0.6545, abs=1e-4)
    assert p.status == pg.ACCELERATION_NEEDED


def test_at_most_target_reverses_the_direction():
    target = Target(op="<=", value=10)
    # 20 -> 14 in 3 years: -11.21%/yr; 20 -> 10 in 5 years: -12.94%/yr; ratio 0.866.
    p = pg.assess({2023: 14.0}, target, 2025, baseline=(2020, 20.0))
    assert p.direction == -1
    assert p.ratio == pytest.approx((0.7 ** (1 / 3) - 1) / (0.5**0.2 - 1))
    assert p.ratio == pytest.approx(0.866, abs=1e-3)
    assert p.status == pg.ACCELERATION_NEEDED
    rising = pg.assess({2023: 22.0}, target, 2025, baseline=(2020, 20.0))
    assert rising.ratio < 0
    assert rising.status == pg.DETERIORATION
    assert pg.assess({2023: 9.0}, target, 2025, baseline=(2020, 20.0)).status == pg.ACHIEVED


def test_zero_base_uses_the_linear_gap_fallback():
    # 0 -> 6 in 3 years: +2/yr; 0 -> 10 in 5 years: +2/yr needed; ratio 1.
    target = Target(op=">=", value=10)
    p = pg.assess({2023: 6.0}, target, 2025, baseline=(2020, 0.0))
    assert p.basis == pg.LINEAR_GAP
    assert p.observed_rate == pytest.approx(2.0)
    assert p.required_rate == pytest.approx(2.0)
    assert p.ratio == pytest.approx(1.0)
    assert p.status == pg.ON_TRACK
    assert p.projected == pytest.approx(10.0)


def test_negative_base_uses_the_linear_gap_fallback():
    # -4 -> -1 in 2 years: +1.5/yr; -4 -> 2 in 5 years: +1.2/yr; ratio 1.25.
    p = pg.assess({2022: -1.0}, Target(op=">=", value=2), 2025, baseline=(2020, -4.0))
    assert p.basis == pg.LINEAR_GAP
    assert p.ratio == pytest.approx(1.25)
    assert p.status == pg.ON_TRACK
    assert p.projected == pytest.approx(-1 + 1.5 * 3)


def test_zero_goal_uses_the_linear_gap_fallback():
    # "no village without broadband": 5 -> 3 in 2 years: -1/yr; 5 -> 0 in 5: -1/yr.
    p = pg.assess({2022: 3.0}, Target(op="==", value=0), 2025, baseline=(2020, 5.0))
    assert p.basis == pg.LINEAR_GAP
    assert p.direction == -1
    assert p.ratio == pytest.approx(1.0)
    assert p.status == pg.ON_TRACK


def test_target_met_at_baseline():
    target = Target(op=">=", value=100)
    kept = pg.assess({2023: 100.0}, target, 2025, baseline=(2020, 100.0))
    assert (kept.status, kept.basis) == (pg.ACHIEVED, pg.MET_AT_BASELINE)
    slipped = pg.assess({2023: 95.0}, target, 2025, baseline=(2020, 100.0))
    assert (slipped.status, slipped.basis) == (pg.DETERIORATION, pg.MET_AT_BASELINE)
    assert slipped.ratio is None


def test_single_data_point_is_not_enough_data():
    p = pg.assess({2023: 50.0}, AT_LEAST_80, 2025)
    assert (p.status, p.basis) == (pg.NOT_ENOUGH_DATA, pg.SINGLE_POINT)
    assert p.ratio is None and p.projected is None
    # ... unless that point already meets the target.
    assert pg.assess({2023: 85.0}, AT_LEAST_80, 2025).status == pg.ACHIEVED
    # A baseline in the same year as the only census is no second point either.
    p = pg.assess({2020: 50.0}, AT_LEAST_80, 2025, baseline=(2020, 40.0))
    assert p.status == pg.NOT_ENOUGH_DATA


def test_no_value_at_all():
    p = pg.assess({2022: math.nan, 2023: None}, AT_LEAST_80, 2025)
    assert (p.status, p.basis) == (pg.NOT_ENOUGH_DATA, pg.NO_DATA)


def test_missing_years_are_skipped():
    p = pg.assess({2021: 60.0, 2022: math.nan, 2023: 66.0}, AT_LEAST_80, 2025)
    assert (p.base_year, p.year) == (2021, 2023)


def test_range_below_and_above():
    band = Target(op="range", min=5, max=9)
    # Below: aim at 5. 2 -> 3.5 in 3 years: 20.51%/yr; 2 -> 5 in 5 years: 20.11%/yr.
    below = pg.assess({2023: 3.5}, band, 2025, baseline=(2020, 2.0))
    assert (below.goal, below.direction) == (5, 1)
    assert below.ratio == pytest.approx((1.75 ** (1 / 3) - 1) / (2.5**0.2 - 1))
    assert below.status == pg.ON_TRACK
    # Above: aim at 9. 15 -> 12: -7.17%/yr; 15 -> 9: -9.72%/yr; ratio 0.738.
    above = pg.assess({2023: 12.0}, band, 2025, baseline=(2020, 15.0))
    assert (above.goal, above.direction) == (9, -1)
    assert above.ratio == pytest.approx((0.8 ** (1 / 3) - 1) / (0.6**0.2 - 1))
    assert above.status == pg.ACCELERATION_NEEDED
    inside = pg.assess({2023: 7.0}, band, 2025, baseline=(2020, 15.0))
    assert inside.status == pg.ACHIEVED


def test_projection_is_clipped_for_percentages():
    p = pg.assess({2021: 60.0, 2023: 90.0}, Target(op=">=", value=100), 2025, clip=(0, 100))
    assert p.projected == 100.0
    assert p.status == pg.ON_TRACK


def test_projection_after_the_target_year_is_the_latest_value():
    p = pg.assess({2021: 60.0, 2023: 70.0}, AT_LEAST_80, 2022)
    assert p.projected == pytest.approx(70.0)
    assert p.status != pg.ACHIEVED


def test_linear_trajectory_between_baseline_milestones_and_target():
    pts = pg.trajectory_points((2020, 65.0), [(2022, 70.0), (2019, 1.0)], (2025, 80.0))
    assert pts == [(2020, 65.0), (2022, 70.0), (2025, 80.0)]
    path = pg.trajectory(pts, range(2019, 2027))
    assert 2019 not in path
    assert path[2020] == 65.0
    assert path[2021] == pytest.approx(67.5)
    assert path[2023] == pytest.approx(70 + 10 / 3)
    assert path[2025] == 80.0
    assert path[2026] == 80.0  # the target stays the expectation
    # Without milestones: 65 -> 80 over five years, 3 points a year.
    straight = pg.trajectory([(2020, 65.0), (2025, 80.0)], [2023])
    assert straight[2023] == pytest.approx(74.0)


def test_meets_respects_strictness_and_bands():
    assert pg.meets(Target(op=">=", value=80), 80.0)
    assert not pg.meets(Target(op=">", value=80), 80.0)
    assert pg.meets(Target(op="about", value=300, tolerance=30), 275.0)
    assert not pg.meets(Target(op="about", value=300), 260.0)

"""Independent audit of progress.assess: statuses on a few series, every rate worked by hand."""

from __future__ import annotations

import pytest

from indicators.assess import progress as p
from indicators.plan.model import Target

AT_LEAST_30 = Target(op=">=", value=30)
AT_MOST_10 = Target(op="<=", value=10)
BASE = (2020, 20.0)


@pytest.mark.parametrize(
    ("latest", "status", "observed", "ratio", "projected"),
    [
        # required (30/20)^(1/5) - 1 = 0.0844718
        # 24.2: (24.2/20)^(1/2) - 1 = 0.1; ratio 1.18383; 24.2 * 1.1^3 = 32.2102
        (24.2, p.ON_TRACK, 0.1, 0.1 / 0.0844718, 32.2102),
        # 23: sqrt(1.15) - 1 = 0.0723805; ratio 0.856859; 23 * 1.15 * 1.0723805 = 28.3645
        (23.0, p.ACCELERATION_NEEDED, 0.0723805, 0.856859, 28.3645),
        # 22.05: sqrt(1.1025) - 1 = 0.05; ratio 0.591916; 22.05 * 1.05^3 = 25.5256
        (22.05, p.LIMITED_PROGRESS, 0.05, 0.591916, 25.5256),
        # 18: sqrt(0.9) - 1 = -0.0513167; ratio < 0
        (18.0, p.DETERIORATION, -0.0513167, -0.0513167 / 0.0844718, None),
        # 30 meets it: achieved, even though the pace (0.2247) is beside the point
        (30.0, p.ACHIEVED, 0.2247449, 0.2247449 / 0.0844718, None),
    ],
)
def test_cagr_at_least(latest, status, observed, ratio, projected):
    r = p.assess({2021: 21.0, 2022: latest}, AT_LEAST_30, 2025, baseline=BASE)
    assert r.basis == p.CAGR
    assert (r.base_year, r.base_value, r.year, r.goal, r.direction) == (2020, 20, 2022, 30, 1)
    assert r.status == status
    assert r.required_rate == pytest.approx(0.0844718, rel=1e-5)
    assert r.observed_rate == pytest.approx(observed, rel=1e-5)
    assert r.ratio == pytest.approx(ratio, rel=1e-5)
    if projected is not None:
        assert r.projected == pytest.approx(projected, rel=1e-5)


def test_at_most_falling_as_it_should():
    # <= 10 from 20: required 0.5^(1/5) - 1 = -0.1294494; 16.2: sqrt(0.81) - 1 = -0.1;
    # ratio 0.772504 -> acceleration needed; 16.2 * 0.9^3 = 11.8098
    r = p.assess({2022: 16.2}, AT_MOST_10, 2025, baseline=BASE)
    assert (r.goal, r.direction, r.basis) == (10, -1, p.CAGR)
    assert r.required_rate == pytest.approx(-0.1294494, rel=1e-6)
    assert r.observed_rate == pytest.approx(-0.1)
    assert r.ratio == pytest.approx(0.772504, rel=1e-5)
    assert r.status == p.ACCELERATION_NEEDED
    assert r.projected == pytest.approx(11.8098, rel=1e-5)


def test_at_most_rising_is_deterioration():
    r = p.assess({2022: 22.0}, AT_MOST_10, 2025, baseline=BASE)
    assert r.ratio < 0
    assert r.status == p.DETERIORATION


def test_at_most_met():
    r = p.assess({2022: 9.5}, AT_MOST_10, 2025, baseline=BASE)
    assert r.status == p.ACHIEVED


@pytest.mark.parametrize(("latest", "status"), [(33.0, p.ACHIEVED), (28.0, p.DETERIORATION)])
def test_met_at_baseline(latest, status):
    # 35 already meets >= 30 in 2020: achieved while it holds, deterioration once it slips
    r = p.assess({2022: latest}, AT_LEAST_30, 2025, baseline=(2020, 35.0))
    assert r.basis == p.MET_AT_BASELINE
    assert r.status == status


def test_linear_gap_from_zero():
    # coverage 0% in 2020 -> >= 80% by 2025; 20% in 2022: 10 points a year observed, 16 needed
    # ratio 0.625 -> acceleration needed; projected 20 + 3 * 10 = 50
    r = p.assess({2022: 20.0}, Target(op=">=", value=80), 2025, baseline=(2020, 0.0))
    assert r.basis == p.LINEAR_GAP
    assert (r.observed_rate, r.required_rate) == pytest.approx((10, 16))
    assert r.ratio == pytest.approx(0.625)
    assert r.status == p.ACCELERATION_NEEDED
    assert r.projected == pytest.approx(50)


def test_range_below_heads_for_its_low_end():
    # range 5..9 from 2 (2020): goal 5; 3.5 in 2022: sqrt(1.75) - 1 = 0.3228757;
    # required 2.5^(1/5) - 1 = 0.2011244; ratio 1.605352 -> on track
    r = p.assess({2022: 3.5}, Target(op="range", min=5, max=9), 2025, baseline=(2020, 2.0))
    assert (r.goal, r.direction) == (5, 1)
    assert r.ratio == pytest.approx(1.605352, rel=1e-5)
    assert r.status == p.ON_TRACK


def test_strict_target_at_its_bound_is_not_achieved():
    r = p.assess({2022: 30.0}, Target(op=">", value=30), 2025, baseline=BASE)
    assert r.status != p.ACHIEVED


def test_single_point_and_no_data():
    assert p.assess({2022: 25.0}, AT_LEAST_30, 2025).status == p.NOT_ENOUGH_DATA
    assert p.assess({2022: 35.0}, AT_LEAST_30, 2025).status == p.ACHIEVED
    assert p.assess({2022: float("nan")}, AT_LEAST_30, 2025).status == p.NOT_ENOUGH_DATA
    assert p.assess({}, AT_LEAST_30, 2025).basis == p.NO_DATA


def test_without_baseline_the_first_year_is_the_base():
    # 2021: 20 -> 2023: 24.2: CAGR 0.1; required over 2021..2025 (4 years): 1.5^(1/4) - 1
    # = 0.1066819; ratio 0.937367 -> acceleration needed (just below 0.95)
    r = p.assess({2021: 20.0, 2023: 24.2}, AT_LEAST_30, 2025)
    assert r.base_year == 2021
    assert r.ratio == pytest.approx(0.1 / 0.1066819, rel=1e-5)
    assert r.status == p.ACCELERATION_NEEDED


def test_trajectory_interpolates():
    # 20 (2020) -> 25 (2023 milestone) -> 30 (2025): 2021 21.667, 2024 27.5, 2026 30
    pts = p.trajectory_points((2020, 20.0), [(2023, 25.0)], (2025, 30.0))
    traj = p.trajectory(pts, range(2019, 2027))
    assert 2019 not in traj
    assert traj[2021] == pytest.approx(20 + 5 / 3)
    assert traj[2024] == pytest.approx(27.5)
    assert traj[2026] == 30

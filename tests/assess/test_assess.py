"""The multi-year assessment on small in-memory censuses."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers import plan_from_indicators
from indicators.assess import progress as pg
from indicators.assess.assessment import SHARE_MEETING, VALUE, assess
from indicators.assess.changes import community_changes
from indicators.model.census import census_from_frame

PLAN = plan_from_indicators(
    """
    - id: coverage
      name: {zh: 设施覆盖率, en: Facility coverage}
      formula: has_service_facility
      aggregate: share
      unit: "%"
      target: {op: ">=", value: 80}
      baseline: {year: 2020, value: 50}
      binding: true
      cite: {section: s, quote: q}
    - id: area
      name: {zh: 设施面积, en: Facility area}
      level: community
      formula: facility_area
      aggregate: mean
      unit: 平方米
      target: {op: ">=", value: 300}
      milestones: [{year: 2023, op: ">=", value: 200}]
      cite: {section: s, quote: q}
    """
)


def census(rows, name="memory.xlsx"):
    frame = pd.DataFrame(
        rows, columns=["district", "street", "community", "households", "facility_area",
                       "has_service_facility"],
    )  # fmt: skip
    return census_from_frame(frame, name)


Y2021 = census(
    [
        ("甲区", "一街道", "东风社区", 1000, 100, 1),
        ("甲区", "一街道", "西风社区", 800, 400, 0),
        ("甲区", "二街道", "南山村", 300, 300, 1),
        ("乙区", "三街道", "北湖社区", 1200, 250, 0),
    ],
    "census-2021.xlsx",
)
Y2022 = census(
    [
        ("甲区", "一街道", "东风社区", 1010, 210, 1),  # facility area more than doubled
        ("甲区", "一街道", "西风新社区", 805, 400, 1),  # renamed (same street, same size)
        ("甲区", "二街道", "南山村", 650, 300, 1),  # households doubled (and >= 50)
        ("乙区", "四街道", "新建社区", 500, 320, 1),  # new
    ],
    "census-2022.xlsx",
)


@pytest.fixture(scope="module")
def result():
    return assess(PLAN, [(2022, Y2022), (2021, Y2021)])


def test_years_are_sorted_and_evaluated(result):
    assert result.years == [2021, 2022]
    assert [y.results.year for y in result.inputs] == [2021, 2022]


def test_city_target_follows_the_value_from_the_baseline(result):
    s = result.indicators[0]
    assert s.measure == VALUE
    assert s.values == {2021: 50.0, 2022: 100.0}
    assert s.baseline == (2020, 50.0)
    assert s.progress.status == pg.ACHIEVED
    # Linear 50 (2020) -> 80 (2025): 6 points a year.
    assert s.trajectory[2022] == pytest.approx(62.0)
    assert s.chart_years == list(range(2020, 2026))


def test_community_target_follows_the_share_meeting_it(result):
    s = result.indicators[1]
    assert s.measure == SHARE_MEETING
    # 2021 against the 2023 milestone (>= 200): 400, 300, 250 meet, 100 does not -> 75%.
    # 2022: all four meet 200 -> 100%.
    assert s.values == {2021: 75.0, 2022: 100.0}
    assert s.statuses[2021] == "not_met"
    assert s.progress.status == pg.ACHIEVED
    # Trajectory: 75 (2021) -> 100 at the milestone (2023) -> 100 (2025).
    assert s.trajectory[2022] == pytest.approx(87.5)
    assert s.trajectory[2024] == 100.0


def test_binding_off_track_stands_out():
    slow = census(
        [(r[0], r[1], r[2], r[3], r[4], 1 if i < 2 else 0) for i, r in enumerate(Y2021.frame.itertuples(index=False))],
        "census-2023.xlsx",
    )  # fmt: skip
    a = assess(PLAN, [(2021, Y2021), (2023, slow)])
    s = a.indicators[0]
    # 50 (2020) -> 50 (2023): no progress; ratio 0 -> limited progress, binding.
    assert s.progress.status == pg.LIMITED_PROGRESS
    assert s.binding_off_track
    assert a.binding_off_track == [s]
    assert not a.indicators[1].binding_off_track


def test_unit_series_per_district_and_street(result):
    streets = [u for u in result.units["street"] if u.indicator.id == "coverage"]
    keys = [(u.keys["district"], u.keys["street"]) for u in streets]
    assert ("乙区", "三街道") in keys and ("乙区", "四街道") in keys
    one = next(u for u in streets if u.keys["street"] == "一街道")
    assert one.values == {2021: 50.0, 2022: 100.0}
    assert one.progress.status == pg.ACHIEVED
    gone = next(u for u in streets if u.keys["street"] == "三街道")
    assert list(gone.values) == [2021]
    districts = [u for u in result.units["district"] if u.indicator.id == "coverage"]
    assert {u.keys["district"] for u in districts} == {"甲区", "乙区"}


def test_communities_added_removed_renamed(result):
    kinds = {(c.kind, c.community, c.previous) for c in result.changes}
    assert kinds == {
        ("renamed", "西风新社区", "西风社区"),
        ("added", "新建社区", None),
        ("removed", "北湖社区", None),
    }
    renamed = next(c for c in result.changes if c.kind == "renamed")
    assert (renamed.year, renamed.previous_year, renamed.matched_by) == (2022, 2021, "size")


def test_rename_by_division_code():
    a = census_from_frame(
        pd.DataFrame({"district": ["甲"], "street": ["一"], "community": ["旧名"],
                      "code": ["130102001001"], "households": [100]})
    )  # fmt: skip
    b = census_from_frame(
        pd.DataFrame({"district": ["甲"], "street": ["一"], "community": ["新名"],
                      "code": ["130102001001"], "households": [400]})
    )  # fmt: skip
    from indicators.assess.years import YearInput

    changes, pairs = community_changes(YearInput(2021, a), YearInput(2022, b))
    assert [(c.kind, c.previous, c.community, c.matched_by) for c in changes] == [
        ("renamed", "旧名", "新名", "code")
    ]
    assert pairs == [(0, 0)]


def test_implausible_jumps_are_warnings_with_file_and_cell(result):
    found = {(i.params["community"], i.params["field"]): i for i in result.issues}
    assert set(found) == {("东风社区", "社区综合服务设施面积"), ("南山村", "户数")}
    area = found[("东风社区", "社区综合服务设施面积")]
    assert area.code == "implausible-change"
    assert area.severity.value == "warning"
    assert area.file == "census-2022.xlsx"
    assert area.cell == "2"  # in-memory census: row position + 2 (header row 1)
    assert (area.expected, area.value) == ("100", "210")
    assert "2021" in area.message("zh") and "210" in area.message("en")
    # The renamed community is compared under its old name: 800 -> 805 is no jump.
    assert all(i.params["community"] != "西风新社区" for i in result.issues)


def test_small_figures_do_not_count_as_jumps():
    a = census([("甲", "一", "甲村", 20, 10, 1)])
    b = census([("甲", "一", "甲村", 45, 30, 1)])
    assert assess(PLAN, [(2021, a), (2022, b)]).issues == []


def test_single_year_is_not_enough_data_unless_met():
    a = assess(PLAN, [(2021, Y2021)])
    cov = a.indicators[0]
    # One census but the plan's baseline (2020) is a second point.
    assert cov.progress.basis == pg.CAGR
    area = a.indicators[1]
    assert area.progress.status == pg.NOT_ENOUGH_DATA
    assert area.progress.basis == pg.SINGLE_POINT
    assert math.isclose(area.values[2021], 75.0)

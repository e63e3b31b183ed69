"""Engine numbers against values worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from helpers import census, plan_from_indicators
from indicators.engine import evaluate
from indicators.engine.results import MET, NO_TARGET, NOT_COMPUTABLE, NOT_MET

AREA = """
- id: area
  name: {zh: 每百户居民拥有社区综合服务设施面积}
  level: city
  formula: facility_area / households * 100
  unit: 平方米/百户
  target: {op: ">=", value: 30}
  cite: {section: s, quote: q}
"""


def test_ratio_of_sums_and_share_compliant_disagree():
    # 1000/2000 -> 50 (met); 100/1000 -> 10 (not met) twice.
    # Ratio of sums: (1000+100+100)/(2000+1000+1000)*100 = 30 -> met at city level,
    # while only 1 of 3 communities meets 30 on its own (33.3% compliant).
    plan = plan_from_indicators(AREA)
    c = census(
        [
            {"households": 2000, "facility_area": 1000},
            {"households": 1000, "facility_area": 100},
            {"households": 1000, "facility_area": 100},
        ]
    )
    r = evaluate(plan, c).get("area")
    city = r.groups["city"].iloc[0]
    assert city["value"] == pytest.approx(30.0)
    assert city["status"] == MET
    assert city["share_compliant"] == pytest.approx(100 / 3)
    assert list(r.communities["status"]) == [MET, NOT_MET, NOT_MET]
    assert list(r.communities["value"]) == pytest.approx([50.0, 10.0, 10.0])
    assert r.headline.status == MET
    assert r.headline.communities_failing == 2


def test_shortfall_in_natural_units():
    # 400 households, 24 m² -> 6 m² per 100 households; 30 needs 120 m² -> +96 m².
    plan = plan_from_indicators(AREA)
    r = evaluate(plan, census([{"households": 400, "facility_area": 24}])).get("area")
    assert r.lever == "facility_area"
    assert r.communities["shortfall"].iloc[0] == pytest.approx(96.0)
    assert r.communities["gap"].iloc[0] == pytest.approx(-24.0)


def test_integer_shortfall_rounds_up_to_whole_workers():
    plan = plan_from_indicators(
        """
        - id: workers
          name: {zh: 每万名城镇常住人口拥有社区工作者}
          level: city
          formula: community_workers / population * 10000
          target: {op: ">=", value: 18}
          cite: {section: s, quote: q}
        """
    )
    # 5000 people need 9 workers (have 6 -> 3 more); 5100 need 9.18 -> 10 (have 6 -> 4 more)
    c = census(
        [
            {"population": 5000, "community_workers": 6},
            {"population": 5100, "community_workers": 6},
        ]
    )
    r = evaluate(plan, c).get("workers")
    assert list(r.communities["shortfall"]) == [3.0, 4.0]
    # city: 12 workers for 10100 people -> 11.88 per 10k; needs 18.18 -> 19 workers: 7 more
    city = r.groups["city"].iloc[0]
    assert city["value"] == pytest.approx(12 / 10100 * 10000)
    assert city["shortfall"] == 7.0
    assert city["shortfall_all"] == 7.0


def test_division_by_zero_is_not_computable_with_reason():
    plan = plan_from_indicators(AREA)
    c = census(
        [
            {"households": 0, "facility_area": 100, "street": "一街道"},
            {"households": 0, "facility_area": 50, "street": "二街道"},
            {"households": 100, "facility_area": 50, "street": "二街道"},
        ]
    )
    r = evaluate(plan, c).get("area")
    first = r.communities.iloc[0]
    assert first["status"] == NOT_COMPUTABLE
    assert first["reason"] == "zero:households"
    assert math.isnan(first["value"])
    streets = r.groups["street"].set_index("street")
    # street one: all households zero -> the street's ratio is not computable either
    assert streets.loc["一街道", "status"] == NOT_COMPUTABLE
    assert streets.loc["一街道", "reason"] == "zero:households"
    # street two: (50 + 50) / 100 * 100 = 100: the zero-household community's area counts
    assert streets.loc["二街道", "value"] == pytest.approx(100.0)
    values = np.concatenate([g["value"].to_numpy(dtype=float) for g in r.groups.values()])
    assert not np.isinf(values).any()


def test_missing_value_is_not_computable_and_excluded_from_sums():
    plan = plan_from_indicators(AREA)
    c = census(
        [{"households": 100, "facility_area": None}, {"households": 100, "facility_area": 40}]
    )
    r = evaluate(plan, c).get("area")
    assert r.communities["reason"].iloc[0] == "missing:facility_area"
    # the community with a blank area is left out of both sums: 40 / 100 * 100
    assert r.groups["city"]["value"].iloc[0] == pytest.approx(40.0)
    assert r.headline.communities_not_computable == 1


COVERAGE = """
- id: rural_cov
  name: {zh: 农村社区综合服务设施覆盖率}
  level: city
  scope: rural
  formula: has_service_facility
  unit: "%"
  target: {op: ">=", value: 80}
  cite: {section: s, quote: q}
"""


def test_coverage_share_scope_and_communities_needed():
    plan = plan_from_indicators(COVERAGE)
    rows = [{"community_type": "rural", "has_service_facility": v} for v in (1, 1, 1, 0, 0)]
    rows.append({"community_type": "urban", "has_service_facility": 0})  # out of scope
    r = evaluate(plan, census(rows)).get("rural_cov")
    city = r.groups["city"].iloc[0]
    assert city["value"] == pytest.approx(60.0)  # 3 of 5 rural
    assert city["n_scope"] == 5
    assert city["status"] == NOT_MET
    assert city["shortfall"] == 1.0  # 80% of 5 = 4 communities; 3 have it
    assert not r.communities["in_scope"].iloc[5]


def test_missing_community_type_is_not_computable_for_scoped_indicator():
    plan = plan_from_indicators(COVERAGE)
    r = evaluate(plan, census([{"community_type": None, "has_service_facility": 1}]))
    row = r.get("rural_cov").communities.iloc[0]
    assert row["status"] == NOT_COMPUTABLE
    assert row["reason"] == "type-missing"


def test_range_target_gap_both_sides():
    plan = plan_from_indicators(
        """
        - id: members
          name: {zh: 居委会成员数}
          level: community
          formula: committee_members
          target: {op: range, min: 5, max: 9}
          cite: {section: s, quote: q}
        """
    )
    c = census([{"committee_members": v} for v in (4, 5, 9, 11)])
    r = evaluate(plan, c).get("members")
    assert list(r.communities["status"]) == [NOT_MET, MET, MET, NOT_MET]
    assert list(r.communities["gap"]) == [-1.0, 0.0, 0.0, 2.0]
    assert list(r.communities["shortfall"]) == [1.0, 0.0, 0.0, -2.0]
    assert r.method == "mean"
    assert r.groups["city"]["value"].iloc[0] == pytest.approx(29 / 4)
    assert r.headline.status == NOT_MET
    assert r.headline.units_failing == 2


def test_about_target_default_tolerance_is_ten_percent():
    plan = plan_from_indicators(
        """
        - id: area_about
          name: {zh: 面积}
          level: community
          formula: facility_area
          target: {op: about, value: 300}
          cite: {section: s, quote: q}
        """
    )
    r = evaluate(plan, census([{"facility_area": v} for v in (269, 270, 330, 331)]))
    assert list(r.get("area_about").communities["status"]) == [NOT_MET, MET, MET, NOT_MET]


def test_count_per_street_and_units_meeting_above():
    plan = plan_from_indicators(
        """
        - id: stations
          name: {zh: 社会工作服务站}
          level: street
          formula: has_social_work_station
          aggregate: count
          target: {op: ">=", value: 1}
          cite: {section: s, quote: q}
        """,
        fields_yaml="""
        - id: has_social_work_station
          type: boolean
          name: {zh: 是否有社会工作服务站}
        """,
    )
    c = census(
        [
            {"street": "一街道", "has_social_work_station": 1},
            {"street": "一街道", "has_social_work_station": 0},
            {"street": "二街道", "has_social_work_station": 0},
            {"street": "三街道", "district": "乙区", "has_social_work_station": 1},
        ]
    )
    r = evaluate(plan, c).get("stations")
    streets = r.groups["street"].set_index("street")
    assert streets.loc["一街道", "status"] == MET
    assert streets.loc["二街道", "status"] == NOT_MET
    assert streets.loc["二街道", "shortfall"] == 1.0
    districts = r.groups["district"].set_index("district")
    # a per-street count is not compared at district level; the district says 1 of 2 streets
    assert districts.loc["甲区", "status"] == NO_TARGET
    assert districts.loc["甲区", "units_met"] == 1
    assert districts.loc["甲区", "units_total"] == 2
    assert r.headline.status == NOT_MET
    assert (r.headline.units_failing, r.headline.units_total) == (1, 3)


def test_city_total_sum():
    plan = plan_from_indicators(
        """
        - id: total_volunteers
          name: {zh: 注册志愿者总数}
          level: city
          formula: volunteers
          aggregate: sum
          target: {op: ">=", value: 1000}
          cite: {section: s, quote: q}
        """
    )
    r = evaluate(plan, census([{"volunteers": 300}, {"volunteers": 450}])).get("total_volunteers")
    city = r.groups["city"].iloc[0]
    assert city["value"] == 750
    assert city["shortfall"] == 250
    assert set(r.communities["status"]) == {NO_TARGET}


def test_milestone_in_force_for_a_year():
    plan = plan_from_indicators(
        """
        - id: cov
          name: {zh: 覆盖率}
          level: city
          formula: has_service_facility
          target: {op: ">=", value: 90}
          milestones: [{year: 2012, op: ">=", value: 50}]
          cite: {section: s, quote: q}
        """,
        period=(2011, 2015),
    )
    c = census([{"has_service_facility": v} for v in (1, 0, 1, 0)])
    assert evaluate(plan, c, year=2012).get("cov").headline.status == MET  # 50% >= 50
    assert evaluate(plan, c, year=2013).get("cov").headline.status == NOT_MET  # due: 90
    assert evaluate(plan, c).get("cov").headline.status == NOT_MET


def test_targets_by_community_type():
    plan = plan_from_indicators(
        """
        - id: area_by_type
          name: {zh: 综合服务设施面积}
          level: community
          formula: facility_area
          target: {urban: {op: ">=", value: 300}, rural: {op: ">=", value: 200}}
          cite: {section: s, quote: q}
        """
    )
    c = census(
        [
            {"community_type": "urban", "facility_area": 250},
            {"community_type": "rural", "facility_area": 250},
        ]
    )
    r = evaluate(plan, c).get("area_by_type")
    assert list(r.communities["status"]) == [NOT_MET, MET]
    assert list(r.communities["shortfall"]) == [50.0, 0.0]


def test_checklist_names_missing_items():
    plan = plan_from_indicators(
        """
        - id: rooms
          name: {zh: 功能用房}
          level: community
          checklist: [has_office, has_library]
          cite: {section: s, quote: q}
          target: {op: ">=", value: 100}
        """,
        fields_yaml="""
        - id: has_office
          type: boolean
          name: {zh: 办公室}
        - id: has_library
          type: boolean
          name: {zh: 图书室}
        """,
    )
    c = census([{"has_office": 1, "has_library": 0}, {"has_office": 1, "has_library": 1}])
    r = evaluate(plan, c).get("rooms")
    assert list(r.communities["status"]) == [NOT_MET, MET]
    assert r.communities["missing_items"].iloc[0] == "图书室"
    assert r.groups["city"]["value"].iloc[0] == pytest.approx(50.0)


def test_where_condition_restricts_scope():
    plan = plan_from_indicators(
        """
        - id: new_area
          name: {zh: 新建社区综合服务设施面积}
          level: community
          where: facility_built_year >= 2021
          formula: facility_area >= 600
          target: {op: ">=", value: 100}
          cite: {section: s, quote: q}
        """,
        fields_yaml="""
        - id: facility_built_year
          type: integer
          name: {zh: 建成年份}
        """,
    )
    c = census(
        [
            {"facility_built_year": 2022, "facility_area": 550},
            {"facility_built_year": 2019, "facility_area": 100},
        ]
    )
    r = evaluate(plan, c).get("new_area")
    assert list(r.communities["in_scope"]) == [True, False]
    assert r.communities["status"].iloc[0] == NOT_MET
    assert r.communities["shortfall"].iloc[0] == 50.0  # 600 - 550 m²


def test_a_column_the_census_lacks_makes_its_indicators_not_computable():
    plan = plan_from_indicators(AREA)
    r = evaluate(plan, census([{"households": 100}, {"households": 200}])).get("area")
    assert set(r.communities["reason"]) == {"no-column:facility_area"}
    assert r.headline.status == NOT_COMPUTABLE
    assert r.headline.reason == "no-column:facility_area"


def test_headline_is_not_met_claimed_when_some_units_cannot_be_judged():
    plan = plan_from_indicators(
        """
        - id: members
          name: {zh: 居委会成员数}
          level: community
          formula: committee_members
          target: {op: range, min: 5, max: 9}
          cite: {section: s, quote: q}
        """
    )
    r = evaluate(plan, census([{"committee_members": 7}, {"committee_members": None}]))
    headline = r.get("members").headline
    assert headline.status == NOT_COMPUTABLE
    assert headline.reason == "incomplete:1"
    r = evaluate(plan, census([{"committee_members": 7}, {"committee_members": 12}]))
    assert r.get("members").headline.status == NOT_MET


def test_a_where_input_that_is_missing_is_named_as_the_reason():
    plan = plan_from_indicators(
        """
        - id: new_area
          name: {zh: 新建社区综合服务设施面积}
          level: community
          where: facility_built_year >= 2021
          formula: facility_area >= 600
          target: {op: ">=", value: 100}
          cite: {section: s, quote: q}
        """,
        fields_yaml="""
        - id: facility_built_year
          type: integer
          name: {zh: 建成年份}
        """,
    )
    r = evaluate(plan, census([{"facility_built_year": None, "facility_area": 700}]))
    row = r.get("new_area").communities.iloc[0]
    assert row["status"] == NOT_COMPUTABLE
    assert row["reason"] == "missing:facility_built_year"

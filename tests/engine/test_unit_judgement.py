"""Which units a target judges: a community is told to act only on what applies to it.

Hand-made plans and censuses (realistic names, mixed urban/rural, several streets), one per
kind of target; each test lists exactly the units that should be flagged.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import plan_from_indicators
from indicators.engine import evaluate
from indicators.engine.results import MET, NO_TARGET, NOT_COMPUTABLE, NOT_MET
from indicators.model.census import census_from_frame
from indicators.report.shortfalls import shortfall_rows

FIELDS = """
- id: has_broadband
  type: boolean
  name: {zh: 是否通宽带}
- id: has_social_work_station
  type: boolean
  name: {zh: 是否设有乡镇(街道)社会工作服务站}
"""

# 桃城区: 河东街道 (2 urban communities, 1 village), 郑家河沿镇 (3 villages);
# 冀州区: 冀州镇 (2 villages). Villages without broadband: 前屯村, 后屯村.
ROWS = [
    ("桃城区", "河东街道", "育才社区", "urban", 1, 1, 2400, 30),
    ("桃城区", "河东街道", "新华社区", "urban", 1, 0, 1800, 10),
    ("桃城区", "河东街道", "前屯村", "rural", 0, 0, 900, 5),
    ("桃城区", "郑家河沿镇", "郑家河沿村", "rural", 1, 0, 700, 4),
    ("桃城区", "郑家河沿镇", "后屯村", "rural", 0, 0, 650, 2),
    ("桃城区", "郑家河沿镇", "大寨村", "rural", 1, 0, 500, 3),
    ("冀州区", "冀州镇", "南关村", "rural", 1, 1, 1200, 9),
    ("冀州区", "冀州镇", "北关村", "rural", None, 0, 800, 2),  # broadband not reported
]


def sample_census():
    frame = pd.DataFrame(
        ROWS,
        columns=[
            "district",
            "street",
            "community",
            "community_type",
            "has_broadband",
            "has_social_work_station",
            "households",
            "community_workers",
        ],
    )
    return census_from_frame(frame, "河北-衡水-样例.xlsx")


def judge(indicator_yaml: str):
    plan = plan_from_indicators(indicator_yaml, fields_yaml=FIELDS)
    results = evaluate(plan, sample_census())
    return results, results.indicators[0]


def flagged(r) -> list[str]:
    """Names of the communities whose status is not met."""
    c = r.communities
    names = pd.Series([row[2] for row in ROWS], index=c.index)
    return sorted(names[(c["status"] == NOT_MET).to_numpy()])


def shortfall_units(results) -> list[tuple[str, str]]:
    rows, _ = shortfall_rows(results, "zh")
    return [(row["level"], row["community"] or row["street"] or row["district"]) for row in rows]


BROADBAND_ZERO = """
- id: rural_broadband_zero_gap
  name: {zh: 未通宽带行政村动态清零}
  level: city
  scope: rural
  formula: not has_broadband
  aggregate: count
  unit: 个
  target: {op: "==", value: 0}
  lever: has_broadband
  cite: {section: s, quote: 全市未通宽带行政村动态清零}
"""


def test_zero_villages_without_broadband_flags_the_villages_without_it():
    results, r = judge(BROADBAND_ZERO)
    assert flagged(r) == ["前屯村", "后屯村"]
    status = dict(zip([row[2] for row in ROWS], r.communities["status"], strict=True))
    # villages with broadband meet "no village without broadband"; urban ones are out of scope
    assert status["郑家河沿村"] == status["大寨村"] == status["南关村"] == MET
    assert status["北关村"] == NOT_COMPUTABLE
    assert r.headline.status == NOT_MET
    assert r.headline.value == 2  # two villages without broadband
    assert r.headline.communities_failing == 2
    # Shortfalls: the city (2 too many) and exactly those two villages
    communities = [u for lvl, u in shortfall_units(results) if lvl == "社区"]
    assert sorted(communities) == ["前屯村", "后屯村"]
    rows, _ = shortfall_rows(results, "zh")
    village = next(x for x in rows if x["community"] == "前屯村")
    assert village["what_it_takes"] == "需通宽带"
    city = next(x for x in rows if x["level"] == "全市")
    assert city["what_it_takes"] == "还需 2 个社区通宽带"  # phrased from the field, not its id


def test_at_most_n_flags_contributors_only_where_the_unit_misses_it():
    at_most_two = BROADBAND_ZERO.replace('{op: "==", value: 0}', '{op: "<=", value: 2}')
    results, r = judge(at_most_two)
    # two villages without broadband: the city meets "at most 2"; nobody is told to act
    assert r.headline.status == MET
    assert flagged(r) == []
    status = dict(zip([row[2] for row in ROWS], r.communities["status"], strict=True))
    assert status["前屯村"] == status["后屯村"] == NO_TARGET
    assert not [u for lvl, u in shortfall_units(results) if lvl == "社区"]
    at_most_one = BROADBAND_ZERO.replace('{op: "==", value: 0}', '{op: "<=", value: 1}')
    results, r = judge(at_most_one)
    assert r.headline.status == NOT_MET
    assert flagged(r) == ["前屯村", "后屯村"]


STATIONS = """
- id: street_social_work_station
  name: {zh: 乡镇(街道)社会工作服务站覆盖率}
  level: street
  formula: has_social_work_station
  aggregate: count
  unit: 个
  target: {op: ">=", value: 1}
  lever: has_social_work_station
  cite: {section: s, quote: 乡镇(街道)社会工作服务站覆盖率达到100%}
"""


def test_street_station_target_judges_streets_and_lists_no_community():
    results, r = judge(STATIONS)
    streets = r.groups["street"].set_index("street")["status"]
    assert streets.to_dict() == {"冀州镇": MET, "河东街道": MET, "郑家河沿镇": NOT_MET}
    # every community is shown for reference (grey), none is told to build the station
    assert set(r.communities["status"]) == {NO_TARGET}
    assert r.communities["shortfall"].isna().all()
    assert shortfall_units(results) == [("街道", "郑家河沿镇")]
    assert (r.headline.units_met, r.headline.units_total, r.headline.units_failing) == (2, 3, 1)
    # the value each community shows is still its own (has the station or not)
    assert list(r.communities["value"]) == [row[5] for row in ROWS]


def test_at_least_n_communities_city_wide_is_judged_on_the_city():
    at_least = STATIONS.replace("level: street", "level: city").replace("value: 1}", "value: 3}")
    results, r = judge(at_least)
    assert r.headline.status == NOT_MET  # 2 communities host a station, 3 wanted
    assert set(r.communities["status"]) == {NO_TARGET}
    assert shortfall_units(results) == [("全市", "")]


def test_district_ratio_target_lists_districts_not_communities():
    results, r = judge(
        """
        - id: workers_per_1000_households
          name: {zh: 每千户社区工作者}
          level: district
          formula: community_workers / households * 1000
          unit: 人/千户
          target: {op: ">=", value: 9}
          cite: {section: s, quote: q}
        """
    )
    districts = r.groups["district"].set_index("district")
    # 桃城区 (30+10+5+4+2+3)/(2400+1800+900+700+650+500) = 54/6950 -> 7.8; 冀州区 11/2000 -> 5.5
    assert districts.loc["桃城区", "value"] == pytest.approx(54 / 6950 * 1000)
    assert districts["status"].to_dict() == {"冀州区": NOT_MET, "桃城区": NOT_MET}
    assert set(r.communities["status"]) == {NO_TARGET}
    # no community is listed; the districts come largest shortfall first (桃城区 needs
    # 63 - 54 = 9 workers, 冀州区 18 - 11 = 7)
    units = shortfall_units(results)
    assert not [u for lvl, u in units if lvl == "社区"]
    assert [u for lvl, u in units if lvl == "区县"] == ["桃城区", "冀州区"]
    assert (r.headline.units_total, r.headline.units_failing) == (2, 2)


def test_community_level_target_still_judges_each_community():
    _, r = judge(
        """
        - id: workers_per_community
          name: {zh: 社区工作者配备}
          level: community
          formula: community_workers
          aggregate: mean
          unit: 人
          target: {op: ">=", value: 5}
          cite: {section: s, quote: q}
        """
    )
    assert flagged(r) == sorted(["后屯村", "北关村", "大寨村", "郑家河沿村"])
    assert (r.headline.units_met, r.headline.units_total) == (4, 8)
    assert np.isclose(r.headline.share_met, 50.0)
    assert r.headline.shown_gap == 4


def test_completion_and_time_elapsed_follow_the_planners_formulas():
    from indicators.engine.results import completion, time_elapsed

    plan = plan_from_indicators(
        """
        - id: area
          name: {zh: 每百户居民拥有社区综合服务设施面积}
          level: city
          formula: community_workers / households * 100
          target: {op: ">=", value: 30, year: 2025}
          baseline: {year: 2020, value: 23.6}
          cite: {section: s, quote: q}
        - id: doubtful
          name: {zh: 印错的基期值}
          level: city
          formula: community_workers / households * 100
          target: {op: ">=", value: 30}
          baseline: {year: 2020, value: 236}
          oddities: ["baseline-exceeds-target"]
          cite: {section: s, quote: q}
        """
    )
    area, doubtful = plan.indicators
    # (27.4 - 23.6) / (30 - 23.6) = 59.4%; 2023 is 3 of the 5 years from 2020 to 2025
    assert completion(area, area.target, 27.4) == pytest.approx(3.8 / 6.4 * 100)
    assert time_elapsed(plan, area, area.target, 2023) == pytest.approx(60.0)
    assert time_elapsed(plan, area, area.target, 2027) == pytest.approx(100.0)
    assert np.isnan(time_elapsed(plan, area, area.target, None))
    assert np.isnan(completion(doubtful, doubtful.target, 27.4))  # never from a doubtful base

"""Small censuses for the report tests, with figures worked out by hand (see each test)."""

from __future__ import annotations

import pandas as pd

from indicators.engine import evaluate
from indicators.model.census import census_from_frame
from indicators.plan import load_plan
from indicators.plan.load import load_plan_text

INJECTION = '=HYPERLINK("http://evil.example","click")'

# Hengshui (衡政办字〔2022〕28号), five communities in two districts. Hand-worked figures:
#   facility_area_per_100_households (urban, ratio of sums, >= 30 m² per 100 households):
#     city = (264 + 300 + 350) / (1200 + 800 + 1000) * 100 = 914 / 3000 * 100 = 30.47 -> met
#     community 1: 264 / 1200 * 100 = 22 -> not met; needs 30 * 12 - 264 = +96 m²
#     street 河东街道: (264 + 300) / 2000 * 100 = 28.2 -> not met; needs 600 - 564 = +36 m²
#   workers_per_10k_urban_residents (urban, >= 18 per 10,000 residents):
#     city = (5 + 6 + 4) / 9000 * 10000 = 16.67 -> not met; needs ceil(16.2 - 15) = 2 workers
#     community 3 (新华社区): 4 / 3000 * 10000 = 13.3; needs ceil(5.4 - 4) = 2 workers
#   rural_facility_coverage (rural, share >= 80%): 1 of 2 = 50% -> needs ceil(1.6) - 1 = 1 more
HENGSHUI_ROWS = [
    dict(
        district="桃城区",
        street="河东街道",
        community=INJECTION,
        community_type="urban",
        households=1200,
        population=3600,
        facility_area=264,
        community_workers=5,
        has_service_facility=1,
        building_area=50000,
        commercial_service_area=4000,
        resident_activity_area=150,
    ),
    dict(
        district="桃城区",
        street="河东街道",
        community="+1+1",
        community_type="urban",
        households=800,
        population=2400,
        facility_area=300,
        community_workers=6,
        has_service_facility=1,
        building_area=20000,
        commercial_service_area=2500,
        resident_activity_area=200,
    ),
    dict(
        district="桃城区",
        street="河西街道",
        community="新华社区",
        community_type="urban",
        households=1000,
        population=3000,
        facility_area=350,
        community_workers=4,
        has_service_facility=0,
        building_area=None,
        commercial_service_area=1000,
        resident_activity_area=100,
    ),
    dict(
        district="冀州区",
        street="冀州镇",
        community="东关村",
        community_type="rural",
        households=500,
        population=1500,
        facility_area=100,
        community_workers=2,
        has_service_facility=0,
        building_area=10000,
        commercial_service_area=100,
        resident_activity_area=70,
    ),
    dict(
        district="冀州区",
        street="冀州镇",
        community="-西关村",
        community_type="rural",
        households=400,
        population=1200,
        facility_area=0,
        community_workers=1,
        has_service_facility=1,
        building_area=8000,
        commercial_service_area=500,
        resident_activity_area=0,
    ),
]


def hengshui_results(name: str = "hengshui-sample.xlsx"):
    plan = load_plan("hengshui-2021-2025")
    census = census_from_frame(pd.DataFrame(HENGSHUI_ROWS), name)
    return evaluate(plan, census)


SMALL_PLAN = """
id: small
title: 小测试规划
title_en: Small test plan
document: 测政〔2024〕1号
period: [2021, 2025]
indicators:
  - id: area
    name: {zh: 每百户设施面积, en: Facility area per 100 households}
    level: city
    where: households > 0
    formula: facility_area / households * 100
    unit: 平方米/百户
    target: {op: '>=', value: 30}
    lever: facility_area
    binding: true
    cite: {section: 三、发展目标, quote: 每百户不低于30平方米}
  - id: cov
    name: {zh: 农村覆盖率, en: Rural coverage}
    level: city
    scope: rural
    formula: has_service_facility
    unit: "%"
    target: {op: '>=', value: 80}
    cite: {section: 三、发展目标, quote: 覆盖率80%}
  - id: members
    name: {zh: 居委会成员数, en: Committee members}
    level: community
    formula: committee_members
    unit: 人
    target: {op: range, min: 5, max: 9}
    cite: {section: 四、重点任务, quote: 5至9人}
  - id: meetings
    name: {zh: 联席会议制度, en: Joint meetings}
    checkable: false
    target_text: 每季度至少1次
    cite: {section: 五、保障措施, quote: 每季度召开联席会议}
"""

# Hand-worked: area city = (400+50+100)/(1000+100+200)*100 = 42.3 (c3 has no facility_area? no:
# c4 is missing facility_area, so the city sums c1..c3 where households > 0: c3 has 0 households
# and is out of scope by `where`) -> (400+50)/(1000+100)*100 = 40.9 -> met.
#   c2: 50/100*100 = 50 met. c1: 40 met. No area shortfall.
# cov (rural: c2, c3, c4): 2 of 3 = 66.7% < 80 -> needs ceil(2.4) - 2 = 1 more community.
# members: c1 5 met, c2 3 (needs +2), c3 12 (needs -3), c4 missing -> not computable.
SMALL_ROWS = [
    dict(
        district="甲区",
        street="一街道",
        community="c1",
        community_type="urban",
        households=1000,
        facility_area=400,
        has_service_facility=1,
        committee_members=5,
    ),
    dict(
        district="甲区",
        street="一街道",
        community="c2",
        community_type="rural",
        households=100,
        facility_area=50,
        has_service_facility=0,
        committee_members=3,
    ),
    dict(
        district="甲区",
        street="二街道",
        community="c3",
        community_type="rural",
        households=0,
        facility_area=100,
        has_service_facility=1,
        committee_members=12,
    ),
    dict(
        district="乙区",
        street="三街道",
        community="c4",
        community_type="rural",
        households=200,
        facility_area=None,
        has_service_facility=1,
        committee_members=None,
    ),
]


def small_results(name: str = "small.xlsx"):
    plan = load_plan_text(SMALL_PLAN, "small.yaml")
    census = census_from_frame(pd.DataFrame(SMALL_ROWS), name)
    return evaluate(plan, census)

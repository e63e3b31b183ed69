"""Each shipped plan, three or more of its indicators, against figures worked out by hand."""

from __future__ import annotations

import pytest

from helpers import census
from indicators.engine import evaluate
from indicators.engine.results import MET, NOT_MET
from indicators.plan import load_plan


def run(plan_id: str, rows: list[dict], year: int | None = None):
    return evaluate(load_plan(plan_id), census(rows), year=year)


U, R = "urban", "rural"


class TestHengshui:
    plan = "hengshui-2021-2025"

    def test_facility_area_per_100_households(self):
        r = run(
            self.plan,
            [
                {"community_type": U, "households": 800, "facility_area": 200},  # 25
                {"community_type": U, "households": 800, "facility_area": 300},  # 37.5
                {"community_type": R, "households": 100, "facility_area": 0},  # out of scope
            ],
        ).get("facility_area_per_100_households")
        assert list(r.communities["status"][:2]) == [NOT_MET, MET]
        assert r.communities["shortfall"].iloc[0] == pytest.approx(40.0)  # 240 - 200 m²
        assert not r.communities["in_scope"].iloc[2]
        # city: (200 + 300) / 1600 * 100 = 31.25 -> met as a ratio of sums
        assert r.headline.value == pytest.approx(31.25)
        assert r.headline.status == MET

    def test_workers_per_10k_urban_residents(self):
        r = run(self.plan, [{"community_type": U, "population": 5000, "community_workers": 6}]).get(
            "workers_per_10k_urban_residents"
        )
        assert r.headline.value == pytest.approx(12.0)
        assert r.headline.status == NOT_MET
        assert r.groups["city"]["shortfall"].iloc[0] == 3.0  # 9 workers needed

    def test_rural_facility_coverage(self):
        rows = [{"community_type": R, "has_service_facility": v} for v in (1, 1, 1, 1, 0)]
        r = run(self.plan, rows).get("rural_facility_coverage")
        assert r.headline.value == pytest.approx(80.0)
        assert r.headline.status == MET

    def test_special_needs_elderly_visit_rate(self):
        rows = [
            {"special_needs_elderly": 12, "special_needs_elderly_visited": 9},
            {"special_needs_elderly": 12, "special_needs_elderly_visited": 12},
            {"special_needs_elderly": 0, "special_needs_elderly_visited": 0},
        ]
        r = run(self.plan, rows).get("special_needs_elderly_monthly_visit_rate")
        assert list(r.communities["value"][:2]) == pytest.approx([75.0, 100.0])
        assert list(r.communities["status"][:2]) == [NOT_MET, MET]
        assert not r.communities["in_scope"].iloc[2]


class TestYangquan:
    plan = "yangquan-chengqu-2015-2018"

    def test_facility_area_per_100_households_by_district(self):
        rows = [
            {"district": "甲区", "community_type": U, "households": 1000, "facility_area": 400},
            {"district": "甲区", "community_type": U, "households": 1000, "facility_area": 700},
            {"district": "乙区", "community_type": U, "households": 1000, "facility_area": 300},
        ]
        r = run(self.plan, rows).get("facility_area_per_100_households")
        districts = r.groups["district"].set_index("district")
        assert districts.loc["甲区", "value"] == pytest.approx(55.0)
        assert districts.loc["甲区", "status"] == MET
        assert districts.loc["乙区", "value"] == pytest.approx(30.0)
        assert districts.loc["乙区", "shortfall"] == pytest.approx(200.0)  # 500 - 300 m²
        assert (r.headline.units_failing, r.headline.units_total) == (1, 2)

    def test_social_orgs_per_10k_residents(self):
        rows = [{"community_type": U, "population": 10000, "social_orgs": 15}]
        r = run(self.plan, rows).get("social_orgs_per_10k_residents")
        district = r.groups["district"].iloc[0]
        assert district["value"] == pytest.approx(15.0)
        assert district["status"] == NOT_MET
        assert district["shortfall"] == 5.0  # 20 organisations needed

    def test_new_three_part_governance_per_street(self):
        rows = [
            {"street": "一街道", "community_type": U, "new_three_part_governance": 1},
            {"street": "一街道", "community_type": U, "new_three_part_governance": 1},
            {"street": "二街道", "community_type": U, "new_three_part_governance": 1},
            {"street": "二街道", "community_type": U, "new_three_part_governance": 0},
        ]
        r = run(self.plan, rows).get("new_three_part_governance_per_street")
        streets = r.groups["street"].set_index("street")
        assert list(streets["value"]) == [2.0, 1.0]
        assert list(streets["status"]) == [MET, NOT_MET]


class TestYantai:
    plan = "yantai-2020"

    def test_urban_and_rural_centre_area(self):
        rows = [
            {"community_type": U, "facility_area": 580},
            {"community_type": R, "facility_area": 520},
        ]
        results = run(self.plan, rows)
        urban = results.get("urban_service_centre_area").communities
        rural = results.get("rural_service_centre_area").communities
        assert urban["status"].iloc[0] == NOT_MET
        assert urban["shortfall"].iloc[0] == pytest.approx(20.0)
        assert rural["status"].iloc[1] == MET

    def test_service_facility_coverage(self):
        rows = [{"has_service_facility": v} for v in (1, 1, 1, 0)]
        r = run(self.plan, rows).get("service_facility_coverage")
        assert r.headline.value == pytest.approx(75.0)
        assert r.groups["city"]["shortfall"].iloc[0] == 1.0  # one more community


class TestSongjiang:
    plan = "songjiang-zhongshan-2018-2020"

    def test_committee_size_range(self):
        rows = [{"community_type": U, "committee_members": v} for v in (4, 9, 10)]
        r = run(self.plan, rows).get("committee_size")
        assert list(r.communities["status"]) == [NOT_MET, MET, NOT_MET]

    def test_households_about_1500(self):
        rows = [{"community_type": U, "households": v} for v in (1620, 1700, 1350)]
        r = run(self.plan, rows).get("households_per_committee")
        assert list(r.communities["status"]) == [MET, NOT_MET, MET]

    def test_fulltime_member_share(self):
        rows = [
            {"community_type": U, "committee_members": 9, "fulltime_committee_members": 6},
            {"community_type": U, "committee_members": 9, "fulltime_committee_members": 5},
            {"community_type": U, "committee_members": 0, "fulltime_committee_members": 0},
        ]
        r = run(self.plan, rows).get("fulltime_member_share")
        assert r.communities["value"].iloc[0] == pytest.approx(600 / 9)
        assert list(r.communities["status"][:2]) == [MET, NOT_MET]
        assert not r.communities["in_scope"].iloc[2]


class TestNantong:
    plan = "nantong-2011-2015"

    def test_facility_area_ratio_and_minimum(self):
        results = run(self.plan, [{"households": 2500, "facility_area": 450}])
        ratio = results.get("facility_area_per_100_households").communities.iloc[0]
        assert ratio["value"] == pytest.approx(18.0)
        assert ratio["status"] == NOT_MET
        assert ratio["shortfall"] == pytest.approx(50.0)  # 500 - 450 m²
        assert results.get("facility_area_minimum").communities["status"].iloc[0] == MET

    def test_station_workers_per_200_households(self):
        rows = [
            {"households": 1800, "station_staff": 9},
            {"households": 1800, "station_staff": 8},
        ]
        r = run(self.plan, rows).get("station_workers_per_200_households")
        assert list(r.communities["value"]) == pytest.approx([1.0, 8 / 9])
        assert list(r.communities["status"]) == [MET, NOT_MET]
        assert r.communities["shortfall"].iloc[1] == 1.0  # one more worker

    def test_rural_social_orgs_milestone(self):
        rows = [{"community_type": R, "social_orgs": 7}]
        assert (
            run(self.plan, rows, year=2012).get("social_orgs_rural").communities["status"].iloc[0]
            == MET
        )
        assert (
            run(self.plan, rows).get("social_orgs_rural").communities["status"].iloc[0] == NOT_MET
        )

"""Independent audit: target forms, scope, where, milestones, by-type targets, checklists and
the edge cases (zero denominators, empty groups, missing inputs), worked out by hand."""

from __future__ import annotations

import math

import pytest

from helpers import census, plan_from_indicators
from indicators.engine import evaluate
from indicators.engine.results import MET, NO_TARGET, NOT_COMPUTABLE, NOT_MET

CITE = "cite: {section: s, quote: q}"


def one(body: str, rows, year=None, fields: str = "", period=(2021, 2025)):
    plan = plan_from_indicators(body, fields_yaml=fields, period=period)
    return evaluate(plan, census(list(rows)), year=year).indicators[0]


def col(frame, name):
    return list(frame[name])


def nan(x) -> bool:
    return isinstance(x, float) and math.isnan(x)


AREA = """
- id: area
  name: {zh: 每百户设施面积}
  level: community
  formula: facility_area / households * 100
  unit: 平方米/百户
  target: TARGET
  cite: {section: s, quote: q}
"""


def area(target: str, rows):
    return one(AREA.replace("TARGET", target), rows)


# values 25, 30, 35 (facility 250/300/350 m² over 1000 households)
THREE = [dict(households=1000, facility_area=a) for a in (250, 300, 350)]


class TestRangesAndBands:
    def test_range_both_sides(self):
        # range 28..32: 25 below by 3 (needs +30 m²); 30 inside; 35 above by 3 (-30 m²)
        r = area("{op: range, min: 28, max: 32}", THREE)
        assert col(r.communities, "status") == [NOT_MET, MET, NOT_MET]
        assert col(r.communities, "gap") == pytest.approx([-3, 0, 3])
        assert col(r.communities, "shortfall") == pytest.approx([30, 0, -30])

    def test_about_default_tolerance(self):
        # about 30: ±3 (10%) -> 27..33; 25 is 2 short (+20 m²), 35 is 2 over (-20 m²)
        r = area("{op: about, value: 30}", THREE)
        assert col(r.communities, "status") == [NOT_MET, MET, NOT_MET]
        assert col(r.communities, "gap") == pytest.approx([-2, 0, 2])
        assert col(r.communities, "shortfall") == pytest.approx([20, 0, -20])

    def test_about_explicit_tolerance_edges_are_inside(self):
        # about 30 ± 5 -> 25..35 inclusive: all three met, gaps 0
        r = area("{op: about, value: 30, tolerance: 5}", THREE)
        assert col(r.communities, "status") == [MET, MET, MET]
        assert col(r.communities, "gap") == [0, 0, 0]

    def test_exact_value(self):
        # == 30: 25 -> +50 m²? no: 30 - 25 = 5 per 100 households = +50 m²; 35 -> -50 m²
        r = area('{op: "==", value: 30}', THREE)
        assert col(r.communities, "status") == [NOT_MET, MET, NOT_MET]
        assert col(r.communities, "shortfall") == pytest.approx([50, 0, -50])

    def test_at_most_gap_and_shortfall(self):
        # <= 28: 25 met (gap -3, a margin); 30 over by 2 (-20 m²); 35 over by 7 (-70 m²)
        r = area('{op: "<=", value: 28}', THREE)
        assert col(r.communities, "status") == [MET, NOT_MET, NOT_MET]
        assert col(r.communities, "gap") == pytest.approx([-3, 2, 7])
        assert col(r.communities, "shortfall") == pytest.approx([0, -20, -70])

    def test_strict_bounds_continuous_lever(self):
        # > 30: 30 is not met, 35 is
        r = area('{op: ">", value: 30}', THREE)
        assert col(r.communities, "status") == [NOT_MET, NOT_MET, MET]
        r = area('{op: "<", value: 30}', THREE)
        assert col(r.communities, "status") == [MET, NOT_MET, NOT_MET]

    def test_share_range_reaches_the_nearer_end(self):
        # share of communities with a facility in 40..60%: 4 of 5 = 80% -> one fewer (60%),
        # not two (which the lower end 40% would give)
        r = one(
            f"""
            - id: cov
              name: {{zh: 覆盖率}}
              level: city
              formula: has_service_facility
              unit: "%"
              target: {{op: range, min: 40, max: 60}}
              {CITE}
            """,
            [dict(has_service_facility=v) for v in (1, 1, 1, 1, 0)],
        )
        city = r.groups["city"].iloc[0]
        assert city["value"] == pytest.approx(80)
        assert city["gap"] == pytest.approx(20)
        assert city["shortfall"] == -1

    def test_count_strict_and_fractional_bounds(self):
        body = f"""
        - id: n
          name: {{zh: 个数}}
          level: city
          formula: has_service_facility
          aggregate: count
          target: TARGET
          {CITE}
        """
        rows = [dict(has_service_facility=v) for v in (1, 1, 0)]  # count 2
        # > 2: needs 3 -> +1
        r = one(body.replace("TARGET", '{op: ">", value: 2}'), rows)
        assert r.groups["city"]["shortfall"].iloc[0] == 1
        # < 2: at most 1 -> -1
        r = one(body.replace("TARGET", '{op: "<", value: 2}'), rows)
        assert r.groups["city"]["shortfall"].iloc[0] == -1
        # <= 1.5: at most 1 -> -1 (not -0.5)
        r = one(body.replace("TARGET", '{op: "<=", value: 1.5}'), rows)
        assert r.groups["city"]["shortfall"].iloc[0] == -1
        # >= 2.5: 3 -> +1
        r = one(body.replace("TARGET", '{op: ">=", value: 2.5}'), rows)
        assert r.groups["city"]["shortfall"].iloc[0] == 1


class TestWholeWorkers:
    body = f"""
    - id: w
      name: {{zh: 每万人社区工作者}}
      level: community
      formula: community_workers / population * 10000
      target: {{op: ">=", value: 18}}
      {CITE}
    """

    def test_rounds_up_to_whole_workers(self):
        # 3333 residents: 18 per 10k -> 5.9994 workers -> 6; has 5 -> +1
        # 5000 residents: exactly 9 workers; has 8 -> +1 (not 2 from a float wobble)
        # 10001 residents: 18.0018 -> 19; has 10 -> +9
        rows = [
            dict(population=3333, community_workers=5),
            dict(population=5000, community_workers=8),
            dict(population=10001, community_workers=10),
        ]
        r = one(self.body, rows)
        assert col(r.communities, "shortfall") == [1, 1, 9]

    def test_area_is_not_rounded(self):
        # facility_area is a number field: 23.6 per 100 households of 1000 -> +64 m² exactly;
        # 333 households: 30 * 3.33 = 99.9 m² needed, has 50 -> +49.9
        rows = [dict(households=1000, facility_area=236), dict(households=333, facility_area=50)]
        r = area('{op: ">=", value: 30}', rows)
        assert col(r.communities, "shortfall") == pytest.approx([64, 49.9])


class TestScope:
    body = f"""
    - id: w
      name: {{zh: 城市社区每万人社区工作者}}
      level: city
      scope: urban
      formula: community_workers / population * 10000
      target: {{op: ">=", value: 18}}
      {CITE}
    """

    def test_missing_type_is_not_computable_and_not_summed(self):
        # urban A 20/10000 -> 20; rural B out of scope; C has no type: cannot be placed.
        # The city's urban ratio is A alone: 20 (C's 0 workers / 10000 must not drag it to
        # 20/20000 = 10).
        rows = [
            dict(community_type="urban", population=10000, community_workers=20),
            dict(community_type="rural", population=10000, community_workers=0),
            dict(community_type=None, population=10000, community_workers=0),
        ]
        r = one(self.body, rows)
        c = r.communities
        assert col(c, "in_scope") == [True, False, True]
        assert col(c, "status")[0] == MET and col(c, "status")[2] == NOT_COMPUTABLE
        assert c["reason"].iloc[2] == "type-missing"
        assert nan(c["value"].iloc[2])
        city = r.groups["city"].iloc[0]
        assert city["value"] == pytest.approx(20)
        assert city["inputs"] == "community_workers=20; population=10000"
        assert r.headline.status == MET
        assert r.headline.communities_in_scope == 2
        assert r.headline.communities_not_computable == 1

    def test_rural_scope_share(self):
        # rural: 1 of 2 with a facility = 50%; the urban one and the typeless one do not count
        # in the share (the typeless one is not computable)
        rows = [
            dict(community_type="rural", has_service_facility=1),
            dict(community_type="rural", has_service_facility=0),
            dict(community_type="urban", has_service_facility=0),
            dict(community_type=None, has_service_facility=1),
        ]
        r = one(
            f"""
            - id: cov
              name: {{zh: 农村覆盖率}}
              level: city
              scope: rural
              formula: has_service_facility
              unit: "%"
              target: {{op: ">=", value: 60}}
              {CITE}
            """,
            rows,
        )
        city = r.groups["city"].iloc[0]
        assert city["value"] == pytest.approx(50)
        assert (city["n_scope"], city["n_computable"], city["n_met"]) == (3, 2, 1)
        # 60% of 2 = 1.2 -> 2 communities: +1
        assert city["shortfall"] == 1

    def test_where(self):
        # where households >= 500: the small one (200) is out of scope, the one with no
        # household figure cannot be placed.  In scope: 300/1000 -> 30 met; 200/1000 -> 20
        # not met (+100 m²).  city (300+200)/2000*100 = 25
        rows = [
            dict(households=1000, facility_area=300),
            dict(households=1000, facility_area=200),
            dict(households=200, facility_area=0),
            dict(households=None, facility_area=50),
        ]
        r = one(
            f"""
            - id: area
              name: {{zh: 每百户设施面积}}
              level: city
              where: households >= 500
              formula: facility_area / households * 100
              target: {{op: ">=", value: 30}}
              {CITE}
            """,
            rows,
        )
        c = r.communities
        assert col(c, "in_scope") == [True, True, False, True]
        assert col(c, "status")[:2] == [MET, NOT_MET]
        assert c["status"].iloc[3] == NOT_COMPUTABLE
        city = r.groups["city"].iloc[0]
        assert city["value"] == pytest.approx(25)
        # 30 per 100 of 2000 households = 600 m², has 500: +100
        assert city["shortfall"] == pytest.approx(100)


class TestMilestones:
    body = f"""
    - id: cov
      name: {{zh: 覆盖率}}
      level: city
      formula: has_service_facility
      unit: "%"
      target: {{op: ">=", value: 90}}
      milestones:
        - {{year: 2022, op: ">=", value: 50}}
        - {{year: 2023, op: ">=", value: 70}}
      {CITE}
    """
    rows = (*[dict(has_service_facility=v) for v in (1, 1, 1, 0, 0)],)  # 60%

    @pytest.mark.parametrize(
        ("year", "status", "gap", "short"),
        [
            (2021, MET, 10, 0),  # due by 2021: the 2022 milestone (50%)
            (2022, MET, 10, 0),
            (2023, NOT_MET, -10, 1),  # 70% of 5 = 3.5 -> 4: +1
            (2024, NOT_MET, -30, 2),  # final 90%: 4.5 -> 5: +2
            (2025, NOT_MET, -30, 2),
            (None, NOT_MET, -30, 2),
        ],
    )
    def test_year_picks_the_target_due(self, year, status, gap, short):
        r = one(self.body, self.rows, year=year)
        city = r.groups["city"].iloc[0]
        assert city["status"] == status
        assert city["gap"] == pytest.approx(gap)
        assert city["shortfall"] == short


class TestTargetsByType:
    body = f"""
    - id: area
      name: {{zh: 设施面积}}
      level: LEVEL
      formula: facility_area
      unit: 平方米
      target: {{urban: {{op: ">=", value: 300}}, rural: {{op: ">=", value: 200}}}}
      {CITE}
    """
    rows = (
        dict(community_type="urban", facility_area=250),  # -50: +50
        dict(community_type="urban", facility_area=320),  # met, +20
        dict(community_type="rural", facility_area=250),  # met, +50
        dict(community_type="rural", facility_area=150),  # -50: +50
        dict(community_type=None, facility_area=999),  # cannot be placed
    )

    def test_each_community_takes_its_type(self):
        r = one(self.body.replace("LEVEL", "community"), self.rows)
        c = r.communities
        assert col(c, "status") == [NOT_MET, MET, MET, NOT_MET, NOT_COMPUTABLE]
        assert col(c, "gap")[:4] == pytest.approx([-50, 20, 50, -50])
        assert col(c, "shortfall")[:4] == [50, 0, 0, 50]
        city = r.groups["city"].iloc[0]
        # groups have no single target: share compliant 2/4 = 50%, no status of their own
        assert city["share_compliant"] == pytest.approx(50)
        assert city["status"] == NO_TARGET
        assert city["shortfall_all"] == 100
        assert r.headline.status == NOT_MET
        assert (r.headline.units_total, r.headline.units_failing) == (4, 2)
        assert r.headline.communities_not_computable == 1


class TestChecklist:
    fields = """
    - id: has_office
      type: boolean
      name: {zh: 办公室}
    - id: has_library
      type: boolean
      name: {zh: 图书室}
    - id: has_clinic
      type: boolean
      name: {zh: 卫生室}
    """
    body = f"""
    - id: rooms
      name: {{zh: 功能用房}}
      level: LEVEL
      checklist: [has_office, has_library, has_clinic]
      unit: "%"
      target: {{op: ">=", value: 50}}
      {CITE}
    """
    rows = (
        dict(has_office=1, has_library=1, has_clinic=1),  # all: met
        dict(has_office=1, has_library=0, has_clinic=0),  # 2 missing
        dict(has_office=0, has_library=1, has_clinic=1),  # 1 missing
        dict(has_office=1, has_library=None, has_clinic=0),  # unknown library
    )

    def test_checklist(self):
        r = one(self.body.replace("LEVEL", "community"), self.rows, fields=self.fields)
        c = r.communities
        assert col(c, "status") == [MET, NOT_MET, NOT_MET, NOT_COMPUTABLE]
        assert col(c, "shortfall")[:3] == [0, 2, 1]
        assert col(c, "missing_items")[:3] == ["", "图书室、卫生室", "办公室"]
        # share: 1 of 3 computable = 33.3%; 50% of 3 = 1.5 -> 2: +1
        city = r.groups["city"].iloc[0]
        assert city["value"] == pytest.approx(100 / 3)
        assert city["shortfall"] == 1
        assert city["shortfall_all"] == 3
        assert r.headline.status == NOT_MET
        assert (r.headline.units_total, r.headline.units_failing) == (3, 2)


class TestZeroAndMissing:
    body = f"""
    - id: area
      name: {{zh: 每百户设施面积}}
      level: LEVEL
      formula: facility_area / households * 100
      target: {{op: ">=", value: 30}}
      {CITE}
    """

    def test_zero_denominator_in_a_community_and_a_group(self):
        # D1/S1: A 300/1000 -> 30 met; B 50/0 -> not computable (zero households) but its
        #        50 m² still count in the ratio of sums: S1 350/1000*100 = 35.
        # D1/S2: C 0/0 -> not computable; S2 0/0 -> not computable (zero households).
        # D2/S3: E all inputs missing -> not computable; S3 has no usable community.
        # D1: 350/1000 = 35 met; D2 none; city 35 met.
        rows = [
            dict(district="D1", street="S1", households=1000, facility_area=300),
            dict(district="D1", street="S1", households=0, facility_area=50),
            dict(district="D1", street="S2", households=0, facility_area=0),
            dict(district="D2", street="S3", households=None, facility_area=None),
        ]
        r = one(self.body.replace("LEVEL", "street"), rows)
        c = r.communities
        # a street target: the computable community is shown for reference, not judged
        assert col(c, "status") == [NO_TARGET, NOT_COMPUTABLE, NOT_COMPUTABLE, NOT_COMPUTABLE]
        assert col(c, "reason")[:3] == ["", "zero:households", "zero:households"]
        assert c["reason"].iloc[3] == "missing:facility_area"  # the formula's first field
        assert all(nan(x) for x in col(c, "value")[1:])
        assert all(nan(x) for x in col(c, "shortfall")[1:])
        s = r.groups["street"]
        assert s["value"].iloc[0] == pytest.approx(35)
        assert col(s, "status") == [MET, NOT_COMPUTABLE, NOT_COMPUTABLE]
        assert col(s, "reason")[1:] == ["zero:households", "no-communities"]
        assert nan(s["shortfall"].iloc[1]) and nan(s["shortfall"].iloc[2])
        assert nan(s["share_compliant"].iloc[2])
        d = r.groups["district"]
        assert d["value"].iloc[0] == pytest.approx(35)
        assert d["status"].iloc[1] == NOT_COMPUTABLE
        city = r.groups["city"].iloc[0]
        assert city["value"] == pytest.approx(35)
        # streets: one met, two not computable -> "met" would claim more than the data shows
        h = r.headline
        assert h.status == NOT_COMPUTABLE
        assert h.reason == "incomplete:2"
        assert (h.units_total, h.units_failing) == (1, 0)
        assert h.communities_in_scope == 4 and h.communities_not_computable == 3

    def test_nothing_computable(self):
        r = one(self.body.replace("LEVEL", "city"), [dict(households=0, facility_area=0)])
        city = r.groups["city"].iloc[0]
        assert city["status"] == NOT_COMPUTABLE
        assert nan(city["value"]) and nan(city["gap"]) and nan(city["shortfall"])
        assert r.headline.status == NOT_COMPUTABLE
        r = one(self.body.replace("LEVEL", "community"), [dict(households=0, facility_area=0)])
        assert r.headline.status == NOT_COMPUTABLE

    @pytest.mark.parametrize("method", ["share", "count"])
    def test_group_with_no_in_scope_community_has_no_shortfall(self, method):
        # S1: two urban, one with a facility; S2: only rural -> no urban community.
        rows = [
            dict(street="S1", community_type="urban", has_service_facility=1),
            dict(street="S1", community_type="urban", has_service_facility=0),
            dict(street="S2", community_type="rural", has_service_facility=1),
        ]
        r = one(
            f"""
            - id: cov
              name: {{zh: 城市覆盖}}
              level: street
              scope: urban
              formula: has_service_facility
              aggregate: {method}
              target: {{op: ">=", value: {90 if method == "share" else 2}}}
              {CITE}
            """,
            rows,
        )
        s = r.groups["street"]
        assert col(s, "n_scope") == [2, 0]
        assert s["status"].iloc[1] == NOT_COMPUTABLE
        assert s["reason"].iloc[1] == "no-communities"
        assert nan(s["value"].iloc[1]) and nan(s["shortfall"].iloc[1])
        assert s["status"].iloc[0] == NOT_MET
        assert s["shortfall"].iloc[0] == 1  # 90% of 2 = 1.8 -> 2 (+1); or count 2 (+1)
        assert r.headline.status == NOT_MET
        assert (r.headline.units_total, r.headline.units_failing) == (1, 1)

    def test_mean_and_sum_skip_missing(self):
        # volunteers 10, missing, 30: mean 20 over the two known; sum 40
        rows = [dict(volunteers=10), dict(volunteers=None), dict(volunteers=30)]
        body = f"""
        - id: v
          name: {{zh: 志愿者}}
          level: city
          formula: volunteers
          aggregate: METHOD
          target: {{op: ">=", value: 25}}
          {CITE}
        """
        r = one(body.replace("METHOD", "mean"), rows)
        city = r.groups["city"].iloc[0]
        # mean 20: 5 short on average over 2 communities -> +10 in all
        assert (city["value"], city["shortfall"], city["n_computable"]) == (20, 10, 2)
        r = one(body.replace("METHOD", "sum").replace("25", "50"), rows)
        city = r.groups["city"].iloc[0]
        assert (city["value"], city["shortfall"]) == (40, 10)
        # all missing: the sum is not 0, it is unknown
        r = one(body.replace("METHOD", "sum"), [dict(volunteers=None)])
        assert r.groups["city"]["status"].iloc[0] == NOT_COMPUTABLE
        assert nan(r.groups["city"]["value"].iloc[0])

    def test_ratio_ignores_a_community_missing_one_input(self):
        # A 300/1000; B facility missing (its 1000 households must not dilute the sum):
        # city 300/1000*100 = 30 met, not 300/2000 = 15
        rows = [dict(households=1000, facility_area=300), dict(households=1000)]
        r = one(self.body.replace("LEVEL", "city"), rows)
        assert r.groups["city"]["value"].iloc[0] == pytest.approx(30)
        assert r.communities["reason"].iloc[1] == "missing:facility_area"


class TestWholeUnitsInMeansAndSums:
    body = f"""
    - id: v
      name: {{zh: 志愿者}}
      level: city
      formula: volunteers
      aggregate: METHOD
      target: TARGET
      {CITE}
    """

    def run(self, method, target, values):
        body = self.body.replace("METHOD", method).replace("TARGET", target)
        return one(body, [dict(volunteers=v) for v in values]).groups["city"].iloc[0]

    def test_mean_of_people_needs_whole_people(self):
        # mean of 20, 22, 25 = 22.333; >= 25 needs a total of 75, has 67: +8 people
        # (2.667 x 3 = 8.0 here; with 20, 22, 26 (68): 7 -> still whole)
        city = self.run("mean", '{op: ">=", value: 25}', [20, 22, 25])
        assert city["shortfall"] == 8
        city = self.run("mean", '{op: ">=", value: 25.5}', [20, 22, 26])
        # needs 76.5 -> 77 in all, has 68: +9 (not 8.5)
        assert city["shortfall"] == 9

    def test_strict_sum_at_its_bound(self):
        # sum 100, > 100: one more volunteer; < 100: one fewer
        assert self.run("sum", '{op: ">", value: 100}', [60, 40])["shortfall"] == 1
        assert self.run("sum", '{op: "<", value: 100}', [60, 40])["shortfall"] == -1
        # mean 50, > 50 over 2 communities: one more in all
        assert self.run("mean", '{op: ">", value: 50}', [60, 40])["shortfall"] == 1

    def test_area_mean_stays_continuous(self):
        # facility_area is a number: mean 250 of 2, >= 260.25 -> +20.5 m² in all
        body = self.body.replace("volunteers", "facility_area").replace("METHOD", "mean")
        body = body.replace("TARGET", '{op: ">=", value: 260.25}')
        city = one(body, [dict(facility_area=a) for a in (200, 300)]).groups["city"].iloc[0]
        assert city["shortfall"] == pytest.approx(20.5)


def test_lever_in_the_denominator():
    # residents per worker at most 1000, counted in workers (a lever in the denominator,
    # not linear): 10000 / 5 = 2000 -> 10 workers, +5 (the straight-line estimate said +3,
    # and 8 workers leave 1250 per worker); 9500 / 5 -> 9.5 -> 10 workers, +5.
    # city (10000 + 9500) / 10 = 1950 -> 19.5 -> 20 workers: +10
    r = one(
        f"""
        - id: rpw
          name: {{zh: 每名社区工作者服务居民数}}
          level: city
          formula: population / community_workers
          lever: community_workers
          unit: 人
          target: {{op: "<=", value: 1000}}
          {CITE}
        """,
        [dict(population=10000, community_workers=5), dict(population=9500, community_workers=5)],
    )
    assert col(r.communities, "value") == pytest.approx([2000, 1900])
    assert col(r.communities, "shortfall") == [5, 5]
    city = r.groups["city"].iloc[0]
    assert city["value"] == pytest.approx(1950)
    assert city["shortfall"] == 10

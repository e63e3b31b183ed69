"""Independent audit: every aggregate method at every level, worked out by hand.

The census (two districts, three streets, five communities; groups sort by key, so
A区 before B区 and S1, S2, S3 in order):

    A区 / S1 / C1   pop 5000   workers 10   facility 1   volunteers 30
    A区 / S1 / C2   pop 4000   workers  6   facility 0   volunteers 10
    A区 / S2 / C3   pop 2000   workers  3   facility 1   volunteers 20
    B区 / S3 / C4   pop 10000  workers 20   facility 1   volunteers 50
    B区 / S3 / C5   pop 10000  workers 10   facility 0   volunteers  0
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from helpers import census, plan_from_indicators
from indicators.engine import evaluate
from indicators.engine.results import MET, NO_TARGET, NOT_MET

ROWS = [
    dict(district="A区", street="S1", community="C1", population=5000, community_workers=10,
         has_service_facility=1, volunteers=30),
    dict(district="A区", street="S1", community="C2", population=4000, community_workers=6,
         has_service_facility=0, volunteers=10),
    dict(district="A区", street="S2", community="C3", population=2000, community_workers=3,
         has_service_facility=1, volunteers=20),
    dict(district="B区", street="S3", community="C4", population=10000, community_workers=20,
         has_service_facility=1, volunteers=50),
    dict(district="B区", street="S3", community="C5", population=10000, community_workers=10,
         has_service_facility=0, volunteers=0),
]  # fmt: skip


def one(body: str, rows=ROWS, year=None):
    plan = plan_from_indicators(body)
    return evaluate(plan, census(rows), year=year).indicators[0]


def col(frame, name):
    return list(frame[name])


def ratio_plan(level: str, op: str = ">=", value: float = 18) -> str:
    return f"""
    - id: w
      name: {{zh: 每万人社区工作者}}
      level: {level}
      formula: community_workers / population * 10000
      unit: 人/万人
      target: {{op: "{op}", value: {value}}}
      cite: {{section: s, quote: q}}
    """


class TestRatioOfSums:
    """workers per 10,000 residents, target >= 18."""

    @pytest.mark.parametrize("level", ["community", "street", "district", "city"])
    def test_values_at_every_level(self, level):
        r = one(ratio_plan(level))
        c = r.communities
        # C1 10/5000*1e4 = 20; C2 6/4000*1e4 = 15; C3 3/2000*1e4 = 15; C4 20; C5 10
        assert col(c, "value") == pytest.approx([20, 15, 15, 20, 10])
        if level in ("street", "district"):
            # the target judges streets (districts): communities are shown for reference
            assert col(c, "status") == [NO_TARGET] * 5
            assert all(math.isnan(x) for x in col(c, "gap") + col(c, "shortfall"))
        else:
            assert col(c, "status") == [MET, NOT_MET, NOT_MET, MET, NOT_MET]
            assert col(c, "gap") == pytest.approx([2, -3, -3, 2, -8])
            # whole workers: C2 needs 18*4000/1e4 = 7.2 -> 8, has 6 -> +2 (8/4000 = 20);
            # C3 needs 3.6 -> 4, has 3 -> +1; C5 needs 18 -> +8.
            assert col(c, "shortfall") == [0, 2, 1, 0, 8]

        s = r.groups["street"]
        assert col(s, "street") == ["S1", "S2", "S3"]
        # S1 (10+6)/(9000) = 17.777…; S2 3/2000 = 15; S3 30/20000 = 15
        assert col(s, "value") == pytest.approx([160000 / 9000, 15, 15])
        assert col(s, "gap") == pytest.approx([160000 / 9000 - 18, -3, -3])
        # S1 needs 16.2 -> 17 workers, has 16 -> 1; S2 1; S3 36 - 30 = 6
        assert col(s, "shortfall") == [1, 1, 6]
        assert col(s, "share_compliant") == pytest.approx([50, 0, 50])
        assert col(s, "n_met") == [1, 0, 1]
        assert col(s, "shortfall_all") == [2, 1, 8]
        assert col(s, "status") == [NOT_MET] * 3

        d = r.groups["district"]
        # A区 19/11000*1e4 = 17.2727…: needs 19.8 -> 20, +1.  B区 15: +6
        assert col(d, "value") == pytest.approx([190000 / 11000, 15])
        assert col(d, "shortfall") == [1, 6]
        assert col(d, "share_compliant") == pytest.approx([100 / 3, 50])

        city = r.groups["city"].iloc[0]
        # 49/31000*1e4 = 15.806…; needs 55.8 -> 56 workers, has 49 -> +7
        assert city["value"] == pytest.approx(490000 / 31000)
        assert city["gap"] == pytest.approx(490000 / 31000 - 18)
        assert city["shortfall"] == 7
        assert city["shortfall_all"] == 11
        assert city["share_compliant"] == pytest.approx(40)
        assert city["inputs"] == "community_workers=49; population=31000"

        h = r.headline
        assert h.status == NOT_MET
        assert h.value == pytest.approx(490000 / 31000)
        assert h.communities_in_scope == 5
        assert h.communities_failing == (0 if level in ("street", "district") else 3)
        if level == "community":
            assert (h.units_total, h.units_failing) == (5, 3)
        elif level == "street":
            assert (h.units_total, h.units_failing) == (3, 3)
        elif level == "district":
            assert (h.units_total, h.units_failing) == (2, 2)
        if level == "city":
            assert h.gap == pytest.approx(490000 / 31000 - 18)
        else:
            assert math.isnan(h.gap)


# Headline per level: a census where the city meets the target but a district, streets and
# communities do not.
#   D1/S1: C1 30/10000 -> 30 met; C2 10/10000 -> 10 not.  S1 40/20000 -> 20 met
#   D1/S2: C3 17/10000 -> 17 not.                          S2 17 not met
#   D1: 57/30000 -> 19 met
#   D2/S3: C4 15/10000 -> 15 not.                          S3 15 not; D2 15 not
#   city: 72/40000 -> 18.0 exactly: met for >=, not met for >
LEVEL_ROWS = [
    dict(district="D1", street="S1", population=10000, community_workers=30),
    dict(district="D1", street="S1", population=10000, community_workers=10),
    dict(district="D1", street="S2", population=10000, community_workers=17),
    dict(district="D2", street="S3", population=10000, community_workers=15),
]


@pytest.mark.parametrize(
    ("level", "status", "total", "failing"),
    [
        ("community", NOT_MET, 4, 3),
        ("street", NOT_MET, 3, 2),
        ("district", NOT_MET, 2, 1),
        ("city", MET, 0, 0),
    ],
)
def test_headline_status_per_level(level, status, total, failing):
    r = one(ratio_plan(level), LEVEL_ROWS)
    assert r.groups["city"]["value"].iloc[0] == pytest.approx(18.0)
    assert col(r.groups["street"], "status") == [MET, NOT_MET, NOT_MET]
    assert col(r.groups["district"], "status") == [MET, NOT_MET]
    h = r.headline
    assert h.status == status
    if level != "city":
        assert (h.units_total, h.units_failing) == (total, failing)
    else:
        assert h.gap == pytest.approx(0.0)
    if level == "street":
        # '1 of 2 streets' on D1, '0 of 1' on D2, '1 of 3' city-wide
        assert col(r.groups["district"], "units_met") == [1, 0]
        assert col(r.groups["district"], "units_total") == [2, 1]
        assert r.groups["city"]["units_met"].iloc[0] == 1
        assert r.groups["city"]["units_total"].iloc[0] == 3


def test_strict_greater_at_the_bound_needs_one_more_whole_worker():
    # city 72/40000*1e4 = 18.0, target > 18: not met, gap 0. One more worker: 73/40000*1e4
    # = 18.25 > 18. A whole-worker shortfall of 0 beside "not met" would be wrong.
    r = one(ratio_plan("city", ">", 18), LEVEL_ROWS)
    city = r.groups["city"].iloc[0]
    assert city["status"] == NOT_MET
    assert city["gap"] == pytest.approx(0.0)
    assert city["shortfall"] == 1
    # S1 is 20 > 18, met; S2 17: needs > 18 -> 18.000…1 -> 19 workers? 18/10000*1e4 = 18 is
    # not > 18, so 19: +2.  S3 15 -> 19 workers needed: +4.
    assert col(r.groups["street"], "shortfall") == [0, 2, 4]
    # community C2 10 -> needs 19: +9; C3 +2; C4 +4
    assert col(r.communities, "shortfall") == [0, 9, 2, 4]


def test_strict_less_than_at_most():
    # at most: workers per 10k < 18.  C1 30 -> 18 would not be < 18: must drop to 17 workers,
    # -13.  C2 10 met (0).  C3 17 met.  C4 15 met.  city 18.0 not < 18: -1 (71/40000 = 17.75)
    r = one(ratio_plan("city", "<", 18), LEVEL_ROWS)
    assert col(r.communities, "status") == [NOT_MET, MET, MET, MET]
    assert col(r.communities, "gap") == pytest.approx([12, -8, -1, -3])
    assert col(r.communities, "shortfall") == [-13, 0, 0, 0]
    city = r.groups["city"].iloc[0]
    assert city["status"] == NOT_MET
    assert city["shortfall"] == -1


def test_at_most_shortfall_is_negative_and_whole():
    # <= 12 per 10k.  C1 30: down to 12 workers, -18.  C2 10 met.  C3 17: -5.  C4 15: -3.
    # city 72/40000 = 18: allowed 48 workers, -24.  S1 40/20000 = 20 -> 24 allowed, -16.
    r = one(ratio_plan("city", "<=", 12), LEVEL_ROWS)
    assert col(r.communities, "shortfall") == [-18, 0, -5, -3]
    assert col(r.communities, "gap") == pytest.approx([18, -2, 5, 3])
    assert r.groups["city"]["shortfall"].iloc[0] == -24
    assert r.groups["city"]["gap"].iloc[0] == pytest.approx(6)
    assert col(r.groups["street"], "shortfall") == [-16, -5, -3]
    assert r.groups["city"]["shortfall_all"].iloc[0] == -26


def test_at_most_rounds_away_from_zero():
    # <= 12 per 10k with 3000 residents: allowed 3.6 workers -> at most 3.  One community with
    # 5 workers must lose 2 (not 1.4 -> 1, which leaves 4/3000*1e4 = 13.3 > 12).
    r = one(ratio_plan("city", "<=", 12), [dict(population=3000, community_workers=5)])
    assert r.communities["shortfall"].iloc[0] == -2
    assert r.groups["city"]["shortfall"].iloc[0] == -2


class TestShare:
    body = """
    - id: cov
      name: {zh: 综合服务设施覆盖率}
      level: LEVEL
      formula: has_service_facility
      unit: "%"
      target: {op: ">=", value: 80}
      cite: {section: s, quote: q}
    """

    @pytest.mark.parametrize("level", ["community", "street", "district", "city"])
    def test_share(self, level):
        r = one(self.body.replace("LEVEL", level))
        assert r.method == "share"
        assert col(r.communities, "value") == [1, 0, 1, 1, 0]
        judged = [MET, NOT_MET, MET, MET, NOT_MET]
        if level in ("street", "district"):
            judged = [NO_TARGET] * 5  # the streets (districts) are judged, not communities
        assert col(r.communities, "status") == judged
        s = r.groups["street"]
        # S1 1/2 = 50%: needs ceil(0.8*2) = 2 -> +1.  S2 1/1 = 100%.  S3 1/2 = 50%: +1
        assert col(s, "value") == pytest.approx([50, 100, 50])
        assert col(s, "status") == [NOT_MET, MET, NOT_MET]
        assert col(s, "gap") == pytest.approx([-30, 20, -30])
        assert col(s, "shortfall") == [1, 0, 1]
        assert col(s, "inputs") == ["1/2", "1/1", "1/2"]
        d = r.groups["district"]
        # A区 2/3 = 66.67%: ceil(2.4) = 3 -> +1.  B区 50%: +1
        assert col(d, "value") == pytest.approx([200 / 3, 50])
        assert col(d, "shortfall") == [1, 1]
        city = r.groups["city"].iloc[0]
        # 3/5 = 60%: ceil(0.8*5) = 4 -> +1
        assert city["value"] == pytest.approx(60)
        assert city["shortfall"] == 1
        assert city["gap"] == pytest.approx(-20)
        expected = {"community": (5, 2), "street": (3, 2), "district": (2, 2)}
        if level in expected:
            assert (r.headline.units_total, r.headline.units_failing) == expected[level]
        assert r.headline.status == NOT_MET

    def test_share_strictly_above(self):
        # > 60%: 3/5 = 60% is not above; 4/5 = 80% is -> +1 community
        r = one(self.body.replace("LEVEL", "city").replace('">="', '">"').replace("80", "60"))
        city = r.groups["city"].iloc[0]
        assert city["status"] == NOT_MET
        assert city["shortfall"] == 1

    def test_share_at_most(self):
        # at most 20% of communities: 3/5 = 60% -> at most floor(0.2*5) = 1 -> -2
        r = one(self.body.replace("LEVEL", "city").replace('">="', '"<="').replace("80", "20"))
        city = r.groups["city"].iloc[0]
        assert city["status"] == NOT_MET
        assert city["gap"] == pytest.approx(40)
        assert city["shortfall"] == -2

    def test_share_strictly_below(self):
        # < 60%: 3/5 = 60% is not below; 2/5 = 40% is -> -1 community
        r = one(self.body.replace("LEVEL", "city").replace('">="', '"<"').replace("80", "60"))
        city = r.groups["city"].iloc[0]
        assert city["status"] == NOT_MET
        assert city["shortfall"] == -1


class TestCount:
    body = """
    - id: n
      name: {zh: 建有综合服务设施的社区数}
      level: LEVEL
      formula: has_service_facility
      aggregate: count
      unit: 个
      target: {op: ">=", value: 2}
      cite: {section: s, quote: q}
    """

    def test_count_per_street(self):
        r = one(self.body.replace("LEVEL", "street"))
        s = r.groups["street"]
        assert col(s, "value") == [1, 1, 1]
        assert col(s, "status") == [NOT_MET] * 3
        assert col(s, "gap") == [-1, -1, -1]
        assert col(s, "shortfall") == [1, 1, 1]
        # a per-street count says nothing about districts or the city
        assert col(r.groups["district"], "value") == [2, 1]
        assert col(r.groups["district"], "status") == [NO_TARGET, NO_TARGET]
        assert r.groups["city"]["value"].iloc[0] == 3
        assert r.groups["city"]["status"].iloc[0] == NO_TARGET
        assert r.headline.status == NOT_MET
        assert (r.headline.units_total, r.headline.units_failing) == (3, 3)

    def test_count_at_city(self):
        # 3 communities have one; target >= 4 city-wide -> +1
        r = one(self.body.replace("LEVEL", "city").replace("value: 2", "value: 4"))
        city = r.groups["city"].iloc[0]
        assert (city["value"], city["status"], city["shortfall"]) == (3, NOT_MET, 1)
        assert col(r.groups["street"], "status") == [NO_TARGET] * 3

    def test_count_at_most(self):
        # at most 1 per district: A区 2 -> -1, B区 1 met
        r = one(self.body.replace("LEVEL", "district").replace('">=", value: 2', '"<=", value: 1'))
        d = r.groups["district"]
        assert col(d, "status") == [NOT_MET, MET]
        assert col(d, "shortfall") == [-1, 0]


class TestSumAndMean:
    def test_sum_at_city(self):
        # volunteers 30+10+20+50+0 = 110; target >= 150 -> +40
        r = one(
            """
            - id: v
              name: {zh: 志愿者总数}
              level: city
              formula: volunteers
              aggregate: sum
              unit: 人
              target: {op: ">=", value: 150}
              cite: {section: s, quote: q}
            """
        )
        assert col(r.communities, "status") == [NO_TARGET] * 5
        assert col(r.groups["street"], "value") == [40, 20, 50]
        assert col(r.groups["street"], "status") == [NO_TARGET] * 3
        assert col(r.groups["district"], "value") == [60, 50]
        city = r.groups["city"].iloc[0]
        assert (city["value"], city["gap"], city["shortfall"]) == (110, -40, 40)
        assert r.headline.status == NOT_MET
        assert r.headline.communities_failing == 0

    def test_sum_per_street(self):
        # >= 30 per street: S1 40 met, S2 20 -> +10, S3 50 met
        r = one(
            """
            - id: v
              name: {zh: 志愿者总数}
              level: street
              formula: volunteers
              aggregate: sum
              target: {op: ">=", value: 30}
              cite: {section: s, quote: q}
            """
        )
        assert col(r.groups["street"], "status") == [MET, NOT_MET, MET]
        assert col(r.groups["street"], "shortfall") == [0, 10, 0]
        assert r.groups["city"]["status"].iloc[0] == NO_TARGET
        assert r.headline.status == NOT_MET
        assert (r.headline.units_total, r.headline.units_failing) == (3, 1)

    @pytest.mark.parametrize("level", ["community", "street", "district", "city"])
    def test_mean(self, level):
        # mean volunteers, >= 25.  communities 30 M, 10 N, 20 N, 50 M, 0 N
        # streets: S1 (30+10)/2 = 20 N (+5 each, +10 in all); S2 20 N (+5); S3 25 M
        # districts: A区 60/3 = 20 N (+15 in all); B区 25 M;  city 110/5 = 22 N (+15)
        r = one(
            f"""
            - id: v
              name: {{zh: 平均志愿者}}
              level: {level}
              formula: volunteers
              target: {{op: ">=", value: 25}}
              cite: {{section: s, quote: q}}
            """
        )
        assert r.method == "mean"
        if level in ("street", "district"):
            assert col(r.communities, "status") == [NO_TARGET] * 5
            assert all(math.isnan(x) for x in col(r.communities, "shortfall"))
        else:
            assert col(r.communities, "status") == [MET, NOT_MET, NOT_MET, MET, NOT_MET]
            assert col(r.communities, "shortfall") == [0, 15, 5, 0, 25]
        assert col(r.groups["street"], "value") == pytest.approx([20, 20, 25])
        assert col(r.groups["street"], "shortfall") == pytest.approx([10, 5, 0])
        assert col(r.groups["district"], "value") == pytest.approx([20, 25])
        assert col(r.groups["district"], "shortfall") == pytest.approx([15, 0])
        city = r.groups["city"].iloc[0]
        assert city["value"] == pytest.approx(22)
        assert city["shortfall"] == pytest.approx(15)
        assert city["shortfall_all"] == pytest.approx(45)
        expected = {"community": (5, 3), "street": (3, 2), "district": (2, 1)}
        if level in expected:
            assert (r.headline.units_total, r.headline.units_failing) == expected[level]


def test_share_compliant_and_ratio_of_sums_disagree():
    # One big community well above, four small ones below: the ratio of sums meets >= 18
    # while only 20% of communities do.
    #   big: 100 workers / 20000 -> 50.  small: 1 / 1000 -> 10 (x4)
    #   city: 104 / 24000 * 1e4 = 43.33 met;  share compliant 1/5 = 20%
    rows = [dict(population=20000, community_workers=100)] + [
        dict(population=1000, community_workers=1) for _ in range(4)
    ]
    r = one(ratio_plan("city"), rows)
    city = r.groups["city"].iloc[0]
    assert city["value"] == pytest.approx(1040000 / 24000)
    assert city["status"] == MET
    assert city["share_compliant"] == pytest.approx(20)
    assert r.headline.status == MET
    assert r.headline.communities_failing == 4
    # the four small ones need 1.8 -> 2 workers each: +1 each, 4 in all; the city itself 0
    assert city["shortfall"] == 0
    assert city["shortfall_all"] == 4
    # the reverse: most communities meet a share target as a community, the ratio does not
    rows = [dict(population=20000, community_workers=10)] + [
        dict(population=1000, community_workers=2) for _ in range(4)
    ]
    r = one(ratio_plan("city"), rows)
    city = r.groups["city"].iloc[0]
    # city 18 / 24000 * 1e4 = 7.5 not met; communities 5 N, 20 M x4 -> 80% compliant
    assert city["value"] == pytest.approx(7.5)
    assert city["status"] == NOT_MET
    assert city["share_compliant"] == pytest.approx(80)
    # 18 * 2.4 = 43.2 -> 44 workers, has 18 -> +26
    assert city["shortfall"] == 26


def test_no_numbers_are_infinite():
    r = one(ratio_plan("street"))
    for frame in [r.communities, *r.groups.values()]:
        nums = frame.select_dtypes("number").to_numpy(dtype="float64")
        assert not np.isinf(nums).any()

"""Independent audit: the written JSON, CSV and xlsx reports carry the Results' numbers, and
no inf or NaN leaks into any of them (a census full of zero denominators and gaps)."""

from __future__ import annotations

import csv
import json
import math

import openpyxl
import pytest

from helpers import census, plan_from_indicators
from indicators.engine import evaluate
from indicators.engine.results import GROUP_LEVELS
from indicators.report.outputs import write_one

PLAN = """
- id: workers
  name: {zh: 每万人社区工作者, en: Workers per 10k}
  level: street
  formula: community_workers / population * 10000
  unit: 人/万人
  target: {op: ">=", value: 18}
  cite: {section: s, quote: q}
- id: cov
  name: {zh: 覆盖率, en: Coverage}
  level: city
  scope: urban
  formula: has_service_facility
  unit: "%"
  target: {op: ">", value: 50}
  cite: {section: s, quote: q}
- id: vol
  name: {zh: 志愿者总数, en: Volunteers}
  level: city
  formula: volunteers
  aggregate: sum
  unit: 人
  target: {op: ">=", value: 100}
  cite: {section: s, quote: q}
- id: area
  name: {zh: 设施面积, en: Facility area}
  level: community
  formula: facility_area
  unit: 平方米
  target: {urban: {op: ">=", value: 300}, rural: {op: "<=", value: 200}}
  cite: {section: s, quote: q}
- id: ratio_hh
  name: {zh: 无数据, en: Nothing}
  level: district
  formula: households / population
  target: {op: about, value: 0.3}
  cite: {section: s, quote: q}
"""

# A/S1: c1 urban 10000 residents, 20 workers (20, met), facility yes, 30 vol, 350 m²
#       c2 urban 0 residents, 0 workers (zero denominator), facility no, 10 vol, 250 m²
# A/S2: c3 rural 5000, 5 workers (10, not met: 9 needed, +4), no type info on facility,
#       vol missing, 250 m² (rural <= 200: -50)
# B/S3: c4 no type, everything missing
ROWS = [
    dict(district="A", street="S1", community="c1", community_type="urban", population=10000,
         community_workers=20, has_service_facility=1, volunteers=30, facility_area=350,
         households=3000),
    dict(district="A", street="S1", community="c2", community_type="urban", population=0,
         community_workers=0, has_service_facility=0, volunteers=10, facility_area=250,
         households=0),
    dict(district="A", street="S2", community="c3", community_type="rural", population=5000,
         community_workers=5, has_service_facility=None, volunteers=None, facility_area=250,
         households=None),
    dict(district="B", street="S3", community="c4", community_type=None, population=None,
         community_workers=None, has_service_facility=None, volunteers=None,
         facility_area=None, households=None),
]  # fmt: skip


@pytest.fixture(scope="module")
def results():
    return evaluate(plan_from_indicators(PLAN), census(ROWS))


def test_hand_worked_figures(results):
    w = results.get("workers")
    s = w.groups["street"]
    # S1 20/10000 -> 20 met (c2's zeros add nothing); S2 5/5000 -> 10: 9 workers, +4;
    # S3 nothing usable
    assert list(s["value"][:2]) == pytest.approx([20, 10])
    assert list(s["shortfall"][:2]) == [0, 4]
    assert math.isnan(s["value"].iloc[2]) and math.isnan(s["shortfall"].iloc[2])
    assert w.headline.status == "not_met"
    assert (w.headline.units_total, w.headline.units_failing) == (2, 1)
    # city 25/15000*1e4 = 16.67
    assert w.headline.value == pytest.approx(250000 / 15000)
    cov = results.get("cov").groups["city"].iloc[0]
    # urban c1 yes, c2 no -> 50%, not > 50: one more community (2/2)
    assert cov["value"] == pytest.approx(50)
    assert cov["status"] == "not_met"
    assert cov["shortfall"] == 1
    vol = results.get("vol").groups["city"].iloc[0]
    assert (vol["value"], vol["shortfall"]) == (40, 60)
    area = results.get("area").communities
    assert list(area["status"]) == ["met", "not_met", "not_met", "not_computable"]
    assert list(area["shortfall"][:3]) == [0, 50, -50]
    none = results.get("ratio_hh")
    # households/population: c1 0.3 (inside 0.27..0.33), c2 0/0, c3/c4 missing
    assert none.groups["district"]["status"].tolist() == ["met", "not_computable"]
    assert none.headline.status == "not_computable"  # one district cannot be judged


def _no_nan_json(text: str):
    def refuse(name):
        raise AssertionError(f"{name} in JSON")

    return json.loads(text, parse_constant=refuse)


def close(a, b) -> bool:
    if b is None or (isinstance(b, float) and math.isnan(b)):
        return a is None or a == ""
    return a is not None and a != "" and math.isclose(float(a), float(b), rel_tol=1e-9)


def test_json_matches_results(results, tmp_path):
    path = tmp_path / "r.json"
    write_one(results, path, "en")
    doc = _no_nan_json(path.read_text(encoding="utf-8"))
    inds = {i["id"]: i for i in doc["files"][0]["indicators"]}
    for r in results.indicators:
        d = inds[r.indicator.id]
        assert close(d["headline"]["value"], r.headline.value)
        assert close(d["headline"]["gap"], r.headline.gap)
        assert d["headline"]["status"] == r.headline.status
        for level in GROUP_LEVELS:
            g = r.groups[level]
            for row, rec in zip(d["groups"][level], g.to_dict("records"), strict=True):
                for k in ("value", "gap", "shortfall", "shortfall_all", "share_compliant"):
                    assert close(row[k], rec[k]), (r.indicator.id, level, k)
                assert row["status"] == rec["status"]
        c = r.communities[r.communities["in_scope"]]
        for row, rec in zip(d["communities"], c.to_dict("records"), strict=True):
            for k in ("value", "gap", "shortfall"):
                assert close(row[k], rec[k]), (r.indicator.id, k)


def test_csv_matches_results(results, tmp_path):
    path = tmp_path / "r.csv"
    write_one(results, path, "en")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    for line in body:
        for cell in line:
            assert cell.lower() not in ("nan", "inf", "-inf", "infinity", "<na>", "none")
    ix = {name: i for i, name in enumerate(header)}
    id_col, level_col = ix["Indicator id"], ix["Level"]
    value_col, gap_col, short_col = ix["Value"], ix["Gap"], ix["Shortfall"]
    type_col = ix["Row type"]
    for r in results.indicators:
        mine = [x for x in body if x[id_col] == r.indicator.id]
        # one headline row per indicator: the Summary's figure and gap
        (head,) = [x for x in mine if x[type_col] == "headline"]
        assert close(head[value_col], r.headline.shown_value), r.indicator.id
        assert close(head[gap_col], r.headline.shown_gap), r.indicator.id
        assert head[ix["Status code"]] == r.headline.status
        mine = [x for x in mine if x[type_col] != "headline"]
        by_level = {}
        for x in mine:
            by_level.setdefault(x[level_col], []).append(x)
        for level, label in (("city", "city"), ("district", "district"), ("street", "street")):
            g = r.groups[level]
            got = by_level[label]
            assert len(got) == len(g)
            for x, rec in zip(got, g.to_dict("records"), strict=True):
                assert close(x[value_col], rec["value"]), (r.indicator.id, level)
                assert close(x[gap_col], rec["gap"]), (r.indicator.id, level)
                assert close(x[short_col], rec["shortfall"]), (r.indicator.id, level)
        c = r.communities[r.communities["in_scope"]]
        got = by_level["community"]
        assert len(got) == len(c)
        for x, rec in zip(got, c.to_dict("records"), strict=True):
            assert close(x[value_col], rec["value"])
            assert close(x[gap_col], rec["gap"])
            assert close(x[short_col], rec["shortfall"])


def test_workbook_matches_results(results, tmp_path):
    path = tmp_path / "r.xlsx"
    write_one(results, path, "en")
    wb = openpyxl.load_workbook(path, data_only=True)
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                if isinstance(v, float):
                    assert math.isfinite(v), ws.title
                if isinstance(v, str):
                    assert v.strip().lower() not in ("nan", "inf", "-inf", "#num!", "<na>")

    # Summary: header on row 6, one row per indicator; Actual in F, Gap in G. A target every
    # unit must meet shows "met/judged ..." and the units short; a city target its figure.
    ws = wb["Summary"]
    rows = {ws.cell(row, 2).value: row for row in range(7, 7 + len(results.indicators))}
    for r in results.indicators:
        row = rows[r.indicator.name_en]  # missed targets come first
        h = r.headline
        assert ws.cell(row, 2).value == r.indicator.name_en
        if h.per_unit:
            assert ws.cell(row, 6).value.startswith(f"{h.units_met}/{h.units_total} ")
        else:
            assert close(ws.cell(row, 6).value, h.value)
        assert close(ws.cell(row, 7).value, h.shown_gap)

    # Communities: keys (district, street, community, type), then 4 columns per indicator
    ws = wb["Communities"]
    for i in range(len(ROWS)):
        for j, r in enumerate(results.indicators):
            c = r.communities.iloc[i]
            col = 5 + 4 * j
            if not c["in_scope"]:
                assert ws.cell(3 + i, col).value is None
                continue
            assert close(ws.cell(3 + i, col).value, c["value"]), (i, r.indicator.id)
            assert close(ws.cell(3 + i, col + 2).value, c["gap"]), (i, r.indicator.id)

    # Streets: keys (district, street), then value, target, status, share, shortfall
    ws = wb["Streets"]
    for j, r in enumerate(results.indicators):
        g = r.groups["street"]
        for i, rec in enumerate(g.to_dict("records")):
            col = 3 + 5 * j
            assert ws.cell(3 + i, 1).value == rec["district"]
            assert close(ws.cell(3 + i, col).value, rec["value"]), (r.indicator.id, i)
            assert close(ws.cell(3 + i, col + 3).value, rec["share_compliant"])
            assert close(ws.cell(3 + i, col + 4).value, rec["shortfall"]), (r.indicator.id, i)

    # Districts: one row per district, then the city
    ws = wb["Districts"]
    for j, r in enumerate(results.indicators):
        rows = [*r.groups["district"].to_dict("records"), r.groups["city"].iloc[0].to_dict()]
        for i, rec in enumerate(rows):
            col = 2 + 5 * j
            assert close(ws.cell(3 + i, col).value, rec["value"]), (r.indicator.id, i)
            assert close(ws.cell(3 + i, col + 4).value, rec["shortfall"]), (r.indicator.id, i)

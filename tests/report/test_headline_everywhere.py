"""One headline per indicator, the same in every format, for every shipped plan and sample.

For a target every community (street, district) must meet, the headline is "met/judged units"
and the gap the units short; for a city target, the city's figure and its distance from the
target. Status, figure and gap must agree with each other and with what each format prints,
and `assess` must follow the same figure.
"""

from __future__ import annotations

import csv
import io
import json
import math
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pytest
from rich.console import Console

from indicators.assess.assessment import assess, tracks_value
from indicators.engine.results import MET, NOT_MET
from indicators.model.i18n import t
from indicators.plan import load_plan
from indicators.report.csv_report import render_csv
from indicators.report.github import render_github
from indicators.report.json_report import render_json
from indicators.report.junit import render_junit
from indicators.report.markdown import render_markdown
from indicators.report.shortfalls import shortfall_rows
from indicators.report.terminal import print_summary
from indicators.report.text import fmt_number
from indicators.report.workbook import write_workbook
from indicators.run.pipeline import ReadOptions, check_file

ROOT = Path(__file__).resolve().parents[2]
PLANS = [
    "hengshui-2021-2025",
    "yangquan-chengqu-2015-2018",
    "yantai-2020",
    "songjiang-zhongshan-2018-2020",
    "nantong-2011-2015",
]


@pytest.fixture(scope="module", params=PLANS)
def outcome(request):
    plan = load_plan(request.param)
    o = check_file(plan, ROOT / "sample_data" / f"{request.param}.xlsx", ReadOptions())
    assert o.results is not None
    return o


def expected(r) -> tuple[str, str]:
    """(actual, gap) as a reader must find them, worked out from the engine's counts."""
    h, ind = r.headline, r.indicator
    if h.per_unit:
        return f"{h.units_met:,}/{h.units_total:,}", f"{h.units_failing:,}"
    return fmt_number(h.value, "%" if ind.unit == "%" else ""), fmt_number(h.gap)


def test_status_figure_and_gap_agree(outcome):
    for r in outcome.results.indicators:
        h, name = r.headline, r.indicator.id
        if h.per_unit:
            assert h.units_met + h.units_failing == h.units_total, name
            if h.status == MET:
                assert h.units_failing == 0, name
            if h.status == NOT_MET:
                assert h.units_failing > 0, name
        elif h.status in (MET, NOT_MET) and r.target is not None:
            assert bool(r.target.met([h.value])[0]) == (h.status == MET), name
        if h.status == NOT_MET:
            # the gap is never blank for a missed target
            assert math.isfinite(h.shown_gap) and h.shown_gap != 0, name


def test_every_format_shows_the_same_headline(outcome, tmp_path):
    results = outcome.results
    lang = "zh"
    md = render_markdown([outcome], lang)
    summary_md = md.split("\n## ")[1]
    data = json.loads(render_json([outcome], lang))["files"][0]["indicators"]
    rows = list(csv.reader(io.StringIO(render_csv([outcome], lang))))
    head = {name: i for i, name in enumerate(rows[0])}
    junit = {
        c.get("name"): c for c in ET.fromstring(render_junit([outcome], lang)).iter("testcase")
    }
    github = render_github([outcome], lang)
    screens = []
    for width in (200, 80):
        console = Console(width=width, file=io.StringIO())
        print_summary(console, results, lang)
        screens.append(console.file.getvalue())
    path = write_workbook(results, tmp_path / "gaps.xlsx", lang)
    book = openpyxl.load_workbook(path)
    ws = book["汇总"]
    header = [c.value for c in ws[6]]
    sheet_rows = {row[1].value: row for row in ws.iter_rows(min_row=7)}
    order = [row[header.index("状态")].value for row in ws.iter_rows(min_row=7) if row[1].value]
    missed = t("status.not_met", lang)
    assert order == sorted(order, key=lambda s: s != missed)  # missed targets first
    card = book["记分卡"]
    card_rows = {row[1].value: row for row in card.iter_rows(min_row=5)}
    city_col = [c.value for c in card[4]].index("全市")

    for r, js in zip(results.indicators, data, strict=True):
        ind, h = r.indicator, r.headline
        actual, gap = expected(r)
        status = t(f"status.{h.status}", lang)
        # markdown: the indicator's Summary row
        (line,) = [x for x in summary_md.splitlines() if x.split(" | ")[1:2] == [ind.name(lang)]]
        assert actual in line and status in line, (ind.id, line)
        if h.status == NOT_MET:
            assert gap.lstrip("-") in line
        # json
        assert js["id"] == ind.id and js["headline"]["status"] == h.status
        shown = js["headline"]["shown"]
        assert actual in shown["actual_text"]
        if h.status == NOT_MET:
            assert gap in shown["gap_text"]
        # csv: the headline row
        (row,) = [
            x for x in rows[1:] if x[head["指标代码"]] == ind.id and x[head["行类型"]] == "汇总结论"
        ]
        assert row[head["状态代码"]] == h.status
        if h.per_unit:
            assert float(row[head["数值"]]) == pytest.approx(h.share_met)
        elif math.isfinite(h.value):
            assert float(row[head["数值"]]) == pytest.approx(h.value)
        if h.status == NOT_MET:
            assert float(row[head["差距"]]) == pytest.approx(h.shown_gap)
        # junit and github: a missed target names its figure and its gap
        case = next(c for name, c in junit.items() if name.endswith(f"（{ind.id}）"))
        failure = case.find("failure")
        assert (failure is not None) == (h.status == NOT_MET), ind.id
        if failure is not None:
            assert actual in failure.get("message", "") + (failure.text or "")
            (warning,) = [x for x in github.splitlines() if f"::{ind.name(lang)}：" in x]
            assert actual in warning.replace("%25", "%") and gap in warning
        # terminal, wide and narrow
        for screen in screens:
            assert actual in screen, ind.id
        # workbook Summary
        cells = sheet_rows[ind.name(lang)]
        got = cells[header.index("现状")].value
        if h.per_unit:
            assert got.startswith(actual + " ")
        elif math.isfinite(h.value):
            assert got == pytest.approx(h.value)
        assert cells[header.index("状态")].value == status
        if h.status == NOT_MET:
            assert cells[header.index("差距")].value == pytest.approx(h.shown_gap)
        # the name opens its block on the district (street) sheet
        link = cells[1].hyperlink.location
        sheet, _, ref = link.partition("!")
        block = book[sheet.strip("'")][ref].value
        assert block.startswith(ind.name(lang)), (link, block)
        # scorecard: the city column is the headline figure, coloured by its status
        city = card_rows[ind.name(lang)][city_col]
        if math.isfinite(h.shown_value):
            assert city.value == pytest.approx(h.shown_value)
        colour = city.fill.fgColor.rgb[-6:]
        if h.status == MET:
            assert colour == "C6EFCE"
        elif h.status == NOT_MET:
            assert colour in ("FFC7CE", "FFE699")  # red, or amber when close


def test_check_and_assess_follow_the_same_figure():
    plan = load_plan("hengshui-2021-2025")
    inputs = []
    for year in (2021, 2022, 2023):
        path = ROOT / f"sample_data/hengshui-2021-2025-census-{year}.xlsx"
        o = check_file(plan, path, ReadOptions())
        inputs.append((year, o.census))
    a = assess(plan, inputs)
    for s in a.indicators:
        for year, value in s.values.items():
            h = s.results[year].headline
            shown = h.value if tracks_value(s.indicator) else h.share_met
            if h.per_unit or tracks_value(s.indicator):
                assert h.shown_value == pytest.approx(shown, nan_ok=True)
            assert value == pytest.approx(shown, nan_ok=True), (s.indicator.id, year)


def test_no_community_is_listed_for_a_street_or_district_target(outcome):
    """Shortfalls is what a planner forwards to street offices: a street- or district-level
    target must never put a community on it."""
    rows, _ = shortfall_rows(outcome.results, "zh")
    community = t("level.community", "zh")
    for row in rows:
        if row["result"].indicator.level in ("street", "district"):
            assert row["level"] != community, (row["result"].indicator.id, row["community"])


def test_sample_broadband_lists_exactly_the_villages_without_it():
    plan = load_plan("hengshui-2021-2025")
    o = check_file(plan, ROOT / "sample_data/hengshui-2021-2025.xlsx", ReadOptions())
    frame = o.census.frame
    rural = (frame["community_type"] == "rural").to_numpy()
    without = set(frame.loc[rural & (frame["has_broadband"] == 0).to_numpy(), "community"])
    assert 0 < len(without) < rural.sum()  # the sample has villages on both sides
    rows, _ = shortfall_rows(o.results, "zh")
    broadband = [r for r in o.results.indicators if "has_broadband" in r.indicator.fields]
    assert broadband
    for r in broadband:
        listed = {
            x["community"]
            for x in rows
            if x["result"] is r and x["level"] == t("level.community", "zh")
        }
        assert listed == without, r.indicator.id


def test_sample_station_targets_list_only_streets():
    plan = load_plan("hengshui-2021-2025")
    o = check_file(plan, ROOT / "sample_data/hengshui-2021-2025.xlsx", ReadOptions())
    rows, _ = shortfall_rows(o.results, "zh")
    for r in o.results.indicators:
        if r.indicator.level != "street":
            continue
        mine = [x for x in rows if x["result"] is r]
        failing = r.groups["street"]
        failing = set(failing.loc[(failing["status"] == NOT_MET).to_numpy(), "street"])
        assert failing  # the sample misses both station targets somewhere
        # streets are judged; their district and city rows sum them up; no community row
        assert t("level.community", "zh") not in {x["level"] for x in mine}
        street_rows = [x for x in mine if x["level"] == t("level.street", "zh")]
        assert {x["street"] for x in street_rows} == failing

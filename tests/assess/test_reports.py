"""The assessment workbook (sheets, charts, overview rows) and the text renderers."""

from __future__ import annotations

import json
import zipfile

import openpyxl
import pytest

from indicators.assess import progress as pg
from indicators.assess.assessment import assess
from indicators.model.i18n import t
from indicators.report.assessment_text import render_json, render_markdown
from indicators.report.assessment_workbook import write_assessment_workbook

from .test_assess import PLAN, Y2021, Y2022


@pytest.fixture(scope="module")
def assessment():
    return assess(PLAN, [(2021, Y2021), (2022, Y2022)])


@pytest.fixture(scope="module", params=["zh", "en"])
def workbook(request, assessment, tmp_path_factory):
    lang = request.param
    path = tmp_path_factory.mktemp(lang) / "assessment.xlsx"
    write_assessment_workbook(assessment, path, lang)
    return path, lang


def test_sheets(workbook):
    path, lang = workbook
    wb = openpyxl.load_workbook(path)
    keys = ("overview", "charts", "district", "street", "changes", "issues", "chart_data", "about")
    assert wb.sheetnames == [t(f"assess.sheet.{k}", lang) for k in keys]


def test_one_native_line_chart_per_indicator(workbook, assessment):
    path, _ = workbook
    with zipfile.ZipFile(path) as z:
        charts = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart"))
        assert "xl/charts/chart1.xml" in charts
        assert len(charts) == len(assessment.indicators)
        xml = z.read("xl/charts/chart1.xml").decode()
    assert "<c:lineChart>" in xml
    assert xml.count("<c:ser>") == 3  # actual, trajectory, target


def test_overview_rows(workbook, assessment):
    path, lang = workbook
    ws = openpyxl.load_workbook(path)[t("assess.sheet.overview", lang)]
    rows = list(ws.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r[0] == t("assess.col.no", lang))
    header = rows[head]
    assert t("assess.col.year", lang, year=2021) in header
    assert t("assess.col.year", lang, year=2022) in header
    first = dict(zip(header, rows[head + 1], strict=True))
    assert first[t("assess.col.indicator", lang)] == PLAN.indicators[0].name(lang)
    assert first[t("assess.col.baseline", lang)] == 50
    assert first[t("assess.col.year", lang, year=2021)] == 50
    assert first[t("assess.col.year", lang, year=2022)] == 100
    assert first[t("assess.col.status", lang)] == "✓ " + t(
        "progress.achieved", lang
    )  # arrow glyph first
    assert first[t("assess.col.target_year", lang)] == 2025
    assert len([r for r in rows[head + 1 :] if isinstance(r[0], int)]) == len(assessment.indicators)


def test_about_names_the_method(workbook):
    path, lang = workbook
    ws = openpyxl.load_workbook(path)[t("assess.sheet.about", lang)]
    text = "\n".join(str(c) for row in ws.iter_rows(values_only=True) for c in row if c)
    assert "Open SDG" in text
    assert "0.95" in text and "0.60" in text
    assert "census-2021.xlsx" in text


def test_binding_off_track_row_stands_out(tmp_path):
    slow = Y2021.__class__(**{**Y2021.__dict__})
    a = assess(PLAN, [(2021, Y2021), (2023, slow)])
    assert a.indicators[0].progress.status == pg.LIMITED_PROGRESS
    path = write_assessment_workbook(a, tmp_path / "a.xlsx", "en")
    ws = openpyxl.load_workbook(path)["Overview"]
    assert "binding targets off track" in ws["A3"].value
    status = next(c for row in ws.iter_rows() for c in row if c.value and "⚠" in str(c.value))
    assert status.font.b and status.font.color.rgb.endswith("C00000")


def test_json_has_every_number(assessment):
    data = json.loads(render_json(assessment, "en"))
    assert data["years"] == [2021, 2022]
    first = data["indicators"][0]
    assert first["values"] == {"2021": 50.0, "2022": 100.0}
    assert first["status"] == "achieved" and first["trajectory_method"] == "linear"
    assert {c["kind"] for c in data["changes"]} == {"added", "removed", "renamed"}
    assert {i["code"] for i in data["issues"]} == {"implausible-change"}


def test_markdown_table(assessment):
    text = render_markdown(assessment, "zh")
    assert text.startswith("# ")
    assert "| 设施覆盖率 | ✓ 已实现目标 | 约束性 | 50% (2020) | 50% | 100% |" in text


def test_doubtful_baseline_overdue_and_axes_on_the_sample():
    """Hengshui prints 236 for 23.6 m² per 100 households (an oddity lint reports): progress
    runs from the first census and the status says so; targets due in 2022 and still missed
    in 2023 are overdue; % axes end at 100."""
    from pathlib import Path

    from indicators.assess.assessment import assess
    from indicators.plan import load_plan
    from indicators.report.assessment_text import status_key, status_text
    from indicators.report.assessment_workbook import percent_axis
    from indicators.run.pipeline import ReadOptions, check_file

    root = Path(__file__).resolve().parents[2]
    plan = load_plan("hengshui-2021-2025")
    inputs = []
    for year in (2021, 2022, 2023):
        path = root / f"sample_data/hengshui-2021-2025-census-{year}.xlsx"
        inputs.append((year, check_file(plan, path, ReadOptions()).census))
    a = assess(plan, inputs)
    series = {s.indicator.id: s for s in a.indicators}
    area = series["facility_area_per_100_households"]
    assert area.baseline is None and area.doubtful_baseline == (2020, 236.0)
    assert area.progress.status != "deterioration"  # 27.4 -> 29.8 toward 30 is progress
    assert status_key(area) == "baseline_doubtful"
    assert status_text(area, "zh").startswith("? 基期值存疑")
    volunteers = series["volunteer_service_point_coverage"]  # due 2022, 82.5% in 2023
    assert volunteers.target_year == 2022
    assert status_key(volunteers) == "overdue"
    assert "已逾期" in status_text(volunteers, "zh")
    axis = percent_axis(series["urban_facility_coverage"])
    assert axis["max"] == 100 and axis["min"] <= 90


def test_overview_status_beside_the_name_and_frozen_with_it(workbook, assessment):
    """Issue 18: the status is read first; it sits next to the name and stays on screen."""
    path, lang = workbook
    ws = openpyxl.load_workbook(path)[t("assess.sheet.overview", lang)]
    rows = list(ws.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r[0] == t("assess.col.no", lang))
    header = list(rows[head])
    name_col = header.index(t("assess.col.indicator", lang))
    assert header[name_col + 1] == t("assess.col.status", lang)
    assert header.count(t("assess.col.status", lang)) == 1
    assert ws.freeze_panes == f"D{head + 2}"  # number, name and status stay in view
    # one language per report: the other language's names appear nowhere on the overview
    other = "en" if lang == "zh" else "zh"
    text = "\n".join(str(c) for r in rows for c in r if c)
    for s in assessment.indicators:
        assert s.indicator.name(other) not in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_text_overviews_put_the_status_beside_the_name(assessment, lang):
    from rich.console import Console

    from indicators.report.assessment_text import print_assessment, status_text

    console = Console(record=True, width=200, color_system=None)
    print_assessment(console, assessment, lang)
    lines = console.export_text().splitlines()
    head = next(line for line in lines if t("assess.col.indicator", lang) in line)
    cells = [c.strip() for c in head.split("┃") if c.strip()]
    assert cells[:2] == [t("assess.col.indicator", lang), t("assess.col.status", lang)]
    first = assessment.indicators[0]
    row = next(line for line in lines if first.indicator.name(lang) in line)
    cells = [c.strip() for c in row.split("│") if c.strip()]
    assert cells[1] == status_text(first, lang)

    md = render_markdown(assessment, lang).splitlines()
    header = next(line for line in md if line.startswith("| "))
    assert [c.strip() for c in header.strip("|").split("|")][:2] == [
        t("assess.col.indicator", lang),
        t("assess.col.status", lang),
    ]
    other = "en" if lang == "zh" else "zh"
    assert first.indicator.name(other) not in console.export_text()

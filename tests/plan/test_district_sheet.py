"""District sheets (issue 16): a district's own facts, one row per 区县, read with the same
header matching and findings as the street sheet, judged on the district rows; and street or
district sheets sent as files of their own, attached with --combine."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from typer.testing import CliRunner

from indicators.cli import app
from indicators.engine import evaluate
from indicators.engine.results import MET, NOT_COMPUTABLE, NOT_MET
from indicators.plan import load_plan
from indicators.read import read_census

PLAN = "nantong-2011-2015"
INDICATOR = "district_service_centre_area"
COMMUNITIES = [
    ["崇川区", "和平桥街道", "虹桥社区", 900, 1],
    ["崇川区", "和平桥街道", "濠东社区", 850, 2],
    ["港闸区", "幸福街道", "幸福社区", 700, 1],
    ["海门市", "三厂镇", "三厂村", 1200, 1],
]
# How a 区县 table is written in statistics returns: title, 单位名称, a unit, a 合计 row.
DISTRICT_HEADER = ["单位名称", "社区公共服务中心建筑面积（平方米）", "备注"]
DISTRICTS = [["崇川区", 3200, ""], ["港闸区", 2800, "在建"], ["通州区", 3000, ""]]
runner = CliRunner()


def _community_sheet(ws) -> None:
    ws.title = "社区基本情况"
    ws.append(["2013年社区基本情况统计表"])
    ws.append(["区县", "街道（乡镇）", "社区名称", "户数", "文体团队数"])
    for row in COMMUNITIES:
        ws.append(row)


def _district_sheet(ws, header=DISTRICT_HEADER, rows=DISTRICTS) -> None:
    ws.append(["各县（市、区）社区公共服务中心建设情况"])
    ws.append(header)
    for row in rows:
        ws.append(row)
    ws.append(["合计", sum(r[1] for r in rows), ""])


def one_workbook(path: Path, header=DISTRICT_HEADER, rows=DISTRICTS) -> Path:
    wb = openpyxl.Workbook()
    _community_sheet(wb.active)
    _district_sheet(wb.create_sheet("区县情况"), header, rows)
    wb.save(path)
    return path


def two_files(folder: Path) -> tuple[Path, Path]:
    wb = openpyxl.Workbook()
    _community_sheet(wb.active)
    wb.save(folder / "社区.xlsx")
    wb = openpyxl.Workbook()
    _district_sheet(wb.active)  # the only sheet, left as Excel names it
    wb.save(folder / "区县中心.xlsx")
    return folder / "社区.xlsx", folder / "区县中心.xlsx"


def read(path: Path):
    plan = load_plan(PLAN)
    return plan, read_census(path, vocabulary=plan.vocabulary, required=plan.required_fields())


def by_district(r, column: str = "status") -> dict:
    g = r.groups["district"]
    return dict(zip(g["district"], g[column], strict=True))


def test_district_centre_comes_from_the_district_sheet(tmp_path):
    plan, census = read(one_workbook(tmp_path / "c.xlsx"))
    assert list(census.districts["district"]) == ["崇川区", "港闸区", "通州区"]  # not 合计
    read_as = {(c.sheet, c.column): c.field for c in census.columns}
    assert read_as[("区县情况", "A")] == "district"
    assert read_as[("区县情况", "B")] == INDICATOR
    assert "district_service_centre_area" not in census.frame.columns
    r = evaluate(plan, census).get(INDICATOR)
    # 海门市 has communities but no row: not computable, not a guess from its communities
    assert by_district(r) == {"崇川区": MET, "海门市": NOT_COMPUTABLE, "港闸区": NOT_MET}
    assert by_district(r, "value")["港闸区"] == 2800.0
    assert by_district(r, "gap")["港闸区"] == -200.0
    assert by_district(r, "shortfall")["港闸区"] == 200.0  # 200 m² more to reach 3000
    assert r.headline.status == NOT_MET and r.headline.units_failing == 1
    assert not r.communities["in_scope"].any()
    streets = r.groups["street"]  # a district's own centre has no street figure
    assert len(streets) == 3 and streets["value"].isna().all()
    assert (streets["status"] != NOT_MET).all() and (streets["reason"] == "district-fact").all()


@pytest.mark.parametrize(
    ("key", "area", "value"),
    [
        ("区县名称", "县(市)区级社区公共服务中心面积(平方米)", 3200),
        ("区（县）", "社区公共服务中心面积（万平方米）", 0.32),
        ("县（市、区）", "区级社区公共服务中心面积", 3200),
        ("单位名称", "县(市、区)级社区公共服务中心面积（㎡）", 3200),
    ],
)
def test_district_sheet_headers_as_written(tmp_path, key, area, value):
    rows = [["崇川区", value, ""], ["港闸区", value, ""]]
    plan, census = read(one_workbook(tmp_path / "c.xlsx", [key, area, "备注"], rows))
    assert census.districts["district_service_centre_area"].tolist() == [3200.0, 3200.0]
    assert by_district(evaluate(plan, census).get(INDICATOR))["崇川区"] == MET


def test_district_sheet_findings_name_the_cell(tmp_path):
    rows = [*DISTRICTS, ["崇川区", 2000, "重复填报"]]
    plan, census = read(one_workbook(tmp_path / "c.xlsx", rows=rows))
    found = {i.code: i for i in census.issues}
    lonely = found["district-without-communities"]
    assert (lonely.value, lonely.sheet, lonely.cell) == ("通州区", "区县情况", "A5")
    absent = found["district-not-on-district-sheet"]
    assert (absent.value, absent.sheet, absent.cell) == ("海门市", "社区基本情况", "A6")
    twice = found["duplicate-district"]
    assert (twice.value, twice.cell) == ("崇川区", "A6")
    assert "另见第 3 行" in twice.message("zh")
    # listed twice with different areas: no value rather than a guess
    assert by_district(evaluate(plan, census).get(INDICATOR))["崇川区"] == NOT_COMPUTABLE


def test_no_district_sheet_is_a_warning_not_a_wrong_number(tmp_path):
    wb = openpyxl.Workbook()
    _community_sheet(wb.active)
    wb.save(tmp_path / "c.xlsx")
    plan, census = read(tmp_path / "c.xlsx")
    missing = [i for i in census.issues if i.code == "district-sheet-missing"]
    assert len(missing) == 1 and "县(市、区)级社区公共服务中心面积" in missing[0].message("zh")
    assert census.districts is None and missing[0].severity.value == "warning"
    r = evaluate(plan, census).get(INDICATOR)
    assert r.headline.status == NOT_COMPUTABLE


def _check(*args: str) -> tuple[int, dict]:
    result = runner.invoke(app, ["check", "-p", PLAN, *args, "--format", "json"])
    return result.exit_code, json.loads(result.output) if result.output.startswith("{") else {}


def _indicator(report: dict, ident: str) -> dict:
    return next(i for i in report["files"][0]["indicators"] if i["id"] == ident)


def test_district_file_attached_with_combine(tmp_path):
    communities, districts = two_files(tmp_path)
    code, whole = _check(str(one_workbook(tmp_path / "one.xlsx")))
    code, combined = _check(str(communities), str(districts), "--combine")
    assert code == 0
    assert _indicator(combined, INDICATOR) == _indicator(whole, INDICATOR)  # one number
    issues = {
        (i["code"], i["value"], i["sheet"], i["cell"]) for i in combined["files"][0]["data_issues"]
    }
    assert ("district-without-communities", "通州区", "[区县中心.xlsx]Sheet", "A5") in issues
    assert not any(c == "district-sheet-missing" for c, *_ in issues)
    assert combined["files"][0]["communities"] == 4  # the district file adds no community


def test_district_file_alone_is_a_clear_error(tmp_path):
    _, districts = two_files(tmp_path)
    result = runner.invoke(app, ["check", "-p", PLAN, str(districts)])
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "区县中心.xlsx" in text and "没有社区数据行" in text and "--combine" in text
    english = runner.invoke(app, ["check", "-p", PLAN, str(districts), "--lang", "en"]).output
    assert "no community rows" in " ".join(english.split())
    assert "Traceback" not in result.output
    # only level sheets, even combined, have nothing to attach to
    result = runner.invoke(app, ["check", "-p", PLAN, str(districts), str(districts), "--combine"])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_validate_combines_a_district_file(tmp_path):
    communities, districts = two_files(tmp_path)
    args = ["validate", "-p", PLAN, str(communities), str(districts), "--combine"]
    out = runner.invoke(app, [*args, "--format", "json"]).output
    codes = {
        i["code"]
        for f in json.loads(out)["files"]
        for i in f.get("issues", f.get("data_issues", []))
    }
    assert "district-sheet" in codes and "district-sheet-missing" not in codes


def test_street_sheet_as_a_file_lines_up_with_every_file(tmp_path):
    """Each street office sends its communities; the city sends one street sheet."""
    plan = load_plan(PLAN)
    for street, rows in (("和平桥街道", COMMUNITIES[:2]), ("幸福街道", COMMUNITIES[2:3])):
        wb = openpyxl.Workbook()
        wb.active.append(["区县", "街道（乡镇）", "社区名称", "户数", "文体团队数"])
        for row in rows:
            wb.active.append(row)
        wb.save(tmp_path / f"{street}.xlsx")
    wb = openpyxl.Workbook()
    wb.active.append(["区县", "街道(乡镇)名称", "街道自有文体团队数（个）"])
    wb.active.append(["崇川区", "和平桥街道", 6])
    wb.active.append(["港闸区", "幸福街道", 3])
    wb.save(tmp_path / "街道表.xlsx")
    from indicators.run.pipeline import ReadOptions, check_combined

    files = sorted(tmp_path.glob("*.xlsx"))
    outcome = check_combined(plan, files, ReadOptions())
    codes = [i.code for i in outcome.census.issues]
    assert "street-sheet-missing" not in codes  # the street sheet is one of the files
    assert "street-not-on-street-sheet" not in codes
    assert "street-without-communities" not in codes
    r = outcome.results.get("street_culture_sports_teams")
    g = r.groups["street"]
    assert dict(zip(g["street"], g["status"], strict=True)) == {
        "和平桥街道": MET,
        "幸福街道": NOT_MET,
    }


def test_template_district_sheet_round_trip(tmp_path):
    from indicators.report.template import DISTRICT_SHEET, write_template

    plan = load_plan(PLAN)
    path = tmp_path / "t.xlsx"
    write_template(plan, path, rows=5)
    wb = openpyxl.load_workbook(path)
    assert DISTRICT_SHEET in wb.sheetnames
    sheet = wb[DISTRICT_SHEET]
    assert [c.value for c in sheet[1]] == ["区县", "县(市、区)级社区公共服务中心面积（平方米）"]
    main = wb["社区基本情况"]
    for ws in (main, sheet):
        ws.protection.sheet = False
    for col, value in enumerate(["崇川区", "和平桥街道", "虹桥社区"], start=1):
        main.cell(2, col, value)
    sheet.cell(2, 1, "崇川区")
    sheet.cell(2, 2, 2999.5)
    wb.save(path)
    census = read_census(path, vocabulary=plan.vocabulary)
    assert census.districts["district_service_centre_area"].tolist() == [2999.5]
    r = evaluate(plan, census).get(INDICATOR)
    assert by_district(r) == {"崇川区": NOT_MET}


def test_plan_without_district_facts_writes_no_district_sheet(tmp_path):
    from indicators.report.template import DISTRICT_SHEET, write_template

    write_template(load_plan("hengshui-2021-2025"), tmp_path / "t.xlsx", rows=5)
    assert DISTRICT_SHEET not in openpyxl.load_workbook(tmp_path / "t.xlsx").sheetnames


def test_sample_district_sheet():
    from indicators.run.pipeline import ReadOptions, check_file

    samples = Path(__file__).resolve().parents[2] / "sample_data"
    outcome = check_file(load_plan(PLAN), samples / f"{PLAN}.xlsx", ReadOptions())
    assert outcome.census.districts is not None and len(outcome.census.districts) > 1
    r = outcome.results.get(INDICATOR)
    statuses = set(r.groups["district"]["status"])
    assert statuses <= {MET, NOT_MET} and MET in statuses
    assert not np.isnan(r.groups["city"]["value"].iloc[0])


def test_district_fact_at_street_level_is_refused():
    from tests.plan.plantext import indicator, plan_text

    from indicators.model.errors import PlanError
    from indicators.plan.load import load_plan_text

    keys = {"formula": "district_service_centre_area", "level": "street"}
    text = plan_text(indicator(unit="平方米", target='{op: ">=", value: 3000}', **keys))
    with pytest.raises(PlanError) as exc:
        load_plan_text(text, "t.yaml")
    assert "level district" in str(exc.value.problems)


def test_inspect_shows_the_district_sheet(tmp_path):
    communities, districts = two_files(tmp_path)
    for args in (
        [str(one_workbook(tmp_path / "c.xlsx"))],
        [str(communities), str(districts), "--combine"],
    ):
        result = runner.invoke(app, ["inspect", "-p", PLAN, *args])
        assert result.exit_code == 0, result.output
        text = " ".join(result.output.split())
        assert "district_service_centre_area" in text and "单位名称" in text
        assert "区县数据" in text and "合计" in text  # its rows, and the total row left out

"""`indicators template`: the workbook's structure, and the round trip through `validate`."""

from __future__ import annotations

import importlib.util
import json

import openpyxl
import pytest
from typer.testing import CliRunner

from indicators.cli import app

runner = CliRunner()
HAS_JSON = importlib.util.find_spec("indicators.report.json_report") is not None
HEADERS = [
    "区县",
    "街道/乡镇",
    "社区/村",
    "社区类型",
    "户数（户）",
    "社区综合服务设施面积（平方米）",
    "是否有综合服务设施（是/否）",
]
ROWS = [
    ["甲区", "一街道", "东社区", "城市", 1200, 400.5, "是"],
    ["甲区", "一街道", "西社区", "城市", 900, 300, "否"],
    ["甲区", "二街道", "南村", "农村", 500, 120, "是"],
]


@pytest.fixture
def template(repo):
    out = repo["root"] / "template.xlsx"
    result = runner.invoke(
        app, ["template", "--plan", "targets/plan.yaml", "--out", str(out), "--rows", "50"]
    )
    assert result.exit_code == 0, result.output
    assert "模板已写入" in result.output
    return out


def fill(template, rows, name="filled.xlsx"):
    wb = openpyxl.load_workbook(template)
    ws = wb["社区基本情况"]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            ws.cell(r, c, value)
    path = template.with_name(name)
    wb.save(path)
    return path


def test_structure(template):
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames == ["社区基本情况", "填表说明"]
    ws = wb["社区基本情况"]
    assert [c.value for c in ws[1]] == HEADERS
    assert ws.freeze_panes == "D2"
    assert ws.protection.sheet  # header locked; the data columns carry an unlocked style
    assert ws["A1"].protection.locked
    assert all(ws.cell(1, c).comment is not None for c in range(1, len(HEADERS) + 1))
    assert "0 或正整数，单位：户" in ws["E1"].comment.text
    assert "每百户居民拥有社区综合服务设施面积" in ws["E1"].comment.text  # what it feeds
    assert "城市社区综合服务设施覆盖率" in ws["D1"].comment.text
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert rules["D2:D51"].type == "list" and rules["D2:D51"].formula1 == '"城市,农村"'
    assert rules["G2:G51"].formula1 == '"是,否"'
    assert (rules["E2:E51"].type, rules["E2:E51"].operator) == ("whole", "greaterThanOrEqual")
    assert rules["F2:F51"].type == "decimal" and rules["F2:F51"].formula1 == "0"
    assert all(dv.promptTitle and dv.prompt for dv in rules.values())
    help_text = [c for row in wb["填表说明"].iter_rows(values_only=True) for c in row if c]
    assert "每百户居民拥有社区综合服务设施面积" in help_text
    assert (
        "社区综合服务设施面积（平方米）\n户数（户）\n社区类型" in help_text
    )  # the fields feeding it
    assert "联席会议" in help_text  # listed as not assessable


def test_round_trip_validates_clean(template):
    filled = fill(template, ROWS)
    result = runner.invoke(app, ["validate", str(filled), "--plan", "targets/plan.yaml"])
    assert result.exit_code == 0, result.output
    assert "共 0 个错误、0 个警告" in result.output
    if not HAS_JSON:
        pytest.skip("indicators.report.json_report is not written yet")
    result = runner.invoke(
        app, ["validate", str(filled), "--plan", "targets/plan.yaml", "--format", "json"]
    )
    issues = json.loads(result.output)["files"][0]["data_issues"]
    assert issues == []  # the 填表说明 sheet is recognised and skipped without a finding
    checked = runner.invoke(app, ["check", str(filled), "--plan", "targets/plan.yaml"])
    assert checked.exit_code == 0 and "33.4" in checked.output


def test_filled_wrongly_names_the_cell(template):
    rows = [list(r) for r in ROWS]
    rows[1][4] = "九百"  # openpyxl does not enforce data validation; the check does
    filled = fill(template, rows, "wrong.xlsx")
    result = runner.invoke(
        app, ["validate", str(filled), "--plan", "targets/plan.yaml", "--format", "github"]
    )
    assert result.exit_code == 2
    assert "::社区基本情况!E3：「户数（户）」应为数字，实际为「九百」" in result.output


def test_round_trip_for_a_shipped_plan(tmp_path):
    """Every column of the Hengshui template, filled by type, validates without a finding."""
    from indicators.plan import load_plan
    from indicators.report.template import template_columns

    out = tmp_path / "hengshui.xlsx"
    result = runner.invoke(app, ["template", "-p", "hengshui-2021-2025", "-o", str(out)])
    assert result.exit_code == 0, result.output
    columns = template_columns(load_plan("hengshui-2021-2025"))
    headers = [c.value for c in openpyxl.load_workbook(out)["社区基本情况"][1]]
    assert headers == [c.header for c in columns]
    assert headers[:4] == HEADERS[:4] and "常住人口（人）" in headers

    def value(column, r):
        f = column.field
        if f.id in ("district", "street"):
            return {"district": "桃城区", "street": "河东街道"}[f.id]
        if f.id == "community":
            return f"第{r}社区"
        if column.choices:
            return column.choices[r % len(column.choices)]
        return 2020 if f.id == "facility_built_year" else 10 + r

    rows = [[value(c, r) for c in columns] for r in range(4)]
    filled = fill(out, rows)
    wb = openpyxl.load_workbook(filled)  # and the street sheet: the street's own facts
    streets = wb["街道情况"]
    heads = [c.value for c in streets[1]]
    assert heads[:2] == ["区县", "街道/乡镇"]
    for c, v in enumerate(["桃城区", "河东街道", *(["是"] * (len(heads) - 2))], start=1):
        streets.cell(2, c, v)
    wb.save(filled)
    result = runner.invoke(app, ["validate", str(filled), "-p", "hengshui-2021-2025"])
    assert result.exit_code == 0, result.output
    assert "共 0 个错误、0 个警告" in result.output


def test_usage_errors(template):
    base = ["template", "--plan", "targets/plan.yaml"]
    # an unfilled template is replaced like any report; --force is still accepted
    assert runner.invoke(app, [*base, "--out", str(template)]).exit_code == 0
    assert runner.invoke(app, [*base, "--out", str(template), "--force"]).exit_code == 0
    assert runner.invoke(app, [*base, "--out", "t.csv"]).exit_code == 4
    assert runner.invoke(app, [*base, "--out", "t2.xlsx", "--rows", "0"]).exit_code == 4

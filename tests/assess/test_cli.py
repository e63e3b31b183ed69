"""`indicators assess` end to end, on the shipped three years of Hengshui sample data."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from indicators.cli import app

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = [ROOT / f"sample_data/hengshui-2021-2025-census-{y}.xlsx" for y in (2021, 2022, 2023)]
runner = CliRunner()


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    out = tmp_path_factory.mktemp("assess") / "x.xlsx"
    args = ["assess", "--plan", "hengshui-2021-2025", *map(str, SAMPLES), "--out", str(out)]
    result = runner.invoke(app, [*args, "--lang", "en"])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_terminal_overview(workbook):
    _, output = workbook
    assert "annual assessment (2021–2023)" in output
    assert "Rural communities" in output
    assert "target achieved" in output or "on track" in output
    assert "Assessment written to" in output


def test_workbook_overview_and_charts(workbook):
    out, _ = workbook
    wb = openpyxl.load_workbook(out)
    ws = wb["Overview"]
    rows = list(ws.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r[0] == "#")
    header = rows[head]
    rural = dict(zip(header, rows[head + 1], strict=True))
    assert rural["Indicator"] == "Rural communities with a community service facility"
    assert (rural["Base year"], rural["Baseline"]) == (2020, 65)
    assert all(isinstance(rural[f"{y} actual"], float) for y in (2021, 2022, 2023))
    assert rural["Due"] == 2025
    assert rural["Progress status"]
    n = sum(1 for r in rows[head + 1 :] if isinstance(r[0], int))
    assert n >= 20
    with zipfile.ZipFile(out) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert "xl/charts/chart1.xml" in charts
    assert len(charts) == n


def test_json_format():
    result = runner.invoke(
        app, ["assess", "-p", "hengshui-2021-2025", *map(str, SAMPLES), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["years"] == [2021, 2022, 2023]
    assert data["indicators"][0]["id"] == "rural_facility_coverage"


def test_year_options(tmp_path):
    result = runner.invoke(
        app,
        ["assess", "-p", "hengshui-2021-2025", *map(str, SAMPLES[:2]), "--years", "2019,2020",
         "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["years"] == [2019, 2020]


def test_same_year_twice_is_a_usage_error():
    args = ["assess", "-p", "hengshui-2021-2025", *map(str, SAMPLES[:2]),
            "--year-of", f"{SAMPLES[1].name}=2021"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 4
    assert "都是 2021 年的普查" in result.output
    english = runner.invoke(app, [*args, "--lang", "en"])
    assert "both for 2021" in english.output


def test_unknown_year_names_the_file(tmp_path):
    copy = tmp_path / "社区统计表.xlsx"
    copy.write_bytes(SAMPLES[0].read_bytes())
    result = runner.invoke(app, ["assess", "-p", "hengshui-2021-2025", str(SAMPLES[1]), str(copy)])
    assert result.exit_code == 4
    assert "社区统计表.xlsx" in result.output
    assert "无法判断这是哪一年的普查" in result.output
    assert "--year-of 社区统计表.xlsx=2023" in result.output


def test_bad_format_and_output():
    base = ["assess", "-p", "hengshui-2021-2025", str(SAMPLES[0])]
    assert runner.invoke(app, [*base, "--format", "csv"]).exit_code == 4
    assert runner.invoke(app, [*base, "--out", "x.pdf"]).exit_code == 4
    assert runner.invoke(app, [*base, "--out", str(SAMPLES[0])]).exit_code == 4


def test_data_errors_exit_2(tmp_path):
    bad = tmp_path / "census-2022.csv"
    bad.write_text("区县,街道,社区,户数\n甲区,一街道,东风社区,一百\n", encoding="utf-8")
    result = runner.invoke(app, ["assess", "-p", "hengshui-2021-2025", str(SAMPLES[0]), str(bad)])
    assert result.exit_code == 2
    assert "census-2022.csv" in result.output


def test_a_census_collecting_few_fields_is_assessed_not_refused(tmp_path):
    """Fields a year's census does not collect make that year "no data", never a refusal."""
    few = tmp_path / "census-2022.csv"
    few.write_text("区县,街道,社区,户数\n甲区,一街道,东风社区,100\n", encoding="utf-8")
    args = ["assess", "-p", "hengshui-2021-2025", str(SAMPLES[0]), str(few), "--lang", "en"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "2022 Monthly visit rate of elderly people in special difficulty: no data" in " ".join(
        result.output.split()
    )

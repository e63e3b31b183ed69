"""`indicators check` through typer's test runner: output, exit codes, files written."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from indicators.cli import app

runner = CliRunner()

PLAN = textwrap.dedent(
    """
    id: mini
    title: 迷你规划
    period: [2021, 2025]
    indicators:
      - id: area
        name: {zh: 每百户居民拥有社区综合服务设施面积, en: Facility area per 100 households}
        level: city
        formula: facility_area / households * 100
        unit: 平方米/百户
        target: {op: ">=", value: 30}
        binding: true
        cite: {section: 主要指标, quote: 每百户居民拥有社区综合服务设施面积30平方米}
      - id: meetings
        name: {zh: 联席会议, en: Joint meetings}
        checkable: false
        target_text: 每季度召开1次
        cite: {section: 保障措施, quote: 每季度召开1次联席会议}
    """
)


def write_inputs(tmp_path: Path, area_second: float = 100) -> tuple[Path, Path]:
    plan = tmp_path / "mini.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    census = tmp_path / "census.csv"
    pd.DataFrame(
        {
            "区县": ["甲区", "甲区"],
            "街道": ["一街道", "一街道"],
            "社区": ["东社区", "西社区"],
            "户数（户）": [1000, 1000],
            "社区综合服务设施面积（平方米）": [400, area_second],
        }
    ).to_csv(census, index=False, encoding="utf-8-sig")
    return plan, census


def test_summary_and_exit_zero_when_gaps_not_asked_to_fail(tmp_path):
    plan, census = write_inputs(tmp_path)  # (400 + 100) / 2000 * 100 = 25 < 30
    result = runner.invoke(app, ["check", str(census), "--plan", str(plan)])
    assert result.exit_code == 0, result.output
    assert "每百户居民拥有社区综合服务设施面积" in result.output
    assert "未达标" in result.output
    assert "25" in result.output


def test_fail_on_gap_exits_one(tmp_path):
    plan, census = write_inputs(tmp_path)
    result = runner.invoke(app, ["check", str(census), "-p", str(plan), "--fail-on", "gap"])
    assert result.exit_code == 1
    result = runner.invoke(app, ["check", str(census), "-p", str(plan), "--fail-on", "binding-gap"])
    assert result.exit_code == 1


def test_all_met_exits_zero_even_with_fail_on_gap(tmp_path):
    plan, census = write_inputs(tmp_path, area_second=300)  # 700 / 2000 * 100 = 35
    result = runner.invoke(app, ["check", str(census), "-p", str(plan), "--fail-on", "gap"])
    assert result.exit_code == 0, result.output
    assert "达标" in result.output


def test_english_labels(tmp_path):
    plan, census = write_inputs(tmp_path)
    result = runner.invoke(app, ["check", str(census), "-p", str(plan), "--lang", "en"])
    assert result.exit_code == 0
    assert "Facility area per 100 households" in result.output
    assert "not met" in result.output


def test_invalid_plan_exits_three_with_location(tmp_path):
    plan, census = write_inputs(tmp_path)
    plan.write_text(PLAN.replace("facility_area / households", "facility_areaa / households"))
    result = runner.invoke(app, ["check", str(census), "-p", str(plan)])
    assert result.exit_code == 3
    assert "mini.yaml:" in result.output
    assert "未知字段 'facility_areaa'（是否想用 'facility_area'？）" in result.output
    english = runner.invoke(app, ["check", str(census), "-p", str(plan), "--lang", "en"])
    assert "did you mean 'facility_area'" in english.output


def test_unknown_plan_id_exits_three(tmp_path):
    _, census = write_inputs(tmp_path)
    result = runner.invoke(app, ["check", str(census), "-p", "no-such-plan"])
    assert result.exit_code == 3
    assert "错误：没有编号为 'no-such-plan' 的规划" in result.output
    result = runner.invoke(app, ["check", str(census), "-p", "no-such-plan", "--lang", "en"])
    assert result.exit_code == 3
    assert "no plan with id 'no-such-plan'" in result.output


def test_missing_census_file_is_a_usage_error(tmp_path):
    plan, _ = write_inputs(tmp_path)
    result = runner.invoke(app, ["check", str(tmp_path / "nope.xlsx"), "-p", str(plan)])
    assert result.exit_code == 4
    assert "nope.xlsx：文件不存在" in result.output
    args = ["check", str(tmp_path / "nope.xlsx"), "-p", str(plan), "--lang", "en"]
    assert "nope.xlsx: no such file" in runner.invoke(app, args).output


def test_bad_option_values_are_usage_errors(tmp_path):
    plan, census = write_inputs(tmp_path)
    assert (
        runner.invoke(app, ["check", str(census), "-p", str(plan), "--fail-on", "x"]).exit_code == 4
    )
    assert (
        runner.invoke(app, ["check", str(census), "-p", str(plan), "--format", "x"]).exit_code == 4
    )
    assert (
        runner.invoke(app, ["check", str(census), "-p", str(plan), "--map", "nonsense"]).exit_code
        == 4
    )


def test_data_errors_exit_two_and_name_the_cell(tmp_path):
    plan, census = write_inputs(tmp_path)
    text = census.read_text(encoding="utf-8-sig").replace("400", "四百")
    census.write_text(text, encoding="utf-8-sig")
    result = runner.invoke(app, ["check", str(census), "-p", str(plan)])
    assert result.exit_code == 2
    assert "E2" in result.output  # column E (facility area), first data row


def test_quiet_prints_nothing_on_success(tmp_path):
    plan, census = write_inputs(tmp_path)
    result = runner.invoke(app, ["check", str(census), "-p", str(plan), "--quiet"])
    assert result.exit_code == 0
    assert result.output.strip() == ""


def test_help_documents_exit_codes():
    result = runner.invoke(app, ["check", "--help"])
    assert result.exit_code == 0
    assert "退出码" in result.output  # --help follows --lang / INDICATORS_LANG, zh by default


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".json", ".md"])
def test_out_writes_the_report(tmp_path, suffix):
    plan, census = write_inputs(tmp_path)
    out = tmp_path / f"report{suffix}"
    result = runner.invoke(app, ["check", str(census), "-p", str(plan), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists() and out.stat().st_size > 0


def test_missing_plan_column_is_a_warning_in_check(tmp_path):
    plan, census = write_inputs(tmp_path)
    frame = pd.read_csv(census, encoding="utf-8-sig").drop(
        columns=["社区综合服务设施面积（平方米）"]
    )
    frame.to_csv(census, index=False, encoding="utf-8-sig")
    result = runner.invoke(app, ["check", str(census), "-p", str(plan)])
    assert result.exit_code == 0, result.output
    assert "无法计算" in result.output
    assert "1 个警告" in result.output


def test_sheet_text_is_never_terminal_markup(tmp_path):
    """A community named like rich markup prints as written and cannot break the output."""
    plan, census = write_inputs(tmp_path)
    text = census.read_text(encoding="utf-8-sig").replace("东社区", "[/bold]东[red]社区")
    text = text.replace(",400", ",[/bold]四百")  # markup in a bad value, shown in the table
    census.write_text(text, encoding="utf-8-sig")
    result = runner.invoke(app, ["check", str(census), "-p", str(plan)])
    assert result.exit_code == 2, result.output
    assert "[/bold]四百" in result.output


def test_out_refuses_the_input_before_reading(tmp_path):
    plan, census = write_inputs(tmp_path)
    before = census.read_bytes()
    result = runner.invoke(app, ["check", str(census), "-p", str(plan), "--out", str(census)])
    assert result.exit_code == 4
    assert census.read_bytes() == before
    assert result.output.startswith("错误：")  # refused before any summary


def test_out_in_a_missing_folder_is_a_usage_error(tmp_path):
    plan, census = write_inputs(tmp_path)
    out = tmp_path / "nope" / "r.xlsx"
    result = runner.invoke(app, ["check", str(census), "-p", str(plan), "--out", str(out)])
    assert result.exit_code == 4
    assert not out.parent.exists()


def test_several_census_files_get_one_report_each(tmp_path):
    plan, census = write_inputs(tmp_path)
    second = tmp_path / "second.csv"
    second.write_bytes(census.read_bytes())
    out = tmp_path / "gaps.json"
    result = runner.invoke(
        app, ["check", str(census), str(second), "-p", str(plan), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "gaps-census.json").exists()
    assert (tmp_path / "gaps-second.json").exists()

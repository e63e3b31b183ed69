"""What `check` says when the sheet lacks a plan field: which one, what it blocks, which
unused column may hold it and the --map line; also after data errors stop the check."""

from __future__ import annotations

import textwrap
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from indicators.cli import app

runner = CliRunner()

PLAN = textwrap.dedent(
    """
    id: mini
    title: 迷你规划
    period: [2021, 2025]
    indicators:
      - id: workers
        name: {zh: 每万人拥有社区工作者, en: Community workers per ten thousand residents}
        level: city
        formula: community_workers / population * 10000
        unit: 人/万人
        target: {op: ">=", value: 18}
        cite: {section: 主要指标, quote: 每万名城镇常住人口拥有社区工作者18人}
      - id: households
        name: {zh: 户数, en: Households}
        level: city
        aggregate: sum
        formula: households
        unit: 户
        target: {op: ">=", value: 1}
        cite: {section: 主要指标, quote: 户数}
    """
)


def _inputs(tmp_path: Path, workers: object) -> tuple[Path, Path]:
    plan = tmp_path / "mini.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "社区基本情况"
    ws.append(["区县", "街道", "社区", "户数", "户籍人口", "社区工作者人数", "联系电话"])
    ws.append(["桃城区", "河西街道", "新华社区", 1520, 4310, workers, "0318-1"])
    ws.append(["桃城区", "河西街道", "育才社区", 1388, 3902, 8, "0318-2"])
    census = tmp_path / "census.xlsx"
    wb.save(census)
    return plan, census


def test_summary_names_the_missing_field_its_indicators_and_the_map_line(tmp_path: Path):
    plan, census = _inputs(tmp_path, 9)
    result = runner.invoke(app, ["check", str(census), "-p", str(plan)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "缺少计划所需的 1 列，1 项指标因此无法计算" in result.output
    assert "缺少「常住人口（人）」（影响：每万人拥有社区工作者）" in result.output
    assert '--map "户籍人口=常住人口"' in result.output


def test_a_check_stopped_by_errors_still_says_what_is_missing(tmp_path: Path):
    plan, census = _inputs(tmp_path, "九")
    result = runner.invoke(app, ["check", str(census), "-p", str(plan)], env={"COLUMNS": "250"})
    assert result.exit_code == 2, result.output
    out = result.output
    assert out.index("not-a-number") < out.index("缺少计划所需的 1 列")
    assert '--map "户籍人口=常住人口"' in out
    # the look-alike warning is waiting too, with the command that shows it
    assert "另有 1 个警告；查看全部：indicators inspect" in out


def test_validate_names_the_column_that_may_hold_a_missing_field(tmp_path: Path):
    plan, census = _inputs(tmp_path, 9)
    result = runner.invoke(app, ["validate", str(census), "-p", str(plan)], env={"COLUMNS": "250"})
    assert result.exit_code == 2, result.output
    assert "missing-plan-field" in result.output
    assert '--map "户籍人口=常住人口"' in result.output

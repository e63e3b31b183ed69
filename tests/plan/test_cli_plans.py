"""`indicators plans`, `show` and `lint` through typer's CliRunner."""

from __future__ import annotations

import json

import yaml
from tests.plan.plantext import indicator, plan_text
from typer.testing import CliRunner

from indicators.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_plans_lists_every_plan():
    result = run("plans", "--lang", "en")
    assert result.exit_code == 0, result.output
    for plan_id in ("hengshui-2021-2025", "nantong-2011-2015", "songjiang-zhongshan-2018-2020",
                    "yangquan-chengqu-2015-2018", "yantai-2020"):  # fmt: skip
        assert plan_id in result.output
    assert "2021–2025" in result.output and "Checkable" in result.output
    assert "规划期" in run("plans").output


def test_show_table_markdown_yaml():
    table = run("show", "hengshui-2021-2025", "--lang", "en")
    assert table.exit_code == 0, table.output
    # an 80-column terminal folds every column (rich cut the table's right off before)
    flat = "".join(ln.strip("│ ") for ln in table.output.splitlines())
    assert "facility_are" in flat and "236" in flat
    md = run("show", "hengshui-2021-2025", "--format", "markdown", "--lang", "en").output
    assert "| Indicator |" in md and "| Citation |" in md
    assert "每百户居民拥有社区综合服务设施面积 236平方米 30平方米 预期性" in md
    data = yaml.safe_load(run("show", "hengshui-2021-2025", "--format", "yaml").output)
    assert data["id"] == "hengshui-2021-2025"
    ind = next(i for i in data["indicators"] if i["id"] == "facility_area_per_100_households")
    assert ind["target"] == {"op": ">=", "value": 30}
    assert ind["baseline"]["value"] == 236


def test_show_marks_the_origin_of_each_target():
    md = run("show", "example-district-extends-hengshui", "--format", "markdown", "--lang", "en")
    assert md.exit_code == 0, md.output
    rows = {line.split("<br>")[0].strip("| "): line for line in md.output.splitlines()
            if line.startswith("| ") and "<br>" in line}  # fmt: skip
    assert (
        "overridden here (was ≥ 80, expected in hengshui-2021-2025)"
        in rows["rural_facility_coverage"]
    )
    assert "inherited from hengshui-2021-2025" in rows["urban_facility_coverage"]
    assert "added here" in rows["volunteer_share_of_residents"]
    assert "resettlement_facility_coverage" in md.output.split("## ")[-1]
    data = yaml.safe_load(run("show", "example-district-extends-hengshui", "-f", "yaml").output)
    assert data["extends"] == "hengshui-2021-2025"
    assert {i["id"]: i["origin"] for i in data["indicators"]}["urban_facility_coverage"] == (
        "hengshui-2021-2025"
    )


def test_show_unknown_plan_and_bad_format():
    result = run("show", "no-such-plan")
    assert result.exit_code == 3 and "没有编号为 'no-such-plan' 的规划" in result.output
    assert "no plan" not in result.output
    result = run("show", "hengshui-2012-2025", "--lang", "en")
    assert result.exit_code == 3 and "no plan with id 'hengshui-2012-2025'" in result.output
    assert "hint: did you mean hengshui-2021-2025?" in result.output
    assert "是否想用 hengshui-2021-2025？" in run("show", "hengshui-2012-2025").output
    assert run("show", "hengshui-2021-2025", "--format", "pdf").exit_code == 4


def test_lint_all_shipped_plans_passes_with_warnings():
    result = run("lint", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output
    assert "[baseline-meets-target] facility_area_per_100_households" in result.output
    assert run("lint", "--strict").exit_code == 3


def test_lint_errors_exit_3_with_file_line_and_indicator(tmp_path):
    path = tmp_path / "t-plan.yaml"
    path.write_text(plan_text(indicator(target="{op: '=>', value: 3}")), encoding="utf-8")
    result = run("lint", str(path), "--lang", "en")
    assert result.exit_code == 3
    assert f"{path}:10: error [schema] x:" in result.output
    assert "unknown operator '=>'" in result.output


def test_lint_json_and_clean_file(tmp_path):
    path = tmp_path / "t-plan.yaml"
    path.write_text(plan_text(), encoding="utf-8")
    result = run("lint", str(path), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["errors"] == 0 and data["files"][0]["findings"] == []
    assert run("lint", str(path), "--strict").exit_code == 0
    assert run("lint", str(tmp_path / "missing.yaml")).exit_code == 4

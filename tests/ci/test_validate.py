"""`indicators validate` on a data repository: the good submission passes, the bad one fails
naming its cells, in every output format."""

from __future__ import annotations

import importlib.util
import json
import xml.etree.ElementTree as ET

import pytest
from typer.testing import CliRunner

from indicators.cli import app

from .repo import BAD_CELL, GOOD, HEADER, SHEET, write_workbook

runner = CliRunner()
HAS_JSON = importlib.util.find_spec("indicators.report.json_report") is not None


def validate(repo, *files, args=()):
    paths = [str(repo[f].relative_to(repo["root"])) for f in files]
    return runner.invoke(app, ["validate", *paths, "--plan", "targets/plan.yaml", *args])


def test_table_good_passes(repo):
    result = validate(repo, "good")
    assert result.exit_code == 0, result.output
    assert "格式正确" in result.output
    assert "0 个错误" in result.output


def test_table_bad_fails_naming_cells(repo):
    result = validate(repo, "bad")
    assert result.exit_code == 2, result.output
    out = result.output
    assert BAD_CELL in out
    assert f"{SHEET}!C4" in out  # the repeated 东社区
    for code in ("not-a-number", "missing-plan-field", "duplicate-community"):
        assert code in out
    assert "约一百二" in out
    assert "是否有综合服务设施" in out


def test_many_files_combined_summary(repo):
    result = validate(repo, "good", "bad")
    assert result.exit_code == 2
    assert "合计：2 个文件，1 个通过，1 个有错误；共 3 个错误、0 个警告" in result.output


def test_english_messages(repo):
    result = validate(repo, "bad", args=["--lang", "en"])
    assert result.exit_code == 2
    assert "should be a number" in result.output
    assert "Total: 1 files, 0 passed, 1 with errors" in result.output


@pytest.mark.skipif(not HAS_JSON, reason="indicators.report.json_report is not written yet")
def test_json(repo):
    result = validate(repo, "good", "bad", args=["--format", "json"])
    assert result.exit_code == 2
    report = json.loads(result.output)
    good, bad = report["files"]
    assert good["data_issues"] == []
    found = {(i["code"], i["sheet"], i["cell"]) for i in bad["data_issues"]}
    assert ("not-a-number", SHEET, "F5") in found
    assert ("duplicate-community", SHEET, "C4") in found
    assert "missing-plan-field" in {c for c, _, _ in found}
    ok = validate(repo, "good", args=["--format", "json"])
    assert ok.exit_code == 0


def test_junit_parses_with_expected_cases(repo):
    result = validate(repo, "good", "bad", args=["--format", "junit"])
    assert result.exit_code == 2
    root = ET.fromstring(result.output.encode("utf-8"))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures")) == ("2", "1")
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {"data/2024/东城街道.xlsx", "data/2024/西城街道.xlsx"}
    good_cases = suites["data/2024/东城街道.xlsx"].findall("testcase")
    assert [c.get("name") for c in good_cases] == ["数据格式正确"]
    assert good_cases[0].find("failure") is None
    (bad_case,) = suites["data/2024/西城街道.xlsx"].findall("testcase")
    failure = bad_case.find("failure")
    assert failure.get("type") == "not-a-number"
    assert BAD_CELL in failure.get("message")
    assert "[duplicate-community] 社区基本情况!C4" in failure.text


def test_github_annotations(repo):
    result = validate(repo, "good", "bad", args=["--format", "github"])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    assert len(errors) == 3
    assert all(line.startswith("::error file=data/2024/西城街道.xlsx,title=") for line in errors)
    cell_line = next(line for line in errors if "not-a-number" in line)
    assert (
        f"::{BAD_CELL}：「社区综合服务设施面积（平方米）」应为数字，实际为「约一百二」" in cell_line
    )
    assert not any("东城街道" in line for line in lines if line.startswith("::"))
    assert lines[-1].startswith("indicators：2 个文件，1 个通过，1 个有错误")
    ok = validate(repo, "good", args=["--format", "github"])
    assert ok.exit_code == 0
    assert "::error" not in ok.output


def test_warnings_fail_only_when_strict(repo):
    rows = [list(r) for r in GOOD]
    rows[1][4] = None  # 户数 left blank: a warning, the community is not computable
    path = write_workbook(repo["root"] / "data" / "blank.xlsx", HEADER, rows)
    loose = runner.invoke(app, ["validate", str(path), "--plan", "targets/plan.yaml"])
    assert loose.exit_code == 0, loose.output
    assert "missing-value" in loose.output and f"{SHEET}!E3" in loose.output
    strict = runner.invoke(app, ["validate", str(path), "--plan", "targets/plan.yaml", "--strict"])
    assert strict.exit_code == 2
    assert "--strict" in strict.output


def test_unreadable_file_is_a_finding(repo):
    empty = repo["root"] / "data" / "empty.csv"
    empty.write_text("", encoding="utf-8")
    result = validate({**repo, "empty": empty}, "empty", "good", args=["--format", "github"])
    assert result.exit_code == 2
    assert "::error file=data/empty.csv,title=数据错误 file-unreadable::" in result.output


def test_exit_codes_for_usage_and_plan(repo):
    assert validate(repo, "good", args=["--format", "markdown"]).exit_code == 4
    missing = runner.invoke(app, ["validate", "nope.xlsx", "--plan", "targets/plan.yaml"])
    assert missing.exit_code == 4
    bad_plan = repo["root"] / "targets" / "broken.yaml"
    bad_plan.write_text("id: broken\nindicators: 3\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", "data/2024/东城街道.xlsx", "--plan", str(bad_plan)])
    assert result.exit_code == 3
    roster = validate(repo, "good", args=["--roster", "no-roster.csv"])
    assert roster.exit_code == 4


def test_roster_findings_join(repo):
    if importlib.util.find_spec("indicators.roster") is None:
        pytest.skip("indicators.roster is not written yet")
    roster = repo["root"] / "roster.csv"
    roster.write_text(
        "区县,街道,社区\n甲区,一街道,东社区\n甲区,一街道,西社区\n甲区,二街道,南村\n"
        "甲区,二街道,北村\n甲区,二街道,中村\n",
        encoding="utf-8",
    )
    result = validate(repo, "good", args=["--roster", str(roster), "--format", "github"])
    assert result.exit_code == 0, result.output  # roster findings are warnings
    assert "missing-community" in result.output and "中村" in result.output
    strict = validate(repo, "good", args=["--roster", str(roster), "--strict"])
    assert strict.exit_code == 2

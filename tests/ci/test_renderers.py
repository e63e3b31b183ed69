"""The junit and github renderers on checked files: one test case per indicator, escaping."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from typer.testing import CliRunner

from indicators.cli import app
from indicators.report.github import command, escape_data, escape_property

runner = CliRunner()


def check(*args):
    return runner.invoke(app, ["check", *args, "--plan", "targets/plan.yaml"])


def test_junit_case_per_indicator(repo):
    result = check("data/2024/东城街道.xlsx", "data/2024/西城街道.xlsx", "--format", "junit")
    assert result.exit_code == 2  # the bad file has data errors
    root = ET.fromstring(result.output.encode("utf-8"))
    good, bad = root.findall("testsuite")
    cases = {c.get("name"): c for c in good.findall("testcase")}
    assert list(cases) == [
        "数据格式正确",
        "指标：每百户居民拥有社区综合服务设施面积（facility_area_per_100_households）",
        "指标：城市社区综合服务设施覆盖率（urban_facility_coverage）",
        "指标：联席会议（joint_meetings）",
    ]
    # (400.5 + 300) / 2100 * 100 = 33.4 >= 30: met; coverage 1 of 2 urban = 50%: not met
    assert cases["数据格式正确"].find("failure") is None
    met = cases["指标：每百户居民拥有社区综合服务设施面积（facility_area_per_100_households）"]
    assert met.find("failure") is None and met.find("skipped") is None
    failure = cases["指标：城市社区综合服务设施覆盖率（urban_facility_coverage）"].find("failure")
    assert failure.get("type") == "target-not-met"
    assert "50%" in failure.get("message")
    assert cases["指标：联席会议（joint_meetings）"].find("skipped") is not None
    assert (good.get("tests"), good.get("failures"), good.get("skipped")) == ("4", "1", "1")
    # A file with data errors is not evaluated: only its well-formedness case, failing.
    assert [c.get("name") for c in bad.findall("testcase")] == ["数据格式正确"]
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("5", "2", "1")


def test_junit_english_names(repo):
    result = check("data/2024/东城街道.xlsx", "--format", "junit", "--lang", "en")
    names = [c.get("name") for c in ET.fromstring(result.output.encode()).iter("testcase")]
    assert names[0] == "data well formed"
    assert "indicator: Urban community facility coverage (urban_facility_coverage)" in names


def test_github_gap_is_a_warning(repo):
    result = check("data/2024/东城街道.xlsx", "--format", "github")
    assert result.exit_code == 0
    (line,) = [x for x in result.output.splitlines() if x.startswith("::")]
    assert line.startswith("::warning file=data/2024/东城街道.xlsx,title=指标未达标::")
    assert "城市社区综合服务设施覆盖率：现状 50%25，目标 ≥ 100%25，差距 -50个百分点" in line


def test_escaping_follows_the_runner():
    assert escape_data("50%\r\nnext") == "50%25%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    line = command("error", "Sheet1!A1: bad, 100%", file="data/a,b:c.xlsx", title="t: x")
    assert line == "::error file=data/a%2Cb%3Ac.xlsx,title=t%3A x::Sheet1!A1: bad, 100%25"
    assert command("warning", "no file") == "::warning::no file"

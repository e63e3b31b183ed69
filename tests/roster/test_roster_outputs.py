"""Roster coverage reaches the machine-readable outputs (json and junit), not only the terminal."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from typer.testing import CliRunner

from indicators.cli import app

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data" / "hengshui-2021-2025.xlsx"
ROSTER = ROOT / "sample_data" / "hengshui-2021-2025-roster.xlsx"
runner = CliRunner()


def run(command: str, fmt: str):
    args = [command, str(SAMPLE), "-p", "hengshui-2021-2025", "--roster", str(ROSTER)]
    return runner.invoke(app, [*args, "--format", fmt, "--lang", "en"])


def test_json_carries_coverage_and_the_missing_communities():
    result = run("check", "json")
    roster = json.loads(result.output)["files"][0]["roster"]
    assert (roster["expected"], roster["reported"], roster["matched"]) == (122, 120, 119)
    assert len(roster["missing"]) == 3 and len(roster["unexpected"]) == 1
    assert "119 of 122" in roster["coverage"]


def test_junit_has_coverage_properties_and_a_failing_roster_case():
    result = run("validate", "junit")
    suite = ET.fromstring(result.output).find("testsuite")
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["roster.expected"] == "122" and props["roster.matched"] == "119"
    roster_case = suite.findall("testcase")[0]
    assert roster_case.get("name").startswith("roster coverage")
    failure = roster_case.find("failure")
    assert failure is not None and len(failure.text.splitlines()) == 3

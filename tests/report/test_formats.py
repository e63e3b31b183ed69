"""CSV, JSON and Markdown reports: injection-safe, schema-valid, reproducible."""

from __future__ import annotations

import csv
import io
import json
from importlib import resources
from pathlib import Path

import jsonschema
import pandas as pd
import pytest
from report_samples import INJECTION, hengshui_results, small_results

from indicators.model.census import census_from_frame
from indicators.model.errors import DataError
from indicators.model.issues import DataIssue, Severity
from indicators.report.csv_report import render_csv
from indicators.report.json_report import render_json
from indicators.report.markdown import render_markdown
from indicators.report.outputs import write_reports
from indicators.report.shortfalls import shortfall_rows
from indicators.run.pipeline import FileOutcome

SCHEMA = json.loads(
    (resources.files("indicators") / "data" / "report.schema.json").read_text(encoding="utf-8")
)


def outcome(results):
    return FileOutcome(results.census.source.path, census=results.census, results=results)


def failed_outcomes():
    unreadable = FileOutcome(Path("broken.xlsx"), error=DataError("not a workbook", hint="re-save"))
    census = census_from_frame(
        pd.DataFrame([{"district": "甲区", "street": "一", "community": "c"}])
    )
    census.issues.append(
        DataIssue(
            "not-a-number",
            Severity.ERROR,
            "bad.xlsx",
            sheet="Sheet1",
            cell="F17",
            header="户数",
            value="=1+2",
            expected="number",
        )
    )
    return [unreadable, FileOutcome(Path("bad.xlsx"), census=census)]


def test_csv_neutralises_sheet_text_and_keeps_numbers(tmp_path):
    results = hengshui_results()
    written = write_reports(results, [tmp_path / "gaps.csv"], "zh", [Path("hengshui-sample.xlsx")])
    raw = written[0].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens the Chinese text correctly
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    names = {r["社区/村"] for r in rows}
    assert "'" + INJECTION in names and INJECTION not in names
    assert "'+1+1" in names and "'-西关村" in names
    area = [r for r in rows if r["指标代码"] == "facility_area_per_100_households"]
    first = next(r for r in area if r["社区/村"] == "'" + INJECTION)
    assert first["差距"] == "-8" and first["数值"] == "22"  # negative numbers stay numeric
    assert first["缺口"] == "96" and first["补齐所需"] == "需增加社区综合服务设施面积 96平方米"
    city = next(r for r in area if r["考核层级"] == "全市")
    assert city["状态代码"] == "met"


def test_csv_includes_failed_files():
    text = render_csv(failed_outcomes(), "en")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["Row type"] == "file not readable" and rows[0]["Message"] == "not a workbook"
    assert rows[1]["Row type"] == "data issue" and rows[1]["Cell"] == "Sheet1!F17"


def test_json_validates_and_is_reproducible(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    outcomes = [outcome(hengshui_results()), *failed_outcomes()]
    text = render_json(outcomes, "zh")
    again = render_json([outcome(hengshui_results()), *failed_outcomes()], "zh")
    assert text == again
    data = json.loads(text)
    jsonschema.validate(data, SCHEMA)
    assert data["schema"] == "indicators/check-report" and data["version"] == 1
    assert data["generated_at"] == "2023-11-14T22:13:20+00:00"
    assert list(data) == ["schema", "version", "tool", "generated_at", "lang", "plan", "files"]
    checked, unreadable, bad = data["files"]
    assert unreadable["status"] == "unreadable" and unreadable["error"]["hint"] == "re-save"
    assert bad["status"] == "data_errors"
    issue = bad["data_issues"][0]
    assert (issue["code"], issue["sheet"], issue["cell"], issue["value"]) == (
        "not-a-number",
        "Sheet1",
        "F17",
        "=1+2",
    )
    area = next(i for i in checked["indicators"] if i["id"] == "facility_area_per_100_households")
    assert area["headline"]["status"] == "met"
    assert area["headline"]["value"] == pytest.approx(914 / 3000 * 100)
    hedong = next(g for g in area["groups"]["street"] if g["street"] == "河东街道")
    assert hedong["shortfall"] == pytest.approx(36) and hedong["shortfall_all"] == pytest.approx(96)
    # not computable: null value, and the status says so
    share = next(i for i in checked["indicators"] if i["id"] == "commercial_service_area_share")
    xinhua = next(c for c in share["communities"] if c["community"] == "新华社区")
    assert xinhua["value"] is None and xinhua["status"] == "not_computable"
    assert xinhua["reason"]  # a short code the report words in the user's language


def test_json_small_plan_validates():
    data = json.loads(render_json([outcome(small_results())], "en"))
    jsonschema.validate(data, SCHEMA)
    assert data["files"][0]["not_assessed"][0]["id"] == "meetings"
    cov = next(i for i in data["files"][0]["indicators"] if i["id"] == "cov")
    assert cov["groups"]["city"][0]["shortfall"] == 1
    assert cov["groups"]["city"][0]["what_it_takes"].startswith("needs 1 more compliant communit")


def test_markdown_escapes_and_lists():
    text = render_markdown([outcome(hengshui_results()), *failed_outcomes()], "en")
    assert "# " in text and "| # | Indicator |" in text
    # the Shortfalls section opens with missed targets; the city meets the facility-area
    # ratio, so community 1's +96 m² comes after them (it is in the full table)
    rows, _ = shortfall_rows(hengshui_results(), "en")
    assert any(
        r["what_it_takes"] == "needs +96 m² of community service facility floor area" for r in rows
    )
    first = rows[0]["result"].headline.status
    assert first == "not_met"
    assert '=HYPERLINK("http://evil.example","click")' in text  # inert in markdown
    assert "Could not be read: not a workbook" in text
    assert "Sheet1!F17" in text

"""`assess --out report.docx|report.html` and `check --out report.html` end to end, on the
shipped Hengshui sample data: the numbers on the page are the numbers of the JSON output."""

from __future__ import annotations

import json
import sys

import docx
import pytest
from typer.testing import CliRunner

from indicators.cli import app
from indicators.report.text import fmt_number

from .test_annual_report import Page
from .test_cli import ROOT, SAMPLES

runner = CliRunner()


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("annual")
    word, page = folder / "评估报告.docx", folder / "report.html"
    args = ["assess", "-p", "hengshui-2021-2025", *map(str, SAMPLES), "-o", str(word)]
    result = runner.invoke(app, [*args, "-o", str(page), "--format", "json"])
    assert result.exit_code == 0, result.output
    return word, page, json.loads(result.stdout)


def _figures(data: dict) -> list[tuple[str, str]]:
    """(indicator name, each figure the report must print) from the JSON output."""
    latest = str(max(data["years"]))
    out = []
    for ind in data["indicators"]:
        unit = "%" if ind["unit"] == "%" else ""
        out.append((ind["name"], fmt_number(ind["values"][latest], unit).split(" ")[0]))
        if ind["status"] != "achieved" and ind["projected"] is not None:
            out.append((ind["name"], fmt_number(ind["projected"], unit).split(" ")[0]))
    return out


def test_word_report_numbers_equal_the_json(reports):
    word, _, data = reports
    d = docx.Document(str(word))
    paragraphs = [p.text for p in d.paragraphs]
    assert len(d.inline_shapes) == len(data["indicators"])
    for name, figure in _figures(data):
        heading = next(i for i, p in enumerate(paragraphs) if p.endswith(f". {name}"))
        assert figure in paragraphs[heading + 1], (name, figure)
    sources = [c.text for tb in d.tables for row in tb.rows for c in row.cells]
    for f in data["files"]:
        assert f["sha256"] in sources


def test_html_report_numbers_equal_the_json(reports):
    _, page, data = reports
    html = page.read_text(encoding="utf-8")
    parsed = Page(html)
    articles = {a["id"]: a["data-status"] for tag, a in parsed.tags if tag == "article"}
    assert articles == {f"ind-{i['id']}": i["status"] for i in data["indicators"]}
    text = "".join(parsed.text)
    for _, figure in _figures(data):
        assert figure in text
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html


def test_word_report_needs_the_reports_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "docx", None)  # as if python-docx were not installed
    out = tmp_path / "report.docx"
    result = runner.invoke(
        app,
        [
            "assess",
            "-p",
            "hengshui-2021-2025",
            str(SAMPLES[0]),
            "--year-of",
            f"{SAMPLES[0].name}=2021",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 4
    assert "indicators[reports]" in result.output
    assert "python-docx" in result.output
    assert not out.exists()


def test_check_html_page_numbers_equal_the_json(tmp_path):
    census = ROOT / "sample_data/hengshui-2021-2025.xlsx"
    page = tmp_path / "gaps.html"
    args = ["check", str(census), "-p", "hengshui-2021-2025", "-o", str(page), "-f", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    parsed = Page(page.read_text(encoding="utf-8"))
    assert "script" not in [tag for tag, _ in parsed.tags]
    cells = _cells(page.read_text(encoding="utf-8"))
    indicators = data["files"][0]["indicators"]
    assert indicators
    for no, ind in enumerate(indicators, start=1):
        row = next(r for r in cells if r and r[0] == f"{no}. {ind['name']['zh']}")
        # the figure the headline shows (the share of units for a per-unit target)
        assert row[3] == ind["headline"]["shown"]["actual_text"], ind["id"]


def _cells(html: str) -> list[list[str]]:
    """The text of each table row's cells."""

    class Rows(Page):
        def __init__(self, text):
            self.rows: list[list[str]] = []
            self.cell: list[str] | None = None
            super().__init__(text)

        def handle_starttag(self, tag, attrs):
            if tag == "tr":
                self.rows.append([])
            elif tag in ("td", "th"):
                self.cell = []

        def handle_endtag(self, tag):
            if tag in ("td", "th") and self.cell is not None:
                self.rows[-1].append("".join(self.cell))
                self.cell = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell.append(data)

    return Rows(html).rows

"""The annual assessment report: Word draft, HTML page and their shared chart, on small
in-memory censuses (names as submitted sheets spell them, markup and formulas included)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import docx
import pandas as pd
import pytest

from indicators.assess.assessment import assess
from indicators.model.census import census_from_frame
from indicators.model.i18n import t
from indicators.report import annual, annual_quality, chart
from indicators.report.annual_docx import write_docx
from indicators.report.annual_html import render_html
from indicators.report.assessment_text import render_json
from indicators.report.text import fmt_number

from .test_assess import PLAN, Y2021, Y2022

SECTIONS = ("overview", "indicators", "districts", "quality")


class Page(HTMLParser):
    """Tags, attributes and text nodes of an HTML page, as a browser would split them."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def docx_text(path) -> tuple[list, str]:
    d = docx.Document(str(path))
    cells = [c.text for tb in d.tables for row in tb.rows for c in row.cells]
    return d, "\n".join([p.text for p in d.paragraphs] + cells)


@pytest.fixture(scope="module")
def assessment():
    return assess(PLAN, [(2021, Y2021), (2022, Y2022)])


@pytest.fixture(scope="module", params=["zh", "en"])
def word(request, assessment, tmp_path_factory):
    lang = request.param
    path = tmp_path_factory.mktemp(lang) / "report.docx"
    write_docx(annual.draft(assessment, lang), path, lang)
    return path, lang


def test_docx_has_the_sections_in_word_heading_styles(word):
    path, lang = word
    d = docx.Document(str(path))
    h1 = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    expected = [
        annual.number(1, i, lang) + t(f"annual.h.{k}", lang)
        for i, k in enumerate(SECTIONS, start=1)
    ]
    assert h1 == [*expected, t("annual.h.appendix", lang)]
    assert [p.text for p in d.paragraphs if p.style.name == "Title"]
    assert any(p.style.name == "Caption" for p in d.paragraphs)
    body = d.styles["Normal"].element.xml
    assert "仿宋" in body
    fonts = _part_xml(path, "word/fontTable.xml")
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>' in fonts
    section = d.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297


def test_docx_one_chart_per_indicator_and_the_scorecard(word, assessment):
    path, lang = word
    d = docx.Document(str(path))
    assert len(d.inline_shapes) == len(assessment.indicators)
    districts = sorted({u.keys["district"] for u in assessment.units["district"]})
    headers = [[c.text for c in tb.rows[0].cells] for tb in d.tables]
    assert [t("assess.col.indicator", lang), *districts] in headers
    card = d.tables[headers.index([t("assess.col.indicator", lang), *districts])]
    assert len(card.rows) == 1 + len(assessment.indicators)
    assert any(s.orientation == 1 for s in d.sections)  # the scorecard's landscape page


def test_docx_numbers_equal_the_json(word, assessment):
    path, lang = word
    data = json.loads(render_json(assessment, lang))
    d, _ = docx_text(path)
    paragraphs = [p.text for p in d.paragraphs]
    for ind in data["indicators"]:
        unit = "%" if ind["unit"] == "%" else ""
        heading = next(i for i, p in enumerate(paragraphs) if p.endswith(ind["name"]))
        text = paragraphs[heading + 1]
        latest = ind["values"][str(max(data["years"]))]
        assert fmt_number(latest, unit).split(" ")[0] in text
        assert ind["status_label"] in paragraphs[heading + 2]
        if ind["status"] != "achieved" and ind["projected"] is not None:
            assert fmt_number(ind["projected"], unit).split(" ")[0] in text
    counts = next(tb for tb in d.tables if tb.rows[0].cells[0].text == t("assess.col.status", lang))
    got = {r.cells[0].text: int(r.cells[-1].text) for r in counts.rows[1:]}  # the total
    for status, n in data["counts"].items():
        assert got[t(f"progress.{status}", lang)] == n


def test_html_is_self_contained_and_matches_the_json(assessment):
    page_text = render_html(annual.draft(assessment, "zh"))
    page = Page(page_text)
    tags = [tag for tag, _ in page.tags]
    assert "script" not in tags and "link" not in tags and "img" not in tags
    for _, attrs in page.tags:
        for name in ("src", "href"):
            assert not re.match(r"\s*(https?:)?//", attrs.get(name) or ""), attrs
    assert "@page" in page_text and "A4" in page_text
    assert tags.count("svg") == len(assessment.indicators)
    data = json.loads(render_json(assessment, "zh"))
    statuses = [a["data-status"] for tag, a in page.tags if tag == "article"]
    assert statuses == [i["status"] for i in _binding_first(data["indicators"])]
    text = "".join(page.text)
    for ind in data["indicators"]:
        latest = ind["values"][str(max(data["years"]))]
        assert fmt_number(latest, "%" if ind["unit"] == "%" else "").split(" ")[0] in text


def _binding_first(indicators: list[dict]) -> list[dict]:
    return [i for i in indicators if i["binding"]] + [i for i in indicators if not i["binding"]]


def test_sentence_is_built_from_the_figures(assessment):
    s = assessment.indicators[0]  # coverage: 50% (2020 baseline) -> 100% in 2022
    sentences = annual.indicator_sentences(s, "zh")
    assert sentences[0].startswith("2022年全市设施覆盖率为100%，较2020年（50%）提高50个百分点")
    assert "已实现目标（≥ 80%）" in sentences[0]
    en = annual.indicator_sentences(s, "en")[0]
    assert en.startswith("In 2022, Facility coverage was 100%, up 50 percentage points from 50%")


# --------------------------------------------------------------------------- injection

NASTY_DISTRICT = '=HYPERLINK("http://evil.example","点我")'
NASTY_STREET = "<script>alert('x')</script>街道"
NASTY_COMMUNITY = "A&B \"新村\" '东' <b>社区</b>"


@pytest.fixture(scope="module")
def nasty():
    cols = [
        "district",
        "street",
        "community",
        "households",
        "facility_area",
        "has_service_facility",
    ]
    y1 = [
        (NASTY_DISTRICT, NASTY_STREET, "旧名社区", 900, 300, 1),
        ("乙区", "三街道", "北湖社区", 1200, 250, 0),
    ]
    y2 = [
        (NASTY_DISTRICT, NASTY_STREET, NASTY_COMMUNITY, 1900, 310, 1),
        ("乙区", "三街道", "北湖社区", 1200, 260, 1),
    ]
    a = census_from_frame(pd.DataFrame(y1, columns=cols), "c-2021.xlsx")
    b = census_from_frame(pd.DataFrame(y2, columns=cols), "c-2022.xlsx")
    return assess(PLAN, [(2021, a), (2022, b)])


def test_names_with_markup_and_formulas_are_text_in_the_html(nasty):
    page = Page(render_html(annual.draft(nasty, "zh")))
    assert "script" not in [tag for tag, _ in page.tags]
    assert "b" not in [tag for tag, _ in page.tags]
    text = "\n".join(page.text)
    for name in (NASTY_DISTRICT, NASTY_STREET, NASTY_COMMUNITY):
        assert name in text


def test_names_with_markup_and_formulas_are_text_in_the_docx(nasty, tmp_path):
    path = tmp_path / "nasty.docx"
    write_docx(annual.draft(nasty, "zh"), path, "zh")
    _, text = docx_text(path)
    for name in (NASTY_DISTRICT, NASTY_STREET, NASTY_COMMUNITY):
        assert name in text
    assert "instrText" not in _part_xml(path)  # no field code (HYPERLINK) was made


def _part_xml(path, name: str = "word/document.xml") -> str:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return z.read(name).decode()


# --------------------------------------------------------------------------- chart


def test_chart_svg_and_png_come_from_one_layout(assessment):
    s = assessment.indicators[0]
    c = chart.layout(s, "<标题> & 'x'")
    svg = chart.to_svg(c)
    root = ET.fromstring(svg)  # well-formed, title escaped
    ns = "{http://www.w3.org/2000/svg}"
    lines = [sh for sh in c.shapes if isinstance(sh, chart.Line)]
    assert len(root.findall(f"{ns}polyline")) == len(lines)
    colours = {sh.color for sh in lines}
    assert {chart.ACTUAL, chart.TRAJECTORY, chart.TARGET} <= colours
    labels = [e.text for e in root.findall(f"{ns}text")]
    assert "100%" in labels  # the latest value is labelled
    png = chart.to_png(c)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (c.width * 2, c.height * 2)


def test_scorecard_splits_many_districts_over_several_tables(assessment, monkeypatch):
    monkeypatch.setattr(annual, "CARD_COLUMNS", 1)
    districts = sorted({u.keys["district"] for u in assessment.units["district"]})
    tables = [b for b in annual.scorecard(assessment, "zh").blocks if isinstance(b, annual.Table)]
    assert [tb.header[1:] for tb in tables] == [[d] for d in districts]
    assert all(len(tb.rows) == len(assessment.indicators) for tb in tables)
    assert tables[1].caption.endswith(t("annual.continued", "zh"))


def test_streets_missing_from_a_year_are_named(assessment):
    # 乙区 三街道 has a community in 2021 and none in 2022 (its place taken by 四街道).
    assert annual_quality.missing_streets(assessment) == [("乙区", "三街道", 2022)]
    section = annual_quality.data_quality(assessment, "zh")
    assert any("乙区 三街道（2022）" in b for b in section.blocks if isinstance(b, str))


def test_scorecard_cells_are_each_districts_figure_for_the_latest_year(assessment):
    (table,) = [b for b in annual.scorecard(assessment, "zh").blocks if isinstance(b, annual.Table)]
    year = assessment.years[-1]
    for s, row in zip(assessment.indicators, table.rows, strict=True):
        assert row[0] == s.indicator.name("zh")
        for district, cell in zip(table.header[1:], row[1:], strict=True):
            (u,) = [
                u
                for u in assessment.units["district"]
                if u.indicator.id == s.indicator.id and u.keys["district"] == district
            ]
            unit = "%" if s.indicator.unit == "%" else ""
            assert cell.split(" ")[0] == fmt_number(u.values.get(year), unit).split(" ")[0]
            assert cell.endswith("✓") == (u.statuses.get(year) == "met")
            assert cell.endswith("✗") == (u.statuses.get(year) == "not_met")


def test_a_target_of_unstated_kind_is_not_counted_as_expected(assessment):
    """The plan qualifies some targets as neither 约束性 nor 预期性: the report's counts
    and sections keep them apart instead of calling them 预期性 (expected)."""
    kinds = [s.indicator.binding for s in assessment.indicators]
    assert None in kinds  # the sample plan leaves some unstated
    draft = annual.draft(assessment, "zh")
    assert t("annual.h.unstated", "zh") in render_html(draft)
    total_row = t("annual.total", "zh")
    table = next(
        b
        for b in draft.sections[0].blocks
        if getattr(b, "rows", None) and b.rows[-1][0] == total_row
    )
    total = dict(zip(table.header, table.rows[-1], strict=True))
    assert int(total["约束性"]) == kinds.count(True)
    assert int(total.get("预期性", 0)) == kinds.count(False)
    assert int(total["未注明"]) == kinds.count(None)

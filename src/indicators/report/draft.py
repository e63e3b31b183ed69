"""The draft of a report document: sections of sentences, tables and figures, numbered
as official documents number them. The annual report (annual.py) and the gap page
(gap_page.py) draft into it; the Word (annual_docx) and HTML (annual_html) writers lay it
out, so every format says the same thing with the same numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from indicators.model.i18n import t
from indicators.report.chart import Chart

CN_NUMBERS = "一二三四五六七八九十"
NUMBER_CELL = re.compile(r"^[-+]?[\d,.]+%?( ✓| ✗)?$|^—$")


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]
    marks: list[list[str]] = field(default_factory=list)  # per cell: "", "met", "not_met"
    wide: bool = False  # the scorecard: landscape page / small type


@dataclass
class Figure:
    chart: Chart
    caption: str


@dataclass
class Entry:
    """One indicator in 二、分项指标."""

    id: str
    heading: str
    status: str
    status_label: str
    binding: bool
    overdue: bool
    paragraphs: list[str]
    figure: Figure


Block = str | Table | Figure | Entry


@dataclass
class Section:
    heading: str
    blocks: list[Block | Section] = field(default_factory=list)


@dataclass
class Draft:
    lang: str
    title: str
    subtitle: str
    sections: list[Section]
    made: datetime | None = None  # the assessment's time: the Word file's own stamps


def join(names: list[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(names)


def is_number_cell(text: str) -> bool:
    """A table cell holding one figure (aligned right in both formats)."""
    return bool(NUMBER_CELL.match(text))


def cn_index(i: int) -> str:
    """1 -> 一, 12 -> 十二 (section numbers up to 99)."""
    if i <= 10:
        return CN_NUMBERS[i - 1]
    tens, ones = divmod(i, 10)
    head = "" if tens == 1 else CN_NUMBERS[tens - 1]
    return head + "十" + (CN_NUMBERS[ones - 1] if ones else "")


def number(level: int, i: int, lang: str) -> str:
    """Official numbering: 一、 / （一） / 1. (English: 1. / 1.1 style letters)."""
    if lang != "zh":
        return {1: f"{i}. ", 2: f"({chr(96 + i)}) ", 3: f"{i}. "}[level]
    return {1: f"{cn_index(i)}、", 2: f"（{cn_index(i)}）", 3: f"{i}. "}[level]


def number_captions(sections: list[Section], lang: str) -> None:
    """图1, 图2 ... and 表1, 表2 ... in reading order, the same in every format."""
    figures = tables = 0

    def walk(blocks) -> None:
        nonlocal figures, tables
        for b in blocks:
            if isinstance(b, Section):
                walk(b.blocks)
            elif isinstance(b, Entry):
                figures += 1
                label = t("annual.figure_label", lang, n=figures)
                b.figure.caption = f"{label} {b.figure.caption}"
            elif isinstance(b, Table):
                tables += 1
                b.caption = f"{t('annual.table_label', lang, n=tables)} {b.caption}"

    walk(sections)

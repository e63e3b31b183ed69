"""The annual assessment report as content: sections, sentences, tables and charts, drafted
from an `Assessment` in the user's language. The Word writer (annual_docx) and the HTML
writer (annual_html) lay out this one draft, so both say the same thing with the same numbers.

Every sentence is a catalogue template (data/messages/annual.yaml) filled with result fields:
the yearly values, progress (base, projection, ratio, status), the latest year's district
rows and their shortfalls, community changes and year-over-year findings. The only
arithmetic is the change since the base year, taken between the two figures as printed so
that the sentence adds up for its reader.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field

from indicators.assess import progress
from indicators.assess.assessment import SHARE_MEETING, Assessment, IndicatorSeries
from indicators.engine.results import MET, NOT_MET
from indicators.model.i18n import t
from indicators.model.issues import Severity
from indicators.report.assessment_text import (
    basis_text,
    measure_text,
    plan_title,
    target_text,
    years_text,
)
from indicators.report.chart import Chart, layout
from indicators.report.columns import num
from indicators.report.text import fmt_number
from indicators.report.wording import Wording, unit_label

LAGGARDS = 3  # districts named per lagging indicator
LIST_LIMIT = 30
CARD_COLUMNS = 10  # districts per scorecard table (landscape A4 at 9 pt)  # rows per data-quality table; the rest are counted, not listed
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


def qty(value: float | None, unit: str, lang: str) -> str:
    """A number with its unit as prose writes it: 77.4%, 29.8平方米/百户, 29.8 m² per ..."""
    if unit == "%":
        return fmt_number(value, "%")
    text = fmt_number(value)
    label = unit_label(unit, lang)
    if not label or text == "—":
        return text
    return f"{text}{label}" if lang == "zh" else f"{text} {label}"


def overdue(s: IndicatorSeries) -> bool:
    p = s.progress
    return p.year is not None and p.year > s.target_year and p.status != progress.ACHIEVED


def _finite(x: float | None) -> bool:
    return x is not None and math.isfinite(x)


# --------------------------------------------------------------------------- 一、总体情况


def overview(a: Assessment, lang: str) -> Section:
    sec = Section(number(1, 1, lang) + t("annual.h.overview", lang))
    sec.blocks.append(
        t(
            "annual.overview.scope",
            lang,
            years=years_text(a.years),
            n_years=len(a.years),
            plan=plan_title(a, lang),
            n=len(a.indicators),
            not_assessed=len(a.not_assessed),
        )
    )
    binding = [s for s in a.indicators if s.indicator.binding]
    rows, total_b, total_o = [], 0, 0
    for status in progress.STATUSES:
        nb = sum(1 for s in binding if s.progress.status == status)
        no = sum(1 for s in a.indicators if s.progress.status == status) - nb
        total_b, total_o = total_b + nb, total_o + no
        rows.append([t(f"progress.{status}", lang), str(nb), str(no), str(nb + no)])
    late_b = sum(1 for s in binding if overdue(s))
    late = sum(1 for s in a.indicators if overdue(s))
    rows.append([t("annual.overdue", lang), str(late_b), str(late - late_b), str(late)])
    rows.append([t("annual.total", lang), str(total_b), str(total_o), str(total_b + total_o)])
    counts = a.counts()
    stop = "。" if lang == "zh" else "."
    sec.blocks.append(t("assess.counts", lang, **counts, not_assessed=len(a.not_assessed)) + stop)
    off = a.binding_off_track
    if off:
        names = join([s.indicator.name(lang) for s in off], lang)
        sec.blocks.append(t("assess.binding_alert", lang, n=len(off), names=names).lstrip("⚠ "))
    elif binding:
        sec.blocks.append(t("assess.binding_none", lang) + ("。" if lang == "zh" else "."))
    if late:
        names = join([s.indicator.name(lang) for s in a.indicators if overdue(s)], lang)
        sec.blocks.append(t("annual.overdue_list", lang, n=late, names=names))
    head = [t("assess.col.status", lang), t("binding.true", lang), t("binding.false", lang)]
    sec.blocks.append(Table(t("annual.table.counts", lang), [*head, t("annual.total", lang)], rows))
    sec.blocks.append(at_a_glance(a, lang))
    return sec


def at_a_glance(a: Assessment, lang: str) -> Table:
    """One row per indicator, binding first: latest value, target, status."""
    year = a.years[-1]
    ordered = [s for s in a.indicators if s.indicator.binding]
    ordered += [s for s in a.indicators if not s.indicator.binding]
    rows, marks = [], []
    for no, s in enumerate(ordered, start=1):
        p = s.progress
        status = t(f"progress.{p.status}", lang)
        if overdue(s):
            late = t("annual.badge.overdue", lang)
            status += f"（{late}）" if lang == "zh" else f" ({late})"
        value = qty(s.values.get(year), s.unit, lang)
        rows.append(
            [
                str(no),
                s.indicator.name(lang),
                t(f"binding.{str(s.indicator.binding).lower()}", lang),
                value,
                f"{target_text(s, lang)} ({s.target_year})",
                status,
            ]
        )
        good = p.status in (progress.ACHIEVED, progress.ON_TRACK)
        marks.append(["", "", "", "", "", "met" if good else "not_met" if p.off_track else ""])
    head = [t("assess.col.no", lang), t("assess.col.indicator", lang)]
    head += [t("assess.col.binding", lang), t("assess.col.year", lang, year=year)]
    head += [t("assess.col.target", lang), t("assess.col.status", lang)]
    return Table(t("annual.table.glance", lang), head, rows, marks)


# --------------------------------------------------------------------------- 二、分项指标


def indicator_sentences(s: IndicatorSeries, lang: str) -> list[str]:
    p, ind = s.progress, s.indicator
    unit = s.unit
    if p.year is None or not _finite(p.value):
        return [t("annual.no_value", lang, name=ind.name(lang))]
    value = qty(p.value, unit, lang)
    if s.measure == SHARE_MEETING:
        text = t(
            "annual.now.share",
            lang,
            year=p.year,
            name=ind.name(lang),
            measure=measure_text(s, lang),
            value=value,
        )
    else:
        text = t("annual.now.value", lang, year=p.year, name=ind.name(lang), value=value)
    if p.base_year is not None and p.base_year != p.year and _finite(p.base_value):
        shown_now, shown_then = _shown(p.value), _shown(p.base_value)
        delta = shown_now - shown_then
        if abs(delta) < 1e-9:
            text += t("annual.change.same", lang, year=p.base_year)
        else:
            key = "annual.change.up" if delta > 0 else "annual.change.down"
            amount = fmt_number(abs(delta))
            step = t("annual.points", lang) if unit == "%" else unit_label(unit, lang)
            sep = "" if lang == "zh" else " "
            text += t(
                key,
                lang,
                year=p.base_year,
                base=qty(p.base_value, unit, lang),
                amount=f"{amount}{sep}{step}",
            )
    goal = target_text(s, lang)
    if p.status == progress.ACHIEVED:
        text += t("annual.achieved", lang, target=goal)
    elif _finite(p.projected):
        reach = progress.meets(s.target, p.projected)
        key = "annual.projected.meets" if reach else "annual.projected.short"
        if not reach and p.direction < 0:
            key = "annual.projected.above"
        text += t(key, lang, year=s.target_year, value=qty(p.projected, unit, lang), target=goal)
    sentences = [text + ("。" if lang == "zh" else ".")]
    status = t(f"progress.{p.status}", lang)
    ratio = fmt_number(p.ratio, "", 2) if _finite(p.ratio) else ""
    key = "annual.status.ratio" if ratio else "annual.status.plain"
    sentences.append(t(key, lang, status=status, ratio=ratio, basis=basis_text(s, lang)))
    return sentences


def _shown(x: float) -> float:
    """The figure as printed (one decimal), so that a difference adds up on the page."""
    return round(float(x), 1)


def laggards(s: IndicatorSeries, w: Wording) -> str:
    """The districts furthest behind in the latest year and what each would take."""
    lang = w.lang
    year = s.progress.year
    r = s.results.get(year) if year is not None else None
    if r is None or "district" not in r.groups:
        return ""
    g = r.groups["district"]
    short = g[(g["status"] == NOT_MET) & (g["shortfall"].fillna(0) > 0)]
    if len(short):
        rows = short.sort_values(["shortfall", "district"], ascending=[False, True])
        column, wording = "shortfall", w.group_shortfall
    elif r.lever and "shortfall_all" in g and (g["shortfall_all"].fillna(0) > 0).any():
        rows = g[g["shortfall_all"].fillna(0) > 0]
        rows = rows.sort_values(["shortfall_all", "district"], ascending=[False, True])
        column, wording = "shortfall_all", w.lever
    else:
        return ""
    unit = "%" if r.indicator.unit == "%" else r.indicator.unit or ""
    parts = []
    for _, row in rows.head(LAGGARDS).iterrows():
        what = wording(r, float(row[column]))
        value = qty(num(row["value"]), unit, lang)
        parts.append(
            t("annual.laggard", lang, district=str(row["district"]), value=value, what=what)
        )
    sep = "；" if lang == "zh" else "; "
    return t("annual.laggards", lang, year=year, n=len(rows), list=sep.join(parts))


def entry(s: IndicatorSeries, no: int, w: Wording) -> Entry:
    lang = w.lang
    ind, p = s.indicator, s.progress
    paragraphs = indicator_sentences(s, lang)
    if p.off_track or overdue(s):
        lag = laggards(s, w)
        if lag:
            paragraphs.append(lag)
    name = ind.name(lang)
    unit = "%" if s.unit == "%" else unit_label(s.unit, lang)
    caption = t(
        "annual.figure",
        lang,
        name=name,
        unit=unit,
        target=f"{target_text(s, lang)}（{s.target_year}）"
        if lang == "zh"
        else f"{target_text(s, lang)} ({s.target_year})",
    )
    return Entry(
        id=ind.id,
        heading=number(3, no, lang) + name,
        status=p.status,
        status_label=t(f"progress.{p.status}", lang),
        binding=ind.binding,
        overdue=overdue(s),
        paragraphs=paragraphs,
        figure=Figure(layout(s, name), caption),
    )


def indicators(a: Assessment, lang: str) -> Section:
    sec = Section(number(1, 2, lang) + t("annual.h.indicators", lang))
    w = Wording.of(a.inputs[-1].results, lang)  # field names in shortfall sentences
    groups = [
        (t("annual.h.binding", lang), [s for s in a.indicators if s.indicator.binding]),
        (t("annual.h.expected", lang), [s for s in a.indicators if not s.indicator.binding]),
    ]
    i = 0
    for heading, items in groups:
        if not items:
            continue
        i += 1
        sub = Section(number(2, i, lang) + heading)
        sub.blocks += [entry(s, no, w) for no, s in enumerate(items, start=1)]
        sec.blocks.append(sub)
    if a.not_assessed:
        names = join([ind.name(lang) for ind in a.not_assessed], lang)
        sec.blocks.append(t("annual.not_assessed", lang, n=len(a.not_assessed), names=names))
    return sec


# --------------------------------------------------------------------------- 三、区县情况


def scorecard(a: Assessment, lang: str) -> Section:
    """Indicators by district for the latest year; CARD_COLUMNS districts per table, so
    that a province's hundred districts still fit landscape pages."""
    sec = Section(number(1, 3, lang) + t("annual.h.districts", lang))
    year = a.years[-1]
    series = a.units.get("district", [])
    districts = sorted({u.keys["district"] for u in series})
    sec.blocks.append(t("annual.scorecard.note", lang, year=year, n=len(districts)))
    by = {(u.indicator.id, u.keys["district"]): u for u in series}
    for start in range(0, max(len(districts), 1), CARD_COLUMNS):
        part = districts[start : start + CARD_COLUMNS]
        rows, marks = [], []
        for s in a.indicators:
            unit = "%" if s.indicator.unit == "%" else ""
            row, mark = [s.indicator.name(lang)], [""]
            for d in part:
                u = by.get((s.indicator.id, d))
                v = u.values.get(year) if u is not None else None
                st = u.statuses.get(year, "") if u is not None else ""
                row.append(fmt_number(v, unit) + _MARKS.get(st, ""))
                mark.append(st if st in _MARKS else "")
            rows.append(row)
            marks.append(mark)
        header = [t("assess.col.indicator", lang), *part]
        caption = t("annual.table.scorecard", lang, year=year)
        if start:
            caption += t("annual.continued", lang)
        sec.blocks.append(Table(caption, header, rows, marks, wide=True))
    return sec


_MARKS = {MET: " ✓", NOT_MET: " ✗"}


# --------------------------------------------------------------------------- 四、数据质量


def data_quality(a: Assessment, lang: str) -> Section:
    sec = Section(number(1, 4, lang) + t("annual.h.quality", lang))
    kinds = {k: [c for c in a.changes if c.kind == k] for k in ("added", "removed", "renamed")}
    sec.blocks.append(
        t(
            "assess.changes_summary",
            lang,
            **{k: len(v) for k, v in kinds.items()},
            jumps=len(a.issues),
        )
        + ("。" if lang == "zh" else ".")
    )
    for y in a.inputs:
        warnings = sum(1 for i in y.census.issues if i.severity is Severity.WARNING)
        sec.blocks.append(
            t(
                "annual.file_line",
                lang,
                year=y.year,
                file=y.census.source.path.name,
                rows=len(y.census.frame),
                warnings=warnings,
            )
        )
    missing = missing_streets(a)
    if missing:
        sec.blocks.append(
            t(
                "annual.missing_streets",
                lang,
                n=len(missing),
                list=join(
                    [
                        f"{d} {s} ({y})" if lang == "en" else f"{d} {s}（{y}）"
                        for d, s, y in missing
                    ],
                    lang,
                ),
            )
        )
    if a.changes:
        rows = [
            [
                t(f"assess.change.{c.kind}", lang),
                f"{c.previous_year}→{c.year}",
                c.district,
                c.street,
                c.community,
                c.previous or "",
            ]
            for c in a.changes[:LIST_LIMIT]
        ]
        head = ["kind", "years", "district", "street", "community", "previous"]
        sec.blocks.append(_limited(t("annual.table.changes", lang), head, rows, a.changes, lang))
    if a.issues:
        rows = [[i.file, i.location, i.message(lang)] for i in a.issues[:LIST_LIMIT]]
        head = ["file", "location", "message"]
        sec.blocks.append(_limited(t("annual.table.jumps", lang), head, rows, a.issues, lang))
    return sec


def _limited(caption: str, head: list[str], rows, every: list, lang: str) -> Table:
    if len(every) > len(rows):
        caption += t("annual.more_rows", lang, shown=len(rows), n=len(every))
    return Table(caption, [t(f"assess.col.{h}", lang) for h in head], rows)


def missing_streets(a: Assessment) -> list[tuple[str, str, int]]:
    """Streets with communities in one year's census and none in the next:
    (district, street, the year it is missing from)."""
    out = []
    for before, after in itertools.pairwise(a.inputs):
        seen = _streets(before.census.frame)
        now = _streets(after.census.frame)
        out += [(d, s, after.year) for d, s in sorted(seen - now)]
    return out


def _streets(frame) -> set[tuple[str, str]]:
    keys = frame[["district", "street"]].astype("string").fillna("")
    return {(d.strip(), s.strip()) for d, s in keys.itertuples(index=False) if s.strip()}


# --------------------------------------------------------------------------- 附


def appendix(a: Assessment, lang: str) -> Section:
    sec = Section(t("annual.h.appendix", lang))
    sec.blocks.append(t("annual.method.progress", lang))
    sec.blocks.append(t("annual.method.aggregate", lang))
    sec.blocks.append(t("assess.subtitle", lang) + ("。" if lang == "zh" else "."))
    rows = [
        [str(y.year), y.census.source.path.name, str(len(y.census.frame)), y.census.source.sha256]
        for y in a.inputs
    ]
    head = [
        t("assess.col.years", lang),
        t("assess.col.file", lang),
        t("annual.col.rows", lang),
        "SHA-256",
    ]
    sec.blocks.append(Table(t("annual.table.sources", lang), head, rows))
    return sec


def draft(a: Assessment, lang: str = "zh") -> Draft:
    year = a.years[-1]
    title = t("annual.title", lang, plan=plan_title(a, lang), year=year)
    subtitle = t(
        "annual.subtitle", lang, years=years_text(a.years), date=a.generated_at.strftime("%Y-%m-%d")
    )
    sections = [overview(a, lang), indicators(a, lang), scorecard(a, lang)]
    sections += [data_quality(a, lang), appendix(a, lang)]
    number_captions(sections, lang)
    return Draft(lang, title, subtitle, sections)


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

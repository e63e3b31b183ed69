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

import math

from indicators.assess import progress
from indicators.assess.assessment import SHARE_MEETING, Assessment, IndicatorSeries
from indicators.engine.results import MET, NOT_MET
from indicators.model.i18n import t
from indicators.report.annual_quality import appendix, data_quality
from indicators.report.assessment_text import (
    basis_text,
    measure_text,
    plan_title,
    target_text,
    years_text,
)
from indicators.report.chart import layout
from indicators.report.columns import num
from indicators.report.draft import (
    Draft,
    Entry,
    Figure,
    Section,
    Table,
    join,
    number,
    number_captions,
)
from indicators.report.text import fmt_number, unit_label
from indicators.report.wording import Wording

LAGGARDS = 3  # districts named per lagging indicator
CARD_COLUMNS = 10  # districts per scorecard table (landscape A4 at 9 pt)


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
    # one column per kind the plan states, and one for the targets it does not qualify: an
    # unstated kind is never counted as 预期性 (expected)
    kinds = [
        k for k in KINDS if k != "none" or any(s.indicator.binding is None for s in a.indicators)
    ]
    rows = []
    for status in progress.STATUSES:
        rows.append(
            [
                t(f"progress.{status}", lang),
                *_by_kind(a, kinds, lambda s, st=status: s.progress.status == st),
            ]
        )
    rows.append([t("annual.overdue", lang), *_by_kind(a, kinds, overdue)])
    rows.append([t("annual.total", lang), *_by_kind(a, kinds, lambda s: True)])
    counts = a.counts()
    stop = "。" if lang == "zh" else "."
    sec.blocks.append(t("assess.counts", lang, **counts, not_assessed=len(a.not_assessed)) + stop)
    off = a.binding_off_track
    if off:
        names = join([s.indicator.name(lang) for s in off], lang)
        sec.blocks.append(t("assess.binding_alert", lang, n=len(off), names=names).lstrip("⚠ "))
    elif binding:
        sec.blocks.append(t("assess.binding_none", lang) + ("。" if lang == "zh" else "."))
    late = sum(1 for s in a.indicators if overdue(s))
    if late:
        names = join([s.indicator.name(lang) for s in a.indicators if overdue(s)], lang)
        sec.blocks.append(t("annual.overdue_list", lang, n=late, names=names))
    head = [t("assess.col.status", lang), *(t(f"binding.{k}", lang) for k in kinds)]
    sec.blocks.append(Table(t("annual.table.counts", lang), [*head, t("annual.total", lang)], rows))
    sec.blocks.append(at_a_glance(a, lang))
    return sec


KINDS = ("true", "false", "none")  # 约束性, 预期性, not stated (catalogue binding.*)


def _kind(s) -> str:
    return {True: "true", False: "false"}.get(s.indicator.binding, "none")


def _by_kind(a: Assessment, kinds: list[str], counted) -> list[str]:
    """How many indicators of each kind `counted` holds for, then the total."""
    n = [sum(1 for s in a.indicators if _kind(s) == k and counted(s)) for k in kinds]
    return [*map(str, n), str(sum(n))]


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
        what = (
            w.group_shortfall(r, float(row[column]), "district")
            if column == "shortfall"
            else wording(r, float(row[column]))
        )
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
        (t("annual.h.binding", lang), [s for s in a.indicators if _kind(s) == "true"]),
        (t("annual.h.expected", lang), [s for s in a.indicators if _kind(s) == "false"]),
        (t("annual.h.unstated", lang), [s for s in a.indicators if _kind(s) == "none"]),
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


def draft(a: Assessment, lang: str = "zh") -> Draft:
    year = a.years[-1]
    title = t("annual.title", lang, plan=plan_title(a, lang), year=year)
    subtitle = t(
        "annual.subtitle", lang, years=years_text(a.years), date=a.generated_at.strftime("%Y-%m-%d")
    )
    sections = [overview(a, lang), indicators(a, lang), scorecard(a, lang)]
    sections += [data_quality(a, lang), appendix(a, lang)]
    number_captions(sections, lang)
    return Draft(lang, title, subtitle, sections, made=a.generated_at)

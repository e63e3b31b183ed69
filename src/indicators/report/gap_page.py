"""`check --out report.html`: one census year's gap report as a report draft, written by the
HTML writer of the annual report (report/annual_html.py). The rows are the Summary rows every
gap report shows (report/summary.py); the findings are the census's own DataIssues.
"""

from __future__ import annotations

from pathlib import Path

from indicators.engine.results import MET, NOT_MET, Results
from indicators.model.i18n import t
from indicators.model.issues import Severity
from indicators.report.annual_html import write_html
from indicators.report.draft import Draft, Section, Table, join, number, number_captions
from indicators.report.findings import located_message
from indicators.report.summary import status_counts, summary_rows
from indicators.report.text import fmt_number
from indicators.report.wording import Wording

LIST_LIMIT = 50


def gap_draft(results: Results, lang: str = "zh") -> Draft:
    census, plan = results.census, results.plan
    title_plan = (plan.title_en or plan.title) if lang == "en" else plan.title
    title = t("gap_page.title", lang, plan=title_plan, file=census.source.path.name)
    date = results.generated_at.strftime("%Y-%m-%d")
    subtitle = (
        t("gap_page.subtitle", lang, year=results.year, date=date)
        if results.year
        else t("gap_page.subtitle_no_year", lang, date=date)
    )
    rows = summary_rows(results, Wording.of(results, lang))
    counts = status_counts(results)
    frame = census.frame
    overview = Section(number(1, 1, lang) + t("annual.h.overview", lang))
    overview.blocks.append(
        t(
            "summary.communities",
            lang,
            n=len(frame),
            districts=frame["district"].nunique(),
            streets=frame[["district", "street"]].drop_duplicates().shape[0],
        )
    )
    overview.blocks.append(
        t(
            "summary.counts",
            lang,
            met=counts.get(MET, 0),
            not_met=counts.get(NOT_MET, 0),
            not_computable=counts.get("not_computable", 0),
            not_assessed=len(results.not_assessed),
        )
        + ("。" if lang == "zh" else ".")
    )
    binding = [r.name for r in rows if r.status == NOT_MET and r.result.indicator.binding]
    if binding:
        overview.blocks.append(
            t("gap_page.binding", lang, n=len(binding), names=join(binding, lang))
        )
    head = [t(f"summary.col.{c}", lang) for c in ("indicator", "binding", "target", "actual")]
    head += [t("summary.col.status", lang), t("summary.col.failing", lang)]
    head.append(t("col.what_it_takes", lang))
    table_rows, marks = [], []
    for r in rows:
        # the headline as every format words it ("87/120 个社区达标（72.5%）")
        actual = r.actual_text or fmt_number(r.actual, "")
        table_rows.append(
            [
                f"{r.no}. {r.name}",
                r.binding,
                r.target,
                actual,
                r.status_text,
                r.failing,
                r.what_it_takes,
            ]
        )
        mark = r.status if r.status in (MET, NOT_MET) else ""
        marks.append(["", "", "", "", mark, "", ""])
    indicators = Section(number(1, 2, lang) + t("annual.h.indicators", lang))
    indicators.blocks.append(Table(t("gap_page.table", lang), head, table_rows, marks))
    quality = Section(number(1, 3, lang) + t("annual.h.quality", lang))
    issues = [i for i in census.issues if i.severity is not Severity.INFO]
    errors = sum(1 for i in issues if i.severity is Severity.ERROR)
    quality.blocks.append(t("summary.issues", lang, errors=errors, warnings=len(issues) - errors))
    if issues:
        caption = t("annual.table.findings", lang)
        if len(issues) > LIST_LIMIT:
            caption += t("annual.more_rows", lang, shown=LIST_LIMIT, n=len(issues))
        listed = [
            [t(f"severity.{i.severity.value}", lang), i.location, located_message(i, lang)]
            for i in issues[:LIST_LIMIT]
        ]
        head = [
            t("assess.col.severity", lang),
            t("assess.col.location", lang),
            t("assess.col.message", lang),
        ]
        quality.blocks.append(Table(caption, head, listed))
    appendix = Section(t("annual.h.appendix", lang))
    appendix.blocks += [t("summary.method_note", lang), t("annual.method.aggregate", lang)]
    source = [[census.source.path.name, str(len(frame)), census.source.sha256]]
    head = [t("assess.col.file", lang), t("annual.col.rows", lang), "SHA-256"]
    appendix.blocks.append(Table(t("annual.table.sources", lang), head, source))
    sections = [overview, indicators, quality, appendix]
    number_captions(sections, lang)
    return Draft(lang, title, subtitle, sections)


def write_gap_page(results: Results, path: Path, lang: str = "zh") -> None:
    write_html(gap_draft(results, lang), path, lang)

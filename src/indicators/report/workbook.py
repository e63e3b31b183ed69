"""The gap workbook (.xlsx): what a planner hands to the district head.

Sheets: Summary, Communities, Streets, Districts, Shortfalls, Data issues, Not assessed,
About (names in the report language). Written with xlsxwriter in constant_memory mode (rows
are streamed to disk, so a national census keeps memory bounded), with strings never turned
into formulas or links, into a temporary file that replaces the target only when complete.
"""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

import indicators
from indicators.engine.results import NOT_COMPUTABLE, Results
from indicators.i18n import t
from indicators.issues import Severity
from indicators.report.gaps import reason_text, status_counts, summary_rows
from indicators.report.safe import atomic_path, readable
from indicators.report.sheetxml import Bodies
from indicators.report.shortfalls import shortfall_table
from indicators.report.text import status_label
from indicators.report.workbook_sheets import (
    EXCEL_MAX_ROWS,
    SHORTFALLS_PER_INDICATOR,
    put,
    write_communities,
    write_groups,
    write_shortfalls,
)
from indicators.report.workbook_styles import Styles, fit_width, row_height, setup_print, value_kind

STREAMING_NOTE_FROM = 100_000  # communities above which the About sheet notes the streaming
# National size: above this many communities the Communities sheet has one value and one
# status column per indicator (target in the header; no target and gap columns) and the
# Shortfalls sheet keeps the SHORTFALLS_PER_INDICATOR largest rows per indicator and level.
# Both are said in About; --format csv/json carry every row. `write_workbook(national_from=)`
# changes it.
NATIONAL_SIZE = 100_000
LANG_NAMES = {"zh": "中文 (zh)", "en": "English (en)"}


def timestamp(results: Results) -> str:
    from indicators.report.json_report import generated_at

    return generated_at(results).strftime("%Y-%m-%d %H:%M %Z").strip()


def write_workbook(
    results: Results, path: Path, lang: str, national_from: int = NATIONAL_SIZE
) -> Path:
    bodies = Bodies()
    with atomic_path(path, lang) as tmp:
        wb = xlsxwriter.Workbook(
            str(tmp),
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "nan_inf_to_errors": False,
            },
        )
        try:
            build_workbook(wb, results, lang, bodies, national_from)
        finally:
            wb.close()
        bodies.splice(tmp)
    return path


def build_workbook(
    wb, results: Results, lang: str, bodies: Bodies, national_from: int = NATIONAL_SIZE
) -> None:
    st = Styles(wb, lang)
    wb.set_properties(
        {
            "title": t("report.title", lang, plan=results.plan.title),
            "subject": results.plan.id,
            "author": f"indicators {indicators.__version__}",
            "comments": readable(results.census.source.path.name),
        }
    )
    write_summary(wb, st, results, lang)
    limit = EXCEL_MAX_ROWS - 2
    n = len(results.census.frame)
    national = n > national_from
    shown = write_communities(wb, st, results, lang, limit, bodies, compact=national)
    write_groups(wb, st, results, "street", lang, bodies)
    write_groups(wb, st, results, "district", lang, bodies)
    table = shortfall_table(
        results, lang, per_indicator=SHORTFALLS_PER_INDICATOR if national else None
    )
    total = table.total
    table = table.head(EXCEL_MAX_ROWS - 3)
    write_shortfalls(wb, st, results, table, lang, bodies)
    write_data_issues(wb, st, results, lang)
    write_not_assessed(wb, st, results, lang)
    limits = []
    if n > STREAMING_NOTE_FROM:
        limits.append(t("about.limit.streaming", lang, n=f"{STREAMING_NOTE_FROM:,}"))
    if national:
        limits.append(t("about.limit.national", lang, n=f"{national_from:,}"))
    if shown < n:
        limits.append(t("about.limit.communities", lang, shown=f"{shown:,}", total=f"{n:,}"))
    if table.capped:
        limits.append(
            t(
                "about.limit.shortfalls_capped",
                lang,
                cap=f"{table.cap:,}",
                shown=f"{len(table):,}",
                total=f"{total:,}",
            )
        )
    if len(table) < total - table.capped:
        limits.append(
            t("about.limit.shortfalls", lang, shown=f"{len(table):,}", total=f"{total:,}")
        )
    write_about(wb, st, results, lang, limits)


SUMMARY_COLUMNS = (
    ("no", 4),
    ("name", 26),
    ("name_other", 26),
    ("level", 6),
    ("scope", 8),
    ("target", 14),
    ("actual", 12),
    ("gap", 8),
    ("status", 8),
    ("failing", 12),
    ("what_it_takes", 30),
    ("binding", 7),
    ("citation", 30),
)
SUMMARY_LABELS = {
    "no": "col.no",
    "name": "col.indicator",
    "name_other": "col.indicator_other",
    "level": "col.level",
    "scope": "col.scope",
    "target": "col.target",
    "actual": "col.actual",
    "gap": "col.gap",
    "status": "col.status",
    "failing": "col.failing",
    "what_it_takes": "col.what_it_takes",
    "binding": "col.binding",
    "citation": "col.citation",
}
WRAPPED = ("name", "name_other", "what_it_takes", "citation", "failing", "target")


def _summary_values(r, lang: str) -> dict:
    what = r.what_it_takes
    if r.status == NOT_COMPUTABLE and r.result.headline.reason:
        what = reason_text(r.result.headline.reason, lang, r.result)
    return {
        "no": r.no,
        "name": r.name,
        "name_other": r.name_other,
        "level": r.level,
        "scope": r.scope,
        "target": r.target,
        "actual": r.actual,
        "gap": r.gap,
        "status": r.status_text,
        "failing": r.failing,
        "what_it_takes": what,
        "binding": r.binding,
        "citation": r.citation,
    }


def write_summary(wb, st: Styles, results: Results, lang: str) -> None:
    ws = wb.add_worksheet(t("sheet.summary", lang))
    plan, source = results.plan, results.census.source
    rows = summary_rows(results, lang)
    values = [_summary_values(r, lang) for r in rows]
    labels = [t(SUMMARY_LABELS[k], lang) for k, _ in SUMMARY_COLUMNS]
    widths = {}
    for c, (key, w) in enumerate(SUMMARY_COLUMNS):
        if key in ("level", "scope", "status", "binding"):
            w = fit_width([v[key] for v in values] + [labels[c]], w, 14)
        elif key == "actual":  # the unit is part of the number format: make room for it
            shown = [f"{v['actual'] or 0:,.1f} {r.unit}" for v, r in zip(values, rows, strict=True)]
            w = fit_width([*shown, labels[c]], w, 28)
        widths[key] = w
        ws.set_column(c, c, w)
    last = len(SUMMARY_COLUMNS) - 1
    ws.set_row(0, 30)
    ws.merge_range(0, 0, 0, last, t("report.title", lang, plan=plan.title), st.title)
    ws.merge_range(
        1,
        0,
        1,
        last,
        t(
            "report.subtitle",
            lang,
            document=plan.document or "—",
            plan_id=plan.id,
            file=readable(source.path.name),
            time=timestamp(results),
        ),
        st.subtitle,
    )
    counts = status_counts(results)
    ws.merge_range(
        2,
        0,
        2,
        last,
        t(
            "report.counts",
            lang,
            met=counts["met"],
            not_met=counts["not_met"],
            not_computable=counts["not_computable"],
            not_assessed=len(results.not_assessed),
            n=f"{len(results.census.frame):,}",
        ),
        st.bold,
    )
    note = t("report.actual_note", lang)
    if results.year is not None:
        note = (
            t("report.year_note", lang, year=results.year) + ("。" if lang == "zh" else ". ") + note
        )
    ws.merge_range(3, 0, 3, last, note, st.note)
    head = 5
    ws.set_row(
        head,
        row_height(
            [(lab, widths[k]) for lab, (k, _) in zip(labels, SUMMARY_COLUMNS, strict=False)]
        ),
    )
    for c, label in enumerate(labels):
        ws.write_string(head, c, label, st.header)
    for i, (r, v) in enumerate(zip(rows, values, strict=False), start=head + 1):
        ind = r.result.indicator
        kind = value_kind(ind)
        ws.set_row(i, row_height([(v[k], widths[k]) for k in WRAPPED]))
        for c, (key, _) in enumerate(SUMMARY_COLUMNS):
            x = v[key]
            if key == "status":
                ws.write_string(i, c, x, st.status(r.status))
            elif key == "actual":
                put(ws, i, c, x, st.number_unit(kind, r.unit, bold=True))
            elif key == "gap":
                put(ws, i, c, x, st.gap(kind))
            elif key == "no":
                put(ws, i, c, x, st.number("int"))
            else:
                put(ws, i, c, x, st.wrap if key in WRAPPED else st.text)
    end = head + len(rows)
    ws.freeze_panes(head + 1, 2)
    ws.autofilter(head, 0, max(end, head + 1), last)
    setup_print(ws, header_rows=(head, head), title=plan.title)
    ws.activate()


ISSUE_COLUMNS = (
    ("severity", "col.severity", 8),
    ("code", "col.code_issue", 18),
    ("file", "col.file", 18),
    ("sheet", "col.sheet", 14),
    ("cell", "col.cell", 8),
    ("header", "col.header", 20),
    ("value", "col.value_written", 16),
    ("expected", "col.expected", 18),
    ("message", "col.message", 60),
)
_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def write_data_issues(wb, st: Styles, results: Results, lang: str) -> None:
    ws = wb.add_worksheet(t("sheet.data_issues", lang))
    issues = sorted(results.census.issues, key=lambda i: _ORDER[i.severity])
    shown = issues[: EXCEL_MAX_ROWS - 2]
    for c, (key, label, w) in enumerate(ISSUE_COLUMNS):
        if key in ("header", "value", "code", "sheet", "file"):
            w = fit_width([getattr(i, key) for i in shown[:5000]] + [t(label, lang)], 6, 40)
        ws.set_column(c, c, w, st.wrap if key == "message" else None)
    if not issues:
        ws.write_string(0, 0, t("issues.none", lang), st.text)
        return
    for c, (_, label, _) in enumerate(ISSUE_COLUMNS):
        ws.write_string(0, c, t(label, lang), st.header)
    sev_style = {
        Severity.ERROR: "not_met",
        Severity.WARNING: "not_computable",
        Severity.INFO: "no_target",
    }
    for row, issue in enumerate(shown, start=1):
        ws.write_string(
            row,
            0,
            t(f"severity.{issue.severity.value}", lang),
            st.status(sev_style[issue.severity]),
        )
        for c, (key, _, _) in enumerate(ISSUE_COLUMNS[1:], start=1):
            v = issue.message(lang) if key == "message" else getattr(issue, key)
            ws.write_string(
                row,
                c,
                "" if v is None else readable(str(v)),
                st.wrap if key == "message" else st.text,
            )
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(shown), len(ISSUE_COLUMNS) - 1)
    setup_print(ws, header_rows=(0, 0), title=results.plan.title)


NA_COLUMNS = (
    ("no", "col.no", 4),
    ("name", "col.indicator", 30),
    ("name_other", "col.indicator_other", 30),
    ("level", "col.level", 8),
    ("target", "col.target_printed", 40),
    ("binding", "col.binding", 8),
    ("section", "col.citation", 40),
    ("quote", "col.quote", 50),
    ("note", "col.note", 40),
)


def write_not_assessed(wb, st: Styles, results: Results, lang: str) -> None:
    ws = wb.add_worksheet(t("sheet.not_assessed", lang))
    for c, (_key, _, w) in enumerate(NA_COLUMNS):
        ws.set_column(c, c, w, st.wrap if w >= 30 else None)
    if not results.not_assessed:
        ws.write_string(0, 0, t("not_assessed.none", lang), st.text)
        return
    ws.write_string(0, 0, t("not_assessed.intro", lang), st.note)
    ws.set_row(1, 30)
    for c, (_, label, _) in enumerate(NA_COLUMNS):
        ws.write_string(1, c, t(label, lang), st.header)
    other = "en" if lang == "zh" else "zh"
    for row, ind in enumerate(results.not_assessed, start=2):
        values = [
            row - 1,
            ind.name(lang),
            ind.name(other),
            t(f"level.{ind.level}", lang),
            ind.target_text or ind.target_text_for(results.year),
            t(f"binding.{str(ind.binding).lower()}", lang),
            ind.cite.section,
            ind.cite.quote,
            ind.note or "",
        ]
        for c, v in enumerate(values):
            put(ws, row, c, v, st.number("int") if c == 0 else st.wrap)
    ws.freeze_panes(2, 2)
    ws.autofilter(1, 0, 1 + len(results.not_assessed), len(NA_COLUMNS) - 1)
    setup_print(ws, header_rows=(1, 1), title=results.plan.title)


def write_about(wb, st: Styles, results: Results, lang: str, limits: list[str]) -> None:
    ws = wb.add_worksheet(t("sheet.about", lang))
    plan, source = results.plan, results.census.source
    ws.set_column(0, 0, 22 if lang == "zh" else 30)
    ws.set_column(1, 1, 100, st.wrap)
    ws.write_string(0, 0, t("about.heading", lang), st.title)
    ws.set_row(0, 26)
    period = f"{plan.period[0]}–{plan.period[1]}" if plan.period else ""
    items = [
        ("about.plan_id", plan.id),
        ("about.plan_title", plan.title),
        ("about.plan_title_en", plan.title_en or ""),
        ("about.issuer", plan.issuer or ""),
        ("about.document", plan.document or ""),
        ("about.period", period),
        ("about.year", str(results.year) if results.year else ""),
        ("about.input", readable(source.path.name)),
        ("about.sha256", source.sha256 or ""),
        ("about.format", source.format),
        ("about.sheets", "、".join(source.sheets) if lang == "zh" else ", ".join(source.sheets)),
        ("about.communities", f"{len(results.census.frame):,}"),
        ("about.tool", f"indicators {indicators.__version__}"),
        ("about.generated", timestamp(results)),
        ("about.language", LANG_NAMES.get(lang, lang)),
    ]
    row = 2
    for key, value in items:
        ws.write_string(row, 0, t(key, lang), st.bold)
        ws.write_string(row, 1, value, st.wrap)
        row += 1
    row += 1
    ws.write_string(row, 0, t("about.methods", lang), st.section)
    ws.write_blank(row, 1, None, st.section)
    row += 1
    ws.write_string(row, 1, t("about.methods_intro", lang), st.wrap)
    row += 1
    for method in ("ratio", "compliant", "share", "count", "sum", "mean"):
        label = (
            t(f"method.{method}", lang) if method != "compliant" else t("col.share_compliant", lang)
        )
        ws.write_string(row, 0, label, st.bold)
        ws.write_string(row, 1, t(f"method.explain.{method}", lang), st.wrap)
        row += 1
    ws.write_string(row, 1, t("about.shortfall_note", lang), st.wrap)
    ws.set_row(row, 30)
    row += 2
    ws.write_string(row, 0, t("about.statuses", lang), st.section)
    ws.write_blank(row, 1, None, st.section)
    row += 1
    for status in ("met", "not_met", "not_computable", "no_target"):
        ws.write_string(row, 0, status_label(status, lang), st.status(status))
        ws.write_string(row, 1, t(f"about.status.{status}", lang), st.wrap)
        row += 1
    row += 1
    ws.write_string(row, 0, t("about.limits", lang), st.section)
    ws.write_blank(row, 1, None, st.section)
    row += 1
    for text in limits or [t("about.none", lang)]:
        ws.write_string(row, 1, text, st.wrap)
        row += 1
    setup_print(ws, header_rows=(0, 0), title=plan.title, landscape=False)

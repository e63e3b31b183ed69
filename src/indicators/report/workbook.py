"""The gap workbook (.xlsx): what a planner hands to the district head.

Sheets: Summary, Communities, Streets, Districts, Shortfalls, Data issues, Not assessed,
About (names in the report language). Written with xlsxwriter in constant_memory mode (rows
are streamed to disk, so a national census keeps memory bounded), with strings never turned
into formulas or links, into a temporary file that replaces the target only when complete.
"""

from __future__ import annotations

from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

import indicators
from indicators.engine.results import NOT_COMPUTABLE, Results
from indicators.files import atomic_path, readable
from indicators.model.i18n import t
from indicators.model.issues import Severity
from indicators.read.combine import part_lines
from indicators.report.sheetxml import Bodies
from indicators.report.shortfalls import shortfall_table
from indicators.report.summary import status_counts, summary_rows
from indicators.report.text import local_time, status_label
from indicators.report.wording import Wording
from indicators.report.workbook_scorecard import write_scorecard
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

    return local_time(generated_at(results))


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
    wording = Wording.of(results, lang)
    wb.set_properties(
        {
            "title": t("report.title", lang, plan=results.plan.title),
            "subject": results.plan.id,
            "author": f"indicators {indicators.__version__}",
            "comments": readable(results.census.source.path.name),
        }
    )
    write_summary(wb, st, results, wording)
    write_scorecard(wb, st, results, wording)
    limit = EXCEL_MAX_ROWS - 2
    n = len(results.census.frame)
    national = n > national_from
    shown = write_communities(wb, st, results, wording, limit, bodies, compact=national)
    write_groups(wb, st, results, "street", wording, bodies)
    write_groups(wb, st, results, "district", wording, bodies)
    table = shortfall_table(
        results, wording, per_indicator=SHORTFALLS_PER_INDICATOR if national else None
    )
    total = table.total
    table = table.head(EXCEL_MAX_ROWS - 3)
    write_shortfalls(wb, st, results, table, wording, bodies)
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
    ("level", 6),
    ("scope", 8),
    ("target", 14),
    ("actual", 12),
    ("gap", 8),
    ("status", 8),
    ("baseline", 10),
    ("completion", 8),
    ("time_progress", 8),
    ("where", 30),
    ("what_it_takes", 30),
    ("city", 12),
    ("failing", 12),
    ("binding", 7),
    ("citation", 30),
    ("name_other", 26),  # the other language's name last: it would triple row heights
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
    "where": "col.where",
    "baseline": "col.baseline",
    "completion": "col.completion",
    "time_progress": "col.time_progress",
    "city": "col.city_figure",
    "what_it_takes": "col.what_it_takes",
    "binding": "col.binding",
    "citation": "col.citation",
}
WRAPPED = ("name", "what_it_takes", "where", "citation", "failing", "target")
# Row heights follow what a leader reads; a long citation is cut on screen (whole in the cell)
SIZED = ("name", "what_it_takes", "where", "failing", "target")


def _summary_values(r) -> dict:
    what = r.what_it_takes
    if r.status == NOT_COMPUTABLE and r.result.headline.reason:
        what = r.reason
    return {
        "no": r.no,
        "name": r.name,
        "name_other": r.name_other,
        "level": r.level,
        "scope": r.scope,
        "target": r.target,
        "actual": r.actual_text if r.result.headline.per_unit else r.actual,
        "gap": r.gap if r.gap is not None else r.gap_text,
        "where": r.where,
        "city": r.city,
        "baseline": r.baseline,
        "completion": r.completion,
        "time_progress": r.time_progress,
        "status": r.status_text,
        "failing": r.failing,
        "what_it_takes": what,
        "binding": r.binding,
        "citation": r.citation,
    }


def block_link(results: Results, j: int, lang: str) -> str:
    """internal: link to indicator j's column block on the Streets (street targets) or
    Districts sheet; write_groups puts block j at key columns + 5 * j."""
    level = "street" if results.indicators[j].indicator.level == "street" else "district"
    sheet = t("sheet.streets" if level == "street" else "sheet.districts", lang)
    keys = 2 if level == "street" else 1
    cell = xl_rowcol_to_cell(0, keys + 5 * j)
    return f"internal:'{sheet}'!{cell}"


def ind_per_unit(r) -> bool:
    return r.result.headline.per_unit


def write_summary(wb, st: Styles, results: Results, wording: Wording) -> None:
    lang = wording.lang
    ws = wb.add_worksheet(t("sheet.summary", lang))
    plan, source = results.plan, results.census.source
    rows = summary_rows(results, wording)
    values = [_summary_values(r) for r in rows]
    labels = [t(SUMMARY_LABELS[k], lang) for k, _ in SUMMARY_COLUMNS]
    widths = {}
    for c, (key, w) in enumerate(SUMMARY_COLUMNS):
        if key in ("level", "scope", "status", "binding"):
            w = fit_width([v[key] for v in values] + [labels[c]], w, 14)
        elif key == "gap":  # the unit is part of the number format: make room for it
            w = fit_width([r.gap_text for r in rows] + [labels[c]], w, 20)
        elif key == "actual":  # the unit is part of the number format: make room for it
            shown = [
                v["actual"] if isinstance(v["actual"], str) else f"{v['actual'] or 0:,.1f} {r.unit}"
                for v, r in zip(values, rows, strict=True)
            ]
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
        ws.set_row(i, row_height([(v[k], widths[k]) for k in SIZED]))
        for c, (key, _) in enumerate(SUMMARY_COLUMNS):
            x = v[key]
            if key == "status":
                ws.write_string(i, c, x, st.status(r.status))
            elif key == "actual":
                put(ws, i, c, x, st.number_unit(kind, r.unit, bold=True))
            elif key in ("completion", "time_progress"):
                put(ws, i, c, x, st.number("pct"))
            elif key == "city":
                put(ws, i, c, x, st.number_unit(kind, r.unit))
            elif key == "gap":
                # a number, with its unit in the number format (个社区, 个百分点, 平方米/百户)
                put(ws, i, c, x, st.gap_unit("int" if ind_per_unit(r) else kind, r.gap_unit))
            elif key == "no":
                put(ws, i, c, x, st.number("int"))
            elif key == "name":
                # the name opens the indicator's block on the street or district sheet
                ws.write_url(i, c, block_link(results, r.no - 1, lang), st.link, string=x)
            else:
                put(ws, i, c, x, st.wrap if key in WRAPPED else st.text)
    end = head + len(rows)
    ws.freeze_panes(head + 1, 2)
    ws.autofilter(head, 0, max(end, head + 1), last)
    setup_print(ws, header_rows=(head, head), title=plan.title)
    # print what a leader reads (through the city figure); citations stay on screen
    ws.print_area(0, 0, max(end, head + 1), [k for k, _ in SUMMARY_COLUMNS].index("city"))
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
    for no, text in enumerate(part_lines(results.census, lang), start=1):
        ws.write_string(row, 0, t("about.file", lang, no=no), st.bold)
        ws.write_string(row, 1, text, st.wrap)
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

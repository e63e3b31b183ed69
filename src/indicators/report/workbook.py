"""The gap workbook (.xlsx): what a planner hands to the district head.

Sheets: Summary, Communities, Streets, Districts, Shortfalls, Data issues, Not assessed,
About (names in the report language). Written with xlsxwriter in constant_memory mode (rows
are streamed to disk, so a national census keeps memory bounded), with strings never turned
into formulas or links, into a temporary file that replaces the target only when complete.
"""

from __future__ import annotations

from datetime import timezone
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

import indicators
from indicators.engine.results import NOT_COMPUTABLE, Results
from indicators.files import atomic_path, readable
from indicators.model.i18n import t
from indicators.report.sheetxml import Bodies
from indicators.report.shortfalls import shortfall_table
from indicators.report.summary import status_counts, summary_rows
from indicators.report.wording import Wording
from indicators.report.workbook_notes import (
    timestamp,
    write_about,
    write_data_issues,
    write_not_assessed,
)
from indicators.report.workbook_scorecard import write_scorecard
from indicators.report.workbook_sheets import (
    EXCEL_MAX_ROWS,
    SHORTFALLS_PER_INDICATOR,
    put,
    write_communities,
    write_groups,
)
from indicators.report.workbook_shortfalls import write_shortfalls
from indicators.report.workbook_styles import Styles, fit_width, row_height, setup_print, value_kind

STREAMING_NOTE_FROM = 100_000  # communities above which the About sheet notes the streaming
# National size: above this many communities the Communities sheet has one value and one
# status column per indicator (target in the header; no target and gap columns) and the
# Shortfalls sheet keeps the SHORTFALLS_PER_INDICATOR largest rows per indicator and level.
# Both are said in About; --format csv/json carry every row. `write_workbook(national_from=)`
# changes it.
NATIONAL_SIZE = 100_000


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
            "created": results.generated_at.astimezone(timezone.utc),  # not its own now()
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

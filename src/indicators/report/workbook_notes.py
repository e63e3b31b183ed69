"""The gap workbook's closing sheets, which say what the figures rest on: Data issues (every
finding on the census, errors first), Not assessed (targets a census cannot check) and About
(plan, input file, methods, statuses and the limits of this workbook).
"""

from __future__ import annotations

import indicators
from indicators.engine.methods import METHODS
from indicators.engine.results import Results
from indicators.files import readable
from indicators.model.i18n import t
from indicators.model.issues import Severity
from indicators.read.combine import part_lines
from indicators.report.text import local_time, status_label
from indicators.report.workbook_sheets import EXCEL_MAX_ROWS, put
from indicators.report.workbook_styles import Styles, fit_width, setup_print

LANG_NAMES = {"zh": "中文 (zh)", "en": "English (en)"}


def timestamp(results: Results) -> str:
    from indicators.report.json_report import generated_at

    return local_time(generated_at(results))


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
    ("level", "col.level", 8),
    ("target", "col.target_printed", 40),
    ("binding", "col.binding", 8),
    ("section", "col.citation", 40),
    ("quote", "col.quote", 50),
    ("note", "col.note", 40),
    # the other language's name last, as on the Summary: beside the name it would put
    # English in the third column of a Chinese report (and triple row heights)
    ("name_other", "col.indicator_other", 30),
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
            t(f"level.{ind.level}", lang),
            ind.target_text or ind.target_text_for(results.year),
            t(f"binding.{str(ind.binding).lower()}", lang),
            ind.cite.section,
            ind.cite.quote,
            ind.note or "",
            ind.name(other),
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
    explained = [(m.label_key, m.explain_key) for m in METHODS.values()]
    # the share of compliant communities, shown beside every ratio, is explained after it
    explained.insert(1, ("col.share_compliant", "method.explain.compliant"))
    for label_key, explain_key in explained:
        ws.write_string(row, 0, t(label_key, lang), st.bold)
        ws.write_string(row, 1, t(explain_key, lang), st.wrap)
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

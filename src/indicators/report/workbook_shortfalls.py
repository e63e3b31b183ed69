"""The Shortfalls sheet of the gap workbook: every unmet target from the city down to the
communities, ranked by size within indicator and level (rows from `shortfall_table`).
"""

from __future__ import annotations

import numpy as np

from indicators.engine.results import Results
from indicators.model.i18n import t
from indicators.report.columns import coded
from indicators.report.sheetxml import Bodies, Body, Column
from indicators.report.shortfalls import ShortfallTable
from indicators.report.wording import Wording, is_yes_no
from indicators.report.workbook_sheets import put, take
from indicators.report.workbook_styles import Styles, fit_width, setup_print, value_kind

SHORTFALL_SHEET_COLUMNS = (
    ("indicator", 30),
    ("level", 8),
    ("district", 12),
    ("street", 14),
    ("community", 16),
    ("actual", 10),
    ("target", 12),
    ("gap", 10),
    ("status", 10),
    ("rank", 6),
    ("shortfall", 11),
    ("unit", 9),
    ("what_it_takes", 40),
    ("shortfall_all", 14),
    ("shortfall_all_unit", 9),
)


def write_shortfalls(
    wb, st: Styles, results: Results, table: ShortfallTable, wording: Wording, bodies: Bodies
) -> None:
    lang = wording.lang
    ws = wb.add_worksheet(t("sheet.shortfalls", lang))
    cols = SHORTFALL_SHEET_COLUMNS
    labels = {
        "indicator": t("col.indicator", lang),
        "level": t("col.level", lang),
        "district": t("col.district", lang),
        "street": t("col.street", lang),
        "community": t("col.community", lang),
        "actual": t("col.value", lang),
        "target": t("col.target", lang),
        "gap": t("col.gap", lang),
        "status": t("col.status", lang),
        "rank": t("col.rank", lang),
        "shortfall": t("col.shortfall", lang),
        "unit": t("col.unit", lang),
        "what_it_takes": t("col.what_it_takes", lang),
        "shortfall_all": t("col.shortfall_all", lang),
        "shortfall_all_unit": t("col.unit_sum", lang),
    }
    data = table.cols
    n = len(table)
    for c, (key, w) in enumerate(cols):
        if key in ("indicator", "district", "street", "community", "what_it_takes", "target"):
            w = fit_width(
                [*data[key][:5000].tolist(), labels[key]],
                8,
                48 if key == "what_it_takes" else 32,
            )
        ws.set_column(c, c, w, st.wrap if key in ("indicator", "what_it_takes") else None)
    top = 0
    if table.capped:
        ws.write_string(
            0,
            0,
            t(
                "notes.shortfalls_capped",
                lang,
                cap=f"{table.cap:,}",
                shown=f"{n:,}",
                total=f"{table.total:,}",
            ),
            st.note,
        )
        top = 1
    elif n < table.total:
        ws.write_string(
            0, 0, t("notes.shortfalls_truncated", lang, shown=n, total=table.total), st.note
        )
        top = 1
    if not n:
        ws.write_string(top, 0, t("shortfalls.none", lang), st.text)
        return
    ws.set_row(top, 32)
    for c, (key, _) in enumerate(cols):
        put(ws, top, c, labels[key], st.header)

    # Formats by indicator (and, for a few columns, by whether the row is a community).
    res = table.results
    ind_of = data["result"].astype(np.intp)
    community_named = data["community"] != ""
    kinds = [value_kind(r.indicator) for r in res]

    def per_indicator(fn) -> np.ndarray:
        return np.array([fn(j, r) for j, r in enumerate(res)] + [None], dtype=object)

    f_actual = per_indicator(lambda j, r: st.number(kinds[j]))
    f_yesno = per_indicator(lambda j, r: st.number("yesno" if is_yes_no(r) else kinds[j]))
    f_gap = per_indicator(lambda j, r: st.gap(kinds[j]))
    int_always = per_indicator(lambda j, r: r.community_shortfall_whole)
    counting = per_indicator(lambda j, r: r.method.counts_communities)
    f_all = per_indicator(lambda j, r: st.number("int" if r.lever_whole else "dec"))
    status_codes, pairs = coded(
        [data["status"], data["status_text"]], lambda s, text: (text, st.status(s))
    )
    s_texts = [p[0] for p in pairs]
    s_fmts = [p[1] for p in pairs]
    formats = [st.text, st.wrap, st.number("int"), st.number("dec"), *s_fmts]
    formats += [*f_actual[:-1], *f_yesno[:-1], *f_gap[:-1], *f_all[:-1]]
    wrapped = ("indicator", "what_it_takes")

    def chunk(a: int, b: int) -> list[Column]:
        ind = ind_of[a:b]
        named = community_named[a:b]
        unit_set = data["unit"][a:b] != ""
        short_int = (unit_set & counting[ind].astype(bool) & ~named) | int_always[ind].astype(bool)
        out = []
        for c, (key, _) in enumerate(cols):
            v = data[key][a:b]
            if key == "status":
                codes = status_codes[a:b]
                out.append(Column(c, "str", take(s_texts, codes), take(s_fmts, codes)))
            elif key == "actual":
                out.append(Column(c, "num", v, np.where(named, f_yesno[ind], f_actual[ind])))
            elif key == "gap":
                out.append(Column(c, "num", v, f_gap[ind]))
            elif key == "shortfall":
                fmt = np.where(short_int, st.number("int"), st.number("dec")).astype(object)
                out.append(Column(c, "num", v, fmt))
            elif key == "shortfall_all":
                out.append(Column(c, "num", v, f_all[ind]))
            elif key == "rank":
                out.append(Column(c, "num", v, st.number("int")))
            else:
                out.append(Column(c, "str", v, st.wrap if key in wrapped else st.text))
        return out

    bodies.add(Body(ws, top + 1, n, len(cols) - 1, chunk, formats))
    ws.freeze_panes(top + 1, 1)
    ws.autofilter(top, 0, top + n, len(cols) - 1)
    setup_print(ws, header_rows=(top, top), title=results.plan.title)

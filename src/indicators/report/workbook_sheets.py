"""The data sheets of the gap workbook: Communities, Streets, Districts, Shortfalls.

Rows are written strictly in order (xlsxwriter's constant_memory mode flushes each finished
row), every text that came from the census is written with write_string, and missing
numbers are left blank (the status cell says why).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from indicators.engine.results import NOT_COMPUTABLE, IndicatorResult, Results
from indicators.i18n import t
from indicators.report.gaps import (
    community_shortfall_unit,
    group_shortfall_unit,
    is_yes_no,
    lever_is_integer,
    reason_text,
    target_text,
    text_or_empty,
    unit_label,
)
from indicators.report.text import status_label
from indicators.report.workbook_styles import Styles, fit_width, setup_print, value_kind

EXCEL_MAX_ROWS = 1_048_576


def put(ws, row: int, col: int, value, fmt=None) -> None:
    """Write one cell: text always as text, numbers as numbers, missing as blank."""
    if value is None or value is pd.NA:
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        ws.write_string(row, col, value, fmt)
    elif isinstance(value, (bool, np.bool_)):
        ws.write_string(row, col, str(value), fmt)
    else:
        x = float(value)
        if math.isfinite(x):
            ws.write_number(row, col, x, fmt)
        else:
            ws.write_blank(row, col, None, fmt)


def status_text(status: str, reason: str, lang: str) -> str:
    label = status_label(status, lang)
    if status == NOT_COMPUTABLE and reason:
        sep = "：" if lang == "zh" else ": "
        return f"{label}{sep}{reason}"
    return label


def _header_name(r: IndicatorResult, lang: str) -> str:
    unit = unit_label(r.indicator.unit, lang)
    name = r.indicator.name(lang)
    return f"{name}（{unit}）" if unit and lang == "zh" else (f"{name} ({unit})" if unit else name)


def _group_headers(
    ws, st: Styles, key_labels: list[str], results: Results, sub: list[str], lang: str
) -> None:
    """Row 0: the indicator over its column group; row 1: key and sub-column headers."""
    width = len(sub)
    ws.set_row(0, 48)
    ws.set_row(1, 32)
    for c in range(len(key_labels)):
        put(ws, 0, c, "", st.group)
    col = len(key_labels)
    for r in results.indicators:
        ws.merge_range(0, col, 0, col + width - 1, _header_name(r, lang), st.group)
        col += width
    for c, label in enumerate(key_labels):
        put(ws, 1, c, label, st.header)
    col = len(key_labels)
    for r in results.indicators:
        for s in sub:
            put(ws, 1, col, s.format(method=t(f"method.{r.method}", lang)), st.header)
            col += 1


def write_communities(wb, st: Styles, results: Results, lang: str, limit: int) -> int:
    """One row per community; per indicator: value, target, gap, status. Returns rows written."""
    ws = wb.add_worksheet(t("sheet.communities", lang))
    frame = results.census.frame
    keys = ["district", "street", "community"]
    has_type = "community_type" in frame
    key_labels = [t(f"col.{k}", lang) for k in keys] + (
        [t("col.community_type", lang)] if has_type else []
    )
    sub = [t("col.value", lang), t("col.target", lang), t("col.gap", lang), t("col.status", lang)]
    n = min(len(frame), limit)
    key_text = [frame[k].astype("string").fillna("").to_numpy(dtype=object)[:n] for k in keys]
    if has_type:
        types = frame["community_type"].astype("string").fillna("").to_numpy(dtype=object)[:n]
        key_text.append(
            np.array([t(f"community_type.{x}", lang) if x else "" for x in types], dtype=object)
        )
    else:
        types = None

    widths = [
        fit_width([*list(col[:5000]), label], 8, 30)
        for col, label in zip(key_text, key_labels, strict=False)
    ]
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    col = len(key_labels)
    per_ind = []
    for r in results.indicators:
        ind = r.indicator
        kind = "yesno" if is_yes_no(r) else ("int" if ind.checklist else value_kind(ind))
        c = r.communities
        tgt_all = target_text(ind, results.year, lang)
        per_ind.append(
            (
                r,
                st.number(kind),
                st.gap(value_kind(ind)),
                c["in_scope"].to_numpy()[:n],
                c["value"].to_numpy(dtype="float64")[:n],
                c["gap"].to_numpy(dtype="float64")[:n],
                c["status"].to_numpy(dtype=object)[:n],
                c["reason"].to_numpy(dtype=object)[:n],
                tgt_all,
            )
        )
        ws.set_column(col, col + 1, 10)
        ws.set_column(col + 1, col + 1, fit_width([tgt_all], 8, 18))
        ws.set_column(col + 2, col + 2, 9)
        ws.set_column(col + 3, col + 3, 14 if lang == "zh" else 16)
        col += 4
    _group_headers(ws, st, key_labels, results, sub, lang)
    out_of_scope = t("cell.out_of_scope", lang)
    reason_cache: dict[tuple[int, str], str] = {}
    for i in range(n):
        row = i + 2
        for c, values in enumerate(key_text):
            ws.write_string(row, c, values[i], st.text)
        col = len(key_text)
        for j, (r, vfmt, gfmt, scope, value, gap, status, reason, tgt_all) in enumerate(per_ind):
            if not scope[i]:
                ws.write_string(row, col + 3, out_of_scope, st.muted)
                col += 4
                continue
            put(ws, row, col, value[i], vfmt)
            tgt = tgt_all
            if r.indicator.targets_by_type and types is not None:
                tgt = target_text(r.indicator, results.year, lang, types[i] or None)
            ws.write_string(row, col + 1, tgt, st.text)
            put(ws, row, col + 2, gap[i], gfmt)
            why = ""
            if status[i] == NOT_COMPUTABLE and reason[i]:
                key = (j, reason[i])
                if key not in reason_cache:
                    reason_cache[key] = reason_text(reason[i], lang, r)
                why = reason_cache[key]
            ws.write_string(row, col + 3, status_text(status[i], why, lang), st.status(status[i]))
            col += 4
    last_col = len(key_labels) + 4 * len(results.indicators) - 1
    ws.freeze_panes(2, 3)
    ws.autofilter(1, 0, max(1, n + 1), max(last_col, len(key_labels) - 1))
    setup_print(ws, header_rows=(0, 1), title=results.plan.title)
    return n


def write_groups(wb, st: Styles, results: Results, level: str, lang: str) -> None:
    """Streets or Districts: per indicator, the group's own figure (method named in the
    header), target, status, share compliant, and the shortfall in natural units."""
    sheet = "sheet.streets" if level == "street" else "sheet.districts"
    ws = wb.add_worksheet(t(sheet, lang))
    keys = ["district", "street"] if level == "street" else ["district"]
    key_labels = [t(f"col.{k}", lang) for k in keys]
    sub = [
        t("col.value_method", lang),
        t("col.target", lang),
        t("col.status", lang),
        t("col.share_compliant", lang),
        t("col.shortfall", lang),
    ]
    base = results.indicators[0].groups[level] if results.indicators else pd.DataFrame(columns=keys)
    key_text = [base[k].astype("string").fillna("").to_numpy(dtype=object) for k in keys]
    city_row = level == "district"
    for c, (col, label) in enumerate(zip(key_text, key_labels, strict=False)):
        ws.set_column(c, c, fit_width([*col, label, t("level.city", lang)], 10, 30))
    col = len(keys)
    per_ind = []
    for r in results.indicators:
        g = r.groups[level]
        frames = [g, r.groups["city"]] if city_row else [g]
        kind = value_kind(r.indicator)
        short_fmt = st.number(
            "int" if r.method in ("share", "count") or lever_is_integer(r) else "dec"
        )
        per_ind.append((r, frames, kind, short_fmt, target_text(r.indicator, results.year, lang)))
        ws.set_column(col, col, 12)
        ws.set_column(col + 1, col + 1, 10)
        ws.set_column(col + 2, col + 2, 14 if lang == "zh" else 16)
        ws.set_column(col + 3, col + 4, 11)
        col += 5
    sub_with_units = list(sub)
    _group_headers(ws, st, key_labels, results, sub_with_units, lang)
    # The shortfall header names its unit per indicator (communities, m², people...).
    col = len(keys)
    for r in results.indicators:
        unit = group_shortfall_unit(r, lang)
        label = t("col.shortfall_unit", lang, unit=unit) if unit else t("col.shortfall", lang)
        put(ws, 1, col + 4, label, st.header)
        col += 5
    n = len(base)
    rows = n + (1 if city_row else 0)
    for i in range(rows):
        row = i + 2
        is_city = city_row and i == n
        for c in range(len(keys)):
            text = (
                t("level.city", lang) if is_city and c == 0 else ("" if is_city else key_text[c][i])
            )
            ws.write_string(row, c, text, st.bold if is_city else st.text)
        col = len(keys)
        for r, frames, kind, short_fmt, tgt in per_ind:
            g = frames[1] if is_city else frames[0]
            k = 0 if is_city else i
            status = g["status"].iat[k]
            put(ws, row, col, g["value"].iat[k], st.number(kind, bold=is_city))
            ws.write_string(row, col + 1, tgt, st.text)
            why = reason_text(g["reason"].iat[k], lang, r) if status == NOT_COMPUTABLE else ""
            ws.write_string(row, col + 2, status_text(status, why, lang), st.status(status))
            put(ws, row, col + 3, g["share_compliant"].iat[k], st.number("pct"))
            put(ws, row, col + 4, g["shortfall"].iat[k], short_fmt)
            col += 5
    last_col = len(keys) + 5 * len(results.indicators) - 1
    ws.freeze_panes(2, len(keys))
    ws.autofilter(1, 0, max(1, n + 1), max(last_col, len(keys) - 1))
    setup_print(ws, header_rows=(0, 1), title=results.plan.title)


def write_shortfalls(
    wb, st: Styles, results: Results, rows: list[dict], total: int, lang: str
) -> None:
    ws = wb.add_worksheet(t("sheet.shortfalls", lang))
    cols = [
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
    ]
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
    sample = rows[:5000]
    for c, (key, w) in enumerate(cols):
        if key in ("indicator", "district", "street", "community", "what_it_takes", "target"):
            w = fit_width(
                [x[key] for x in sample] + [labels[key]], 8, 48 if key == "what_it_takes" else 32
            )
        ws.set_column(c, c, w, st.wrap if key in ("indicator", "what_it_takes") else None)
    top = 0
    if len(rows) < total:
        ws.write_string(
            0, 0, t("notes.shortfalls_truncated", lang, shown=len(rows), total=total), st.note
        )
        top = 1
    if not rows:
        ws.write_string(top, 0, t("shortfalls.none", lang), st.text)
        return
    ws.set_row(top, 32)
    for c, (key, _) in enumerate(cols):
        put(ws, top, c, labels[key], st.header)
    for i, x in enumerate(rows, start=top + 1):
        r = x["result"]
        kind = value_kind(r.indicator)
        short_kind = (
            "int"
            if (x["unit"] and r.method in ("share", "count") and x["community"] == "")
            or lever_is_integer(r)
            or r.indicator.checklist
            else "dec"
        )
        for c, (key, _) in enumerate(cols):
            v = x[key]
            if key == "status":
                ws.write_string(i, c, status_text(v, "", lang), st.status(v))
            elif key in ("actual",):
                put(ws, i, c, v, st.number("yesno" if is_yes_no(r) and x["community"] else kind))
            elif key == "gap":
                put(ws, i, c, v, st.gap(kind))
            elif key in ("shortfall",):
                put(ws, i, c, v, st.number(short_kind))
            elif key == "shortfall_all":
                put(ws, i, c, v, st.number("int" if lever_is_integer(r) else "dec"))
            elif key == "rank":
                put(ws, i, c, v, st.number("int"))
            else:
                put(
                    ws,
                    i,
                    c,
                    text_or_empty(v),
                    st.wrap if key in ("indicator", "what_it_takes") else st.text,
                )
    ws.freeze_panes(top + 1, 1)
    ws.autofilter(top, 0, top + len(rows), len(cols) - 1)
    setup_print(ws, header_rows=(top, top), title=results.plan.title)


__all__ = [
    "EXCEL_MAX_ROWS",
    "community_shortfall_unit",
    "put",
    "write_communities",
    "write_groups",
    "write_shortfalls",
]

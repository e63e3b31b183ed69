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
from indicators.model.errors import OutputError
from indicators.model.i18n import t
from indicators.report.columns import coded, const
from indicators.report.sheetxml import Bodies, Body, Column
from indicators.report.text import status_label, unit_label
from indicators.report.wording import Wording, is_yes_no
from indicators.report.workbook_styles import Styles, fit_width, setup_print, value_kind

EXCEL_MAX_ROWS = 1_048_576
# At national size (more communities than NATIONAL_SIZE) the Shortfalls sheet keeps the
# SHORTFALLS_PER_INDICATOR largest shortfalls of each indicator at each level (community,
# street, district); CSV and JSON reports list them all.
SHORTFALLS_PER_INDICATOR = 10_000


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
    ws,
    st: Styles,
    key_labels: list[str],
    results: Results,
    sub: list[str],
    wording: Wording,
    names: list[str] | None = None,
    level: str = "community",
) -> None:
    """Row 0: the indicator over its column group; row 1: key and sub-column headers (a
    `{method}` in one names what the `level` rows' figures are)."""
    lang = wording.lang
    width = len(sub)
    ws.set_row(0, 48)
    ws.set_row(1, 32)
    for c in range(len(key_labels)):
        put(ws, 0, c, "", st.group)
    col = len(key_labels)
    for i, r in enumerate(results.indicators):
        name = names[i] if names else _header_name(r, lang)
        if width > 1:
            ws.merge_range(0, col, 0, col + width - 1, name, st.group)
        else:
            ws.write_string(0, col, name, st.group)
        col += width
    for c, label in enumerate(key_labels):
        put(ws, 1, c, label, st.header)
    col = len(key_labels)
    for r in results.indicators:
        for s in sub:
            put(ws, 1, col, s.format(method=wording.method(r, level)), st.header)
            col += 1


def _status_cells(r: IndicatorResult, st: Styles, status, reason, wording: Wording):
    """(codes, texts, formats) of the status column: each distinct (status, reason) once."""
    cache: dict = {}

    def one(s, why):
        text = ""
        if s == NOT_COMPUTABLE and isinstance(why, str) and why:
            text = cache.setdefault(why, wording.reason(why))
        return status_text(s, text, wording.lang), st.status(s)

    reason = pd.Series(reason, dtype=object).fillna("").to_numpy(dtype=object)
    codes, pairs = coded([status, reason], one)
    return codes, [p[0] for p in pairs], [p[1] for p in pairs]


def take(values: list, codes: np.ndarray) -> np.ndarray:
    out = np.empty(len(values) + 1, dtype=object)
    out[: len(values)] = values
    out[-1] = None
    return out[codes]


EXCEL_COLUMNS = 16_384  # XFD, the last column Excel and WPS open


def write_communities(
    wb,
    st: Styles,
    results: Results,
    wording: Wording,
    limit: int,
    bodies: Bodies,
    compact: bool = False,
) -> int:
    """One row per community; per indicator: value, target, gap, status (compact: value and
    status, the target in the indicator's header). Returns rows written."""
    lang = wording.lang
    ws = wb.add_worksheet(t("sheet.communities", lang))
    frame = results.census.frame
    keys = ["district", "street", "community"]
    has_type = "community_type" in frame
    key_labels = [t(f"col.{k}", lang) for k in keys] + (
        [t("col.community_type", lang)] if has_type else []
    )
    if compact:
        sub = [t("col.value", lang), t("col.status", lang)]
    else:
        sub = [
            t("col.value", lang),
            t("col.target", lang),
            t("col.gap", lang),
            t("col.status", lang),
        ]
    width = len(sub)
    needed = len(key_labels) + width * len(results.indicators)
    if needed > EXCEL_COLUMNS:  # xlsxwriter drops such cells without a word (exit 0 before)
        raise OutputError(t("output.too_many_columns", lang, columns=needed))
    n = min(len(frame), limit)
    keys_text = [results.keys[k][:n] for k in keys]
    types = None
    if has_type:
        types = frame["community_type"].astype("string").fillna("").to_numpy(dtype=object)[:n]
        codes, labels = coded([types], lambda x: t(f"community_type.{x}", lang) if x else "")
        keys_text.append(take(labels, codes))

    widths = [
        fit_width([*list(col[:5000]), label], 8, 30)
        for col, label in zip(keys_text, key_labels, strict=False)
    ]
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    col = len(key_labels)
    per_ind = []
    formats = [st.text, st.muted]
    for r in results.indicators:
        ind = r.indicator
        kind = "yesno" if is_yes_no(r) else ("int" if ind.checklist else value_kind(ind))
        c = r.communities
        tgt_all = wording.target(ind, results.year)
        status = c["status"].to_numpy(dtype=object)[:n]
        s_codes, s_texts, s_fmts = _status_cells(
            r, st, status, c["reason"].to_numpy(dtype=object)[:n], wording
        )
        if ind.targets_by_type and types is not None:
            t_codes, t_texts = coded(
                [types], lambda x, ind=ind: wording.target(ind, results.year, x or None)
            )
        else:
            t_codes, t_texts = np.zeros(n, dtype=np.intp), [tgt_all]
        vfmt, gfmt = st.number(kind), st.gap(value_kind(ind))
        formats += [vfmt, gfmt, *s_fmts]
        per_ind.append(
            {
                "vfmt": vfmt,
                "gfmt": gfmt,
                "scope": c["in_scope"].to_numpy(dtype=bool)[:n],
                "value": c["value"].to_numpy(dtype="float64")[:n],
                "gap": c["gap"].to_numpy(dtype="float64")[:n],
                "s_codes": s_codes,
                "s_texts": s_texts,
                "s_fmts": s_fmts,
                "t_codes": t_codes,
                "t_texts": t_texts,
            }
        )
        if compact:
            ws.set_column(col, col, 10)
            ws.set_column(col + 1, col + 1, 14 if lang == "zh" else 16)
        else:
            ws.set_column(col, col + 1, 10)
            ws.set_column(col + 1, col + 1, fit_width([tgt_all], 8, 18))
            ws.set_column(col + 2, col + 2, 9)
            ws.set_column(col + 3, col + 3, 14 if lang == "zh" else 16)
        col += width
    heads = None
    if compact:
        sep = "：" if lang == "zh" else ": "
        heads = [
            f"{_header_name(r, lang)}\n{t('col.target', lang)}{sep}"
            f"{wording.target(r.indicator, results.year) or '—'}"
            for r in results.indicators
        ]
    _group_headers(ws, st, key_labels, results, sub, wording, names=heads)
    out_of_scope = t("cell.out_of_scope", lang)
    n_keys = len(keys_text)

    def chunk(a: int, b: int) -> list[Column]:
        cols = [Column(i, "str", k[a:b], st.text) for i, k in enumerate(keys_text)]
        col = n_keys
        for d in per_ind:
            scope = d["scope"][a:b]
            texts = take(d["s_texts"], d["s_codes"][a:b])
            fmts = take(d["s_fmts"], d["s_codes"][a:b])
            texts[~scope] = out_of_scope
            fmts[~scope] = st.muted
            cols.append(Column(col, "num", d["value"][a:b], d["vfmt"], present=scope))
            if compact:
                cols.append(Column(col + 1, "str", texts, fmts))
            else:
                tgt = take(d["t_texts"], d["t_codes"][a:b])
                tgt[~scope] = None
                cols.append(Column(col + 1, "str", tgt, st.text))
                cols.append(Column(col + 2, "num", d["gap"][a:b], d["gfmt"], present=scope))
                cols.append(Column(col + 3, "str", texts, fmts))
            col += width
        return cols

    last_col = len(key_labels) + width * len(results.indicators) - 1
    bodies.add(Body(ws, 2, n, max(last_col, len(key_labels) - 1), chunk, formats))
    ws.freeze_panes(2, 3)
    ws.autofilter(1, 0, max(1, n + 1), max(last_col, len(key_labels) - 1))
    setup_print(ws, header_rows=(0, 1), title=results.plan.title)
    return n


def write_groups(
    wb, st: Styles, results: Results, level: str, wording: Wording, bodies: Bodies
) -> None:
    """Streets or Districts: per indicator, the group's own figure (method named in the
    header), target, status, share compliant, and the shortfall in natural units."""
    lang = wording.lang
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
    key_text = [base[k].to_numpy(dtype=object) for k in keys]
    city_row = level == "district"
    for c, (col, label) in enumerate(zip(key_text, key_labels, strict=False)):
        ws.set_column(c, c, fit_width([*col, label, t("level.city", lang)], 10, 30))
    n = len(base)
    rows = n + (1 if city_row else 0)
    is_city = np.zeros(rows, dtype=bool)
    if city_row:
        is_city[-1] = True
        key_text = [
            np.append(k, t("level.city", lang) if i == 0 else "") for i, k in enumerate(key_text)
        ]
    key_fmt = np.where(is_city, st.bold, st.text).astype(object) if city_row else st.text
    formats = [st.text, st.bold, st.number("pct")]
    col = len(keys)
    cols: list[Column] = [Column(i, "str", k, key_fmt) for i, k in enumerate(key_text)]
    for r in results.indicators:
        g = r.groups[level]
        if city_row:
            g = pd.concat([g, r.groups["city"]], ignore_index=True)
        kind = value_kind(r.indicator)
        short_fmt = st.number("int" if r.group_shortfall_whole else "dec")
        vfmt = np.where(is_city, st.number(kind, bold=True), st.number(kind)).astype(object)
        codes, texts, fmts = _status_cells(
            r, st, g["status"].to_numpy(dtype=object), g["reason"].to_numpy(dtype=object), wording
        )
        formats += [short_fmt, st.number(kind, bold=True), st.number(kind), *fmts]
        tgt = wording.target(r.indicator, results.year)
        cols += [
            Column(col, "num", g["value"].to_numpy(dtype="float64"), vfmt),
            Column(col + 1, "str", const(tgt, rows), st.text),
            Column(col + 2, "str", take(texts, codes), take(fmts, codes)),
            Column(
                col + 3, "num", g["share_compliant"].to_numpy(dtype="float64"), st.number("pct")
            ),
            Column(col + 4, "num", g["shortfall"].to_numpy(dtype="float64"), short_fmt),
        ]
        ws.set_column(col, col, 12)
        ws.set_column(col + 1, col + 1, 10)
        ws.set_column(col + 2, col + 2, 14 if lang == "zh" else 16)
        ws.set_column(col + 3, col + 4, 11)
        col += 5
    _group_headers(ws, st, key_labels, results, sub, wording, level=level)
    # The shortfall header names its unit per indicator (communities, m², people...).
    col = len(keys)
    for r in results.indicators:
        unit = wording.group_shortfall_unit(r, level)
        label = t("col.shortfall_unit", lang, unit=unit) if unit else t("col.shortfall", lang)
        put(ws, 1, col + 4, label, st.header)
        col += 5

    def chunk(a: int, b: int) -> list[Column]:
        return [
            Column(
                c.col,
                c.kind,
                c.values[a:b],
                c.fmt[a:b] if isinstance(c.fmt, np.ndarray) else c.fmt,
                c.present,
            )
            for c in cols
        ]

    last_col = len(keys) + 5 * len(results.indicators) - 1
    bodies.add(Body(ws, 2, rows, max(last_col, len(keys) - 1), chunk, formats))
    ws.freeze_panes(2, len(keys))
    ws.autofilter(1, 0, max(1, n + 1), max(last_col, len(keys) - 1))
    setup_print(ws, header_rows=(0, 1), title=results.plan.title)


__all__ = [
    "EXCEL_MAX_ROWS",
    "SHORTFALLS_PER_INDICATOR",
    "put",
    "take",
    "write_communities",
    "write_groups",
]

"""The data sheets of the gap workbook: Communities, Streets, Districts, Shortfalls.

Rows are written strictly in order (xlsxwriter's constant_memory mode flushes each finished
row), every text that came from the census is written with write_string, and missing
numbers are left blank (the status cell says why).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from indicators.engine.results import IndicatorResult, Results
from indicators.model.errors import OutputError
from indicators.model.i18n import t
from indicators.report.columns import coded, const
from indicators.report.sheetxml import Bodies, Body, Column
from indicators.report.text import unit_label
from indicators.report.worded import level_rows, worded
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


def take(values: list, codes: np.ndarray) -> np.ndarray:
    out = np.empty(len(values) + 1, dtype=object)
    out[: len(values)] = values
    out[-1] = None
    return out[codes]


def _spread(values: np.ndarray, at: np.ndarray, size: int, fill: object) -> np.ndarray:
    """`size` cells holding `values` at positions `at` and `fill` elsewhere."""
    out = np.full(size, np.nan) if isinstance(fill, float) else const(fill, size)
    out[at] = values
    return out


def _status_cells(st: Styles, rows: pd.DataFrame) -> tuple[np.ndarray, list, list]:
    """(codes, texts, formats) of the status column of worded `rows`: the worded status
    (with its reason), in the fill of its status code; each distinct pair once."""
    codes, pairs = coded(
        [rows["status_full"].to_numpy(dtype=object), rows["status"].to_numpy(dtype=object)],
        lambda text, status: (text, st.status(status)),
    )
    return codes, [p[0] for p in pairs], [p[1] for p in pairs]


EXCEL_COLUMNS = 16_384  # XFD, the last column Excel and WPS open


# What the sheets read of the worded frame (report/worded.py)
COMMUNITY_COLUMNS = ("row", "value", "target", "gap", "status", "status_full")
GROUP_COLUMNS = (
    "value",
    "target",
    "status",
    "status_full",
    "share_compliant",
    "shortfall",
)


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
    status, the target in the indicator's header), as the worded frame has them for the
    communities in scope; a community out of scope says so. Returns rows written."""
    lang = wording.lang
    table = worded(results, lang)
    ws = wb.add_worksheet(t("sheet.communities", lang))
    n = min(len(results.census.frame), limit)
    keys = ["district", "street", "community"]
    keys_text = [results.keys[k][:n] for k in keys]
    types = table.community_types(n)
    key_labels = [t(f"col.{k}", lang) for k in keys]
    if types is not None:
        key_labels.append(t("col.community_type", lang))
        keys_text.append(types)
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

    widths = [
        fit_width([*list(col[:5000]), label], 8, 30)
        for col, label in zip(keys_text, key_labels, strict=False)
    ]
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    col = len(key_labels)
    per_ind = []
    formats = [st.text, st.muted]
    wanted = COMMUNITY_COLUMNS[:2] + COMMUNITY_COLUMNS[4:] if compact else COMMUNITY_COLUMNS
    for r in results.indicators:
        ind = r.indicator
        kind = "yesno" if is_yes_no(r) else ("int" if ind.checklist else value_kind(ind))
        rows = level_rows(table.frame(r, levels=("community",), columns=wanted), "community")
        at = rows["row"].to_numpy()
        m = int(np.searchsorted(at, n))  # rows in census order: those on the sheet
        rows = rows.iloc[:m]
        s_codes, s_texts, s_fmts = _status_cells(st, rows)
        vfmt, gfmt = st.number(kind), st.gap(value_kind(ind))
        formats += [vfmt, gfmt, *s_fmts]
        d = {
            "vfmt": vfmt,
            "gfmt": gfmt,
            "at": at[:m].astype(np.int32),  # at most EXCEL_MAX_ROWS
            "value": rows["value"].to_numpy(dtype="float64"),
            "s_codes": s_codes.astype(np.int32),
            "s_texts": s_texts,
            "s_fmts": s_fmts,
        }
        if not compact:
            d["gap"] = rows["gap"].to_numpy(dtype="float64")
            d["target"] = rows["target"].to_numpy(dtype=object)
        per_ind.append(d)
        if compact:
            ws.set_column(col, col, 10)
            ws.set_column(col + 1, col + 1, 14 if lang == "zh" else 16)
        else:
            ws.set_column(col, col + 1, 10)
            ws.set_column(col + 1, col + 1, fit_width([wording.target(ind, results.year)], 8, 18))
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
        size = b - a
        cols = [Column(i, "str", k[a:b], st.text) for i, k in enumerate(keys_text)]
        col = n_keys
        for d in per_ind:
            # the worded rows (communities in scope) among sheet rows a..b-1
            lo, hi = np.searchsorted(d["at"], (a, b))
            at = d["at"][lo:hi] - a
            scope = np.zeros(size, dtype=bool)
            scope[at] = True
            codes = d["s_codes"][lo:hi]
            texts = _spread(take(d["s_texts"], codes), at, size, out_of_scope)
            fmts = _spread(take(d["s_fmts"], codes), at, size, st.muted)
            value = _spread(d["value"][lo:hi], at, size, np.nan)
            cols.append(Column(col, "num", value, d["vfmt"], present=scope))
            if compact:
                cols.append(Column(col + 1, "str", texts, fmts))
            else:
                tgt = _spread(d["target"][lo:hi], at, size, None)
                gap = _spread(d["gap"][lo:hi], at, size, np.nan)
                cols.append(Column(col + 1, "str", tgt, st.text))
                cols.append(Column(col + 2, "num", gap, d["gfmt"], present=scope))
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
    """Streets or Districts (then the city): per indicator, the group's own figure (method
    named in the header), target, status, share compliant, and the shortfall in natural
    units, as the worded frame has them."""
    lang = wording.lang
    table = worded(results, lang)
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
    city_row = level == "district"
    shown = (level, "city") if city_row else (level,)

    def rows_of(r: IndicatorResult, columns: tuple[str, ...]) -> pd.DataFrame:
        frame = table.frame(r, levels=shown, columns=columns)
        return pd.concat([level_rows(frame, x) for x in shown], ignore_index=True)

    # the groups are the same for every indicator: their names are read from the first
    frames = [
        rows_of(r, (*keys, *GROUP_COLUMNS) if j == 0 else GROUP_COLUMNS)
        for j, r in enumerate(results.indicators)
    ]
    rows = len(frames[0]) if frames else (1 if city_row else 0)
    n = rows - (1 if city_row else 0)
    if frames:
        key_text = [frames[0][k].to_numpy(dtype=object)[:n] for k in keys]
    else:
        key_text = [const("", 0) for _ in keys]
    city = t("level.city", lang)
    for c, (col, label) in enumerate(zip(key_text, key_labels, strict=False)):
        ws.set_column(c, c, fit_width([*col, label, city], 10, 30))
    if city_row:
        key_text = [np.append(k, city if i == 0 else "") for i, k in enumerate(key_text)]
    is_city = np.zeros(rows, dtype=bool)
    if city_row:
        is_city[-1] = True
    key_fmt = np.where(is_city, st.bold, st.text).astype(object) if city_row else st.text
    formats = [st.text, st.bold, st.number("pct")]
    col = len(keys)
    cols: list[Column] = [Column(i, "str", k, key_fmt) for i, k in enumerate(key_text)]
    for r, g in zip(results.indicators, frames, strict=True):
        kind = value_kind(r.indicator)
        short_fmt = st.number("int" if r.group_shortfall_whole else "dec")
        vfmt = np.where(is_city, st.number(kind, bold=True), st.number(kind)).astype(object)
        codes, texts, fmts = _status_cells(st, g)
        formats += [short_fmt, st.number(kind, bold=True), st.number(kind), *fmts]
        cols += [
            Column(col, "num", g["value"].to_numpy(dtype="float64"), vfmt),
            Column(col + 1, "str", g["target"].to_numpy(dtype=object), st.text),
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

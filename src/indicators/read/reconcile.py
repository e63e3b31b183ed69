"""Check subtotal and total rows against the sum of the community rows they cover.

A subtotal covers the community rows above it back to the previous subtotal or total; a total
covers the community rows above it back to the previous total. A subtotal or total written
above its rows (first row after the header, common in statistical tables) covers the rows
below it instead, up to the next row of its kind. Booleans and years are not reconciled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from indicators.model.issues import Severity
from indicators.read.values import coerce, is_year_field, shown

if TYPE_CHECKING:
    from indicators.read.headers import Column
    from indicators.read.sheet import SheetReader

TOLERANCE = 0.5  # totals are often rounded; less than half a unit is not a mismatch
LABELS = {"subtotal": "小计", "total": "合计"}


def _scopes(kinds: pd.Series) -> list[tuple[int, str, list[int]]]:
    """(summary grid row, kind, data grid rows it covers) for every subtotal and total row."""
    if not kinds.isin(tuple(LABELS)).any():  # most sheets: no loop over every row
        return []
    rows = kinds.index.tolist()
    kind_list = kinds.tolist()
    out = []
    for i, (row, kind) in enumerate(zip(rows, kind_list, strict=True)):
        if kind not in LABELS:
            continue
        stops = ("subtotal", "total") if kind == "subtotal" else ("total",)
        above = []
        for j in range(i - 1, -1, -1):
            if kind_list[j] in stops:
                break
            if kind_list[j] == "data":
                above.append(rows[j])
        if not above:
            for j in range(i + 1, len(rows)):
                if kind_list[j] == kind:
                    break
                if kind_list[j] == "data":
                    above.append(rows[j])
        if above:
            out.append((row, kind, sorted(above)))
    return out


def reconcile(reader: SheetReader, kinds: pd.Series, fields: dict[str, Column]) -> None:
    scopes = _scopes(kinds)
    if not scopes:
        return
    grid = reader.raw.grid
    summary_rows = [s[0] for s in scopes]
    for fid, col in fields.items():
        f = reader.vocab.get(fid)
        if f is None or f.type not in ("integer", "number") or is_year_field(fid):
            continue
        data_rows = kinds.index[(kinds == "data").to_numpy()]
        values, _ = coerce(grid.loc[data_rows, col.index], f.type, col.scale, f.unit)
        by_row = pd.Series(values, index=data_rows)
        totals, _ = coerce(grid.loc[summary_rows, col.index], f.type, col.scale, f.unit)
        for (row, kind, covered), total in zip(scopes, totals, strict=True):
            if np.isnan(total):
                continue
            parts = by_row.loc[covered]
            expected = float(parts.sum(skipna=True))
            if abs(expected - total) <= TOLERANCE + 1e-9 * abs(expected):
                continue
            first, last = reader.row_number(covered[0]), reader.row_number(covered[-1])
            reader.issues.add(
                "total-mismatch",
                Severity.WARNING,
                reader.name,
                cell=reader.cell(row, col.index),
                header=col.header,
                value=shown(grid.loc[row, col.index]),
                expected=_fmt(expected / col.scale),
                kind=LABELS[kind],
                rows=f"{first}-{last}",
                missing=int(parts.isna().sum()),
            )


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}"

"""Check subtotal and total rows against the sum of the community rows they cover.

A subtotal covers the community rows above it back to the previous subtotal or total; a total
covers the community rows above it back to the previous total. A subtotal or total written
above its rows (first row after the header, common in statistical tables) covers the rows
below it instead, up to the next row of its kind. Booleans and years are not reconciled.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators.model.fields import Vocabulary
from indicators.read.columns import Column
from indicators.read.values import cell_shown, coerce, is_year_field

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


@dataclass(frozen=True)
class Mismatch:
    """A subtotal or total cell that differs from the sum of the rows it covers."""

    row: int  # grid row of the subtotal or total
    column: Column
    kind: str  # subtotal | total
    value: str  # the cell as written
    expected: str  # the sum of the covered rows, in the column's own unit
    first: int  # first and last grid rows covered
    last: int
    missing: int  # covered rows without a value


def reconcile(
    grid: pd.DataFrame,
    kinds: pd.Series,
    fields: dict[str, Column],
    values: dict[str, pd.Series],
    vocab: Vocabulary,
) -> list[Mismatch]:
    """The subtotal and total cells that do not add up. `values`: each field's community
    values as the sheet parsed them (index = grid row): read once, not parsed again here;
    only the subtotal and total cells, which are no community's values, are parsed."""
    scopes = _scopes(kinds)
    if not scopes:
        return []
    summary_rows = [s[0] for s in scopes]
    out = []
    for fid, col in fields.items():
        f = vocab.get(fid)
        if f is None or f.type not in ("integer", "number") or is_year_field(fid):
            continue
        by_row = values[fid]
        totals, _ = coerce(grid.loc[summary_rows, col.index], f.type, col.scale, f.unit)
        for (row, kind, covered), total in zip(scopes, totals, strict=True):
            if np.isnan(total):
                continue
            parts = by_row.loc[covered]
            expected = float(parts.sum(skipna=True))
            if abs(expected - total) <= TOLERANCE + 1e-9 * abs(expected):
                continue
            out.append(
                Mismatch(
                    row,
                    col,
                    LABELS[kind],
                    cell_shown(grid[col.index], row),
                    _fmt(expected / col.scale),
                    covered[0],
                    covered[-1],
                    int(parts.isna().sum()),
                )
            )
    return out


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}"

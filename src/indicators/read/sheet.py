"""One sheet with a known header -> its part of the census frame, issues and row listing."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import repeat

import numpy as np
import pandas as pd

from indicators.model.census import ColumnMatch, ExcludedRow
from indicators.model.fields import Vocabulary
from indicators.model.issues import DataIssue, Severity, column_letter
from indicators.read.columns import Column
from indicators.read.headers import Header
from indicators.read.identity import as_text, fill_down, map_categories
from indicators.read.raw import RawSheet
from indicators.read.reconcile import Mismatch, reconcile
from indicators.read.rows import classify, is_text
from indicators.read.values import Problem, cell_shown, coerce, fold, is_year_field, shown
from indicators.read.words import TICKS

IDENTITY = ("district", "street", "community")


@dataclass
class Issues:
    """Collects data issues for one file."""

    file: str
    items: list[DataIssue] = field(default_factory=list)

    def add(self, code: str, severity: Severity, sheet: str | None = None, **kw) -> None:
        known = {"cell", "header", "value", "expected"}
        fixed = {k: v for k, v in kw.items() if k in known}
        params = {k: v for k, v in kw.items() if k not in known}
        self.items.append(DataIssue(code, severity, self.file, sheet, params=params, **fixed))


@dataclass
class SheetPart:
    frame: pd.DataFrame
    origin: list[tuple[str | None, int]]
    field_columns: dict[tuple[str | None, str], str]
    columns: list[ColumnMatch]
    excluded: list[ExcludedRow]
    kinds: pd.Series  # row class per grid row below the header


class SheetReader:
    def __init__(self, raw: RawSheet, header: Header, vocabulary: Vocabulary, issues: Issues):
        self.raw, self.header, self.vocab, self.issues = raw, header, vocabulary, issues
        self.name = raw.name

    def letter(self, col: int) -> str:
        return column_letter(self.raw.excel_col(col))

    def row_number(self, grid_row: int) -> int:
        return self.raw.excel_row(grid_row)

    def cell(self, grid_row: int, col: int) -> str:
        return f"{self.letter(col)}{self.row_number(grid_row)}"

    def read(self, defaults: dict[str, str] | None = None) -> SheetPart:
        """`defaults`: identity values for columns the sheet lacks (from the sheet's name)."""
        grid, fields = self.raw.grid, self.header.by_field()
        kinds = classify(grid, self.header, self.raw.names)
        data_rows = kinds.index[(kinds == "data").to_numpy()]
        if len(data_rows) and data_rows[-1] - data_rows[0] == len(data_rows) - 1:
            data = grid.iloc[data_rows[0] : data_rows[-1] + 1]  # one run of rows: no copy
        else:
            data = grid.loc[data_rows]
        out: dict[str, object] = {}
        for f in IDENTITY:
            out[f] = self._identity(f, fields.get(f), data, (defaults or {}).get(f))
        if "community_type" in fields:
            out["community_type"] = self._category(fields["community_type"], data)
        else:
            out["community_type"] = pd.Series(pd.NA, index=data.index, dtype="string")
        if "code" in fields:
            out["code"] = as_text(data[fields["code"].index])
        for fid, col in fields.items():
            f = self.vocab.get(fid)
            if f is None or not f.is_numeric:
                continue
            out[fid] = self._numeric(col, f.type, f.unit, data)
        frame = pd.DataFrame(out, index=data.index)
        self._mismatches(reconcile(grid, kinds, fields, out, self.vocab))
        self._hidden(data_rows, fields)
        return SheetPart(
            frame=frame.reset_index(drop=True),
            origin=list(zip(repeat(self.name), self.raw.excel_rows(data_rows).tolist())),
            field_columns={(self.name, fid): self.letter(c.index) for fid, c in fields.items()},
            columns=self._column_matches(),
            excluded=self._excluded(kinds),
            kinds=kinds,
        )

    def _identity(self, fid, col, data, default) -> pd.Series:
        if col is None:
            return pd.Series(default or "", index=data.index, dtype=object)
        text = as_text(data[col.index])
        if fid != "community":
            text, filled = fill_down(text)
            if len(filled):
                self.issues.add(
                    "filled-down",
                    Severity.INFO,
                    self.name,
                    cell=self.cell(filled[0], col.index),
                    header=col.header,
                    count=len(filled),
                )
        for row in text.index[text.eq("").to_numpy()]:
            self.issues.add(
                "missing-name",
                Severity.ERROR,
                self.name,
                cell=self.cell(row, col.index),
                header=col.header,
                value="",
            )
        return text

    def _category(self, col: Column, data: pd.DataFrame) -> pd.Series:
        text = as_text(data[col.index])
        mapped, unknown = map_categories(text, self.vocab["community_type"])
        expected = " / ".join(
            f"{k}: {'、'.join(v[:3])}" for k, v in self.vocab["community_type"].values.items()
        )
        for row in text.index[unknown.to_numpy()]:
            self.issues.add(
                "unknown-category",
                Severity.ERROR,
                self.name,
                cell=self.cell(row, col.index),
                header=col.header,
                value=shown(text[row]),
                expected=expected,
            )
        return mapped

    def _numeric(self, col: Column, kind: str, unit: str | None, data: pd.DataFrame):
        if is_year_field(col.field):
            kind = "year"  # 2019, "2019年", "2019.10" or a date cell: the year
        values, problems = coerce(data[col.index], kind, col.scale, unit)
        values = pd.Series(values, index=data.index)
        if kind == "boolean":
            problems = self._blank_as_no(col, data, values, problems)
        marked = self._marks(col.index, data.index)
        if marked:
            problems = [p for p in problems if p.pos not in marked] + list(marked.values())
            values[list(marked)] = np.nan
        for p in problems:
            self.issues.add(
                p.code,
                p.severity,
                self.name,
                cell=self.cell(p.pos, col.index),
                header=col.header,
                value=p.value,
                expected=_expected(kind),
            )
        return values.astype("float64")

    def _mismatches(self, found: list[Mismatch]) -> None:
        for m in found:
            first, last = self.row_number(m.first), self.row_number(m.last)
            self.issues.add(
                "total-mismatch",
                Severity.WARNING,
                self.name,
                cell=self.cell(m.row, m.column.index),
                header=m.column.header,
                value=m.value,
                expected=m.expected,
                kind=m.kind,
                rows=f"{first}-{last}",
                missing=m.missing,
            )

    def _hidden(self, data_rows: pd.Index, fields: dict[str, Column]) -> None:
        """Rows and field columns hidden in Excel are read like the others, and said so: a
        clerk may have hidden a row to drop it, or a column of last year's figures."""
        marks, r0, c0 = self.raw.marks, self.raw.row0, self.raw.col0
        if marks.hidden_rows:
            hidden = sorted(r for r in data_rows if r + r0 in marks.hidden_rows)
            runs: list[list[int]] = []
            for r in hidden:
                if runs and r == runs[-1][-1] + 1:
                    runs[-1].append(r)
                else:
                    runs.append([r])
            for run in runs:
                first, last = self.row_number(run[0]), self.row_number(run[-1])
                self.issues.add(
                    "hidden-row",
                    Severity.WARNING,
                    self.name,
                    cell=str(first),
                    rows=str(first) if first == last else f"{first}-{last}",
                    count=len(run),
                )
        for col in fields.values():
            if col.index + c0 in marks.hidden_cols:
                self.issues.add(
                    "hidden-column",
                    Severity.WARNING,
                    self.name,
                    cell=self.cell(self.header.rows[-1], col.index),
                    header=col.header,
                )

    def _blank_as_no(self, col: Column, data, values: pd.Series, problems: list[Problem]):
        """A column of ticks (√ or blank): a blank is 否, not a missing value. Said once."""
        cells = data[col.index]
        blank = [p.pos for p in problems if p.code == "missing-value" and not _filled(cells[p.pos])]
        if not blank:
            return problems
        # each distinct cell of an Arrow text column once; object cells one by one (True and
        # 1 would share a distinct value)
        seen = pd.unique(cells) if is_text(cells) else cells.tolist()
        marks = {fold(v) for v in seen if _filled(v)}
        if not marks or not marks <= TICKS:
            return problems
        values[blank] = 0.0
        self.issues.add(
            "blank-as-no",
            Severity.INFO,
            self.name,
            cell=self.cell(self.header.rows[-1], col.index),
            header=col.header,
            count=len(blank),
        )
        done = set(blank)
        return [p for p in problems if p.pos not in done]

    def _marks(self, col: int, rows: pd.Index) -> dict[int, Problem]:
        """Cells calamine showed as empty: Excel errors and formulas without a cached value."""
        marks, r0, c0 = self.raw.marks, self.raw.row0, self.raw.col0
        if not marks.errors and not marks.no_value:
            return {}
        wanted = set(rows)
        out: dict[int, Problem] = {}
        for (r, c), text in marks.errors.items():
            if c - c0 == col and r - r0 in wanted:
                out[r - r0] = Problem(r - r0, "excel-error", Severity.ERROR, text)
        for r, c in marks.no_value:
            if c - c0 == col and r - r0 in wanted and r - r0 not in out:
                out[r - r0] = Problem(r - r0, "formula-without-value", Severity.WARNING, "")
        return out

    def _column_matches(self) -> list[ColumnMatch]:
        out = []
        for c in self.header.columns:
            used = c.field if c.duplicate_of is None else None
            kind, near = "", None
            if used is None:
                options = (
                    ("duplicate", c.field),
                    ("lookalike", c.lookalike),
                    ("conflict", c.conflict[0] if c.conflict else None),
                    ("suggestion", c.suggestion),
                )
                kind, near = next(((k, f) for k, f in options if f), ("", None))
            out.append(
                ColumnMatch(
                    self.name,
                    self.letter(c.index),
                    c.header,
                    used,
                    c.unit,
                    c.scale,
                    c.confidence if used else "",
                    near,
                    kind,
                )
            )
        return out

    def _excluded(self, kinds: pd.Series) -> list[ExcludedRow]:
        rows = []
        grid, typed = self.raw.grid, self.raw.names
        for r in kinds.index[(kinds != "data").to_numpy()]:
            cells = [
                cell_shown(grid[c], r, 40) if c in typed else shown(v, 40)
                for c, v in enumerate(grid.loc[r].tolist())
                if _filled(v)
            ]
            rows.append(ExcludedRow(self.name, self.row_number(r), kinds[r], " | ".join(cells[:4])))
        return rows


def _filled(v: object) -> bool:
    return v is not None and not (isinstance(v, float) and np.isnan(v)) and str(v).strip() != ""


def _expected(kind: str) -> str:
    return {"boolean": "是/否", "integer": "整数 integer", "year": "年份 year (2019)"}.get(
        kind, "数字 number"
    )

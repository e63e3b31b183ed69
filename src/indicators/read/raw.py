"""The raw cells of a census file, before any header is found: one RawSheet per sheet.

Every reader (workbook.py for xlsx/xls/ods, csvfile.py, parquetfile.py) produces these; the
header search and the row reader consume them column by column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from indicators.model.errors import Said, said
from indicators.read import limits
from indicators.read.zipscan import SheetMarks


@dataclass
class RawSheet:
    """The cells of one sheet as read; grid row i is Excel row row0 + i + 1 (see excel_row)."""

    name: str | None
    grid: pd.DataFrame  # columns 0..n-1: object cells, or "str" text (CSV, parquet)
    row0: int = 0  # 0-based sheet row of grid row 0
    col0: int = 0  # 0-based sheet column of grid column 0
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1 c1 r2 c2, abs
    marks: SheetMarks = field(default_factory=SheetMarks)
    hidden: bool = False
    # a sparse sheet read compacted (sparse.py): the sheet's own 0-based row and column of
    # each compact row and column; None when the grid is the sheet's rectangle as it is
    row_map: np.ndarray | None = None
    far_cell: str | None = None  # then: the lowest cell, for the warning
    col_map: np.ndarray | None = None
    # grid row 0 of the columns whose cells are typed numbers (parquet: a float64 column
    # cannot hold its name); the header search and the row classifier read them from here
    names: dict[int, str] = field(default_factory=dict)

    def excel_row(self, grid_row: int) -> int:
        """The row number Excel shows for a grid row."""
        row = self.row0 + grid_row
        return int(self.row_map[row]) + 1 if self.row_map is not None else row + 1

    def excel_rows(self, grid_rows: np.ndarray) -> np.ndarray:
        """excel_row for many grid rows at once."""
        rows = np.asarray(grid_rows, dtype=np.int64) + self.row0
        return (self.row_map[rows] if self.row_map is not None else rows) + 1

    def excel_col(self, grid_col: int) -> int:
        """The 0-based sheet column of a grid column (column_letter gives its letters)."""
        col = self.col0 + grid_col
        return int(self.col_map[col]) if self.col_map is not None else col


@dataclass
class RawWorkbook:
    format: str
    sha256: str
    sheets: list[RawSheet]
    encoding: str | None = None
    notes: list[tuple[str, dict]] = field(default_factory=list)  # (issue code, params) to report


def sheet_columns(sheet: str | None, width: int, stray: Said | str = "") -> Said:
    """What a too-wide sheet (or CSV file, with no sheet name) has, for a column limit."""
    if sheet is None:
        return said("read.found.file_columns", cols=width)
    return said("read.found.sheet_columns", sheet=sheet, cols=width, stray=stray)


def grid_from_rows(path: Path, rows: list[list], sheet: str | None) -> pd.DataFrame:
    width = max((len(r) for r in rows), default=0)
    if width > limits.MAX_COLUMNS.value:
        raise limits.MAX_COLUMNS.refuse(path, sheet_columns(sheet or None, width))
    # pad ragged rows (CSV): pandas deprecates building a frame from rows of unequal length
    rows = [r if len(r) == width else [*r, *[None] * (width - len(r))] for r in rows]
    frame = pd.DataFrame(rows, dtype=object) if rows else pd.DataFrame(dtype=object)
    frame.columns = range(frame.shape[1])
    return frame

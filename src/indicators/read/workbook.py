"""Workbooks (xlsx, xlsm, xls, ods) -> RawSheets through python-calamine.

calamine allocates a sheet's used rectangle densely, so the extent found by the zip scan is
checked first: a sheet too big for that but with few real cells is read compacted
(sparse.py), a real bomb refused; merged ranges are clipped and de-duplicated.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from indicators.model.errors import said
from indicators.read import limits, sparse
from indicators.read.failure import fail
from indicators.read.fetch import Cells, SheetCells, dense, load_cells, too_big
from indicators.read.raw import RawSheet, grid_from_rows, sheet_columns
from indicators.read.zipscan import SheetMarks


class Compacting:
    """Sheets too big or mostly empty for calamine's dense read, read compacted."""

    def layout(self, path: Path, data: bytes, sheet: str, marks: SheetMarks):
        return _sparse_layout(path, data, sheet, marks)

    def open(self, data: bytes, sheet: str, marks: SheetMarks, layout):
        return _compacted_sheet(data, marks.member, layout, sheet), sparse.compact_marks(
            marks, layout
        )


def read_workbook(
    path: Path, data: bytes, marks: dict[str, SheetMarks], cells: Cells | None = None
) -> list[RawSheet]:
    """The worksheets as RawSheets; `cells` when calamine has read them already (on a
    thread, read/ahead.py), else they are read here."""
    if cells is None:
        cells = load_cells(path, data, marks, Compacting())
    sheets = [_raw_sheet(path, c) for c in cells.sheets]
    if cells.failed is not None:
        raise cells.failed
    if not sheets:
        raise fail(path, said("read.no_worksheets"))
    return sheets


def _raw_sheet(path: Path, cells: SheetCells) -> RawSheet:
    grid = grid_from_rows(path, cells.rows, cells.name)
    layout = cells.layout
    return RawSheet(
        name=cells.name,
        grid=grid,
        row0=cells.start[0],
        col0=cells.start[1],
        merged=_merges(path, cells.name, cells.merged, cells.start, grid.shape),
        marks=cells.marks,
        hidden=cells.hidden,
        far_cell=None if layout is None else layout.far,
        row_map=None if layout is None else layout.rows,
        col_map=None if layout is None else layout.cols,
    )


def _merges(path: Path, sheet: str, merged, start, shape) -> list[tuple[int, int, int, int]]:
    """Merged ranges clipped to the cells read, each once. 100,000 copies of one range
    spanning 16,384 columns hung the header search (found by the red team); ranges whose
    areas add up to more than the sheet's cells overlap, which Excel never writes."""
    top, left = start
    bottom, right = top + shape[0] - 1, left + shape[1] - 1
    out: dict[tuple[int, int, int, int], None] = {}
    for a, b in merged:
        r1, c1, r2, c2 = max(a[0], top), max(a[1], left), min(b[0], bottom), min(b[1], right)
        if r1 <= r2 and c1 <= c2:
            out[(r1, c1, r2, c2)] = None
    covered = sum((r2 - r1 + 1) * (c2 - c1 + 1) for r1, c1, r2, c2 in out)
    if covered > max(shape[0] * shape[1], 1):
        raise fail(
            path,
            said("read.overlapping_merges", sheet=sheet, n=len(merged)),
            said("read.hint.unmerge"),
        )
    return list(out)


def _sparse_layout(path: Path, data: bytes, sheet: str, marks: SheetMarks):
    """None for a sheet calamine may read as it is; the rows and columns holding cells for a
    sheet whose rectangle is too big or mostly empty but whose cells are not too many; a
    refusal otherwise."""
    if dense(marks):
        return None
    big = too_big(marks)
    layout = None
    if marks.member:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            layout = sparse.used_layout(archive, marks.member)
    if layout is None and not big:
        return None  # a cell without a reference: read densely, as before
    if layout is None:  # a cell without a reference: its rectangle is refused as before
        rows, cols = marks.max_row, marks.max_col
        stray = said("read.found.stray", cell=marks.far_cell) if marks.far_cell else ""
        if cols > limits.MAX_COLUMNS.value:
            raise limits.MAX_COLUMNS.refuse(path, sheet_columns(sheet, cols, stray))
        raise limits.MAX_CELLS.refuse(
            path, said("read.found.sheet_spans", sheet=sheet, rows=rows, cols=cols, stray=stray)
        )
    sparse.check_layout(path, sheet, layout, marks.far_cell)
    return layout


def _compacted_sheet(data: bytes, member: str, layout: sparse.Layout, name: str):
    import python_calamine as pc

    book = pc.CalamineWorkbook.from_filelike(
        io.BytesIO(sparse.compacted_book(data, member, layout))
    )
    return book.get_sheet_by_name(name)

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
from indicators.read.raw import RawSheet, fail, grid_from_rows, sheet_columns
from indicators.read.zipscan import SheetMarks


def _reraise_unless_damage(exc: BaseException) -> None:
    """A damaged file makes calamine raise an Exception, or panic in Rust: pyo3 turns a panic
    into PanicException, a BaseException (found by fuzzing a damaged .xls). Ctrl-C and exit
    pass through."""
    if isinstance(exc, Exception) or type(exc).__name__ == "PanicException":
        return
    raise exc


def read_workbook(path: Path, data: bytes, marks: dict[str, SheetMarks]) -> list[RawSheet]:
    import python_calamine as pc

    try:
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except pc.PasswordError as exc:
        raise fail(path, said("read.password"), said("read.hint.remove_password")) from exc
    except BaseException as exc:  # calamine raises several types for damaged files
        _reraise_unless_damage(exc)
        raise fail(
            path, said("read.book_damaged", reason=str(exc)), said("read.hint.resave")
        ) from exc
    sheets = []
    with book:
        for meta in book.sheets_metadata:
            if meta.typ != pc.SheetTypeEnum.WorkSheet:
                continue
            found = marks.get(meta.name, SheetMarks())
            layout = _sparse_layout(path, data, meta.name, found)
            try:
                if layout is None:
                    sheet = book.get_sheet_by_name(meta.name)
                else:  # few cells far apart: calamine reads the compacted sheet
                    sheet = _compacted_sheet(data, found.member, layout, meta.name)
                    found = sparse.compact_marks(found, layout)
                rows = sheet.to_python(skip_empty_area=True)
                start = sheet.start or (0, 0)
                merged = sheet.merged_cell_ranges or []
            except BaseException as exc:
                _reraise_unless_damage(exc)
                raise fail(
                    path, said("read.sheet_unreadable", sheet=meta.name, reason=str(exc))
                ) from exc
            grid = grid_from_rows(path, rows, meta.name)
            sheets.append(
                RawSheet(
                    name=meta.name,
                    grid=grid,
                    row0=start[0],
                    col0=start[1],
                    merged=_merges(path, meta.name, merged, start, grid.shape),
                    marks=found,
                    hidden=meta.visible != pc.SheetVisibleEnum.Visible,
                    far_cell=None if layout is None else layout.far,
                    row_map=None if layout is None else layout.rows,
                    col_map=None if layout is None else layout.cols,
                )
            )
    if not sheets:
        raise fail(path, said("read.no_worksheets"))
    return sheets


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


def _too_big(marks: SheetMarks) -> bool:
    """Whether the cells' rectangle passes the limits: calamine would allocate it densely
    (one cell at XFD1048576: SIGABRT or 2.2 GB, found by the red team)."""
    rows, cols = marks.max_row, marks.max_col
    return cols > limits.MAX_COLUMNS.value or rows * cols > limits.MAX_CELLS.value


# a rectangle of a million cells or more that its cells fill to less than a tenth is read
# compacted: a lone value at row 900,000 under a 50-row table took minutes densely
SPARSE_MIN_CELLS = 1_000_000
SPARSE_FILL = 0.1


def _sparse(marks: SheetMarks) -> bool:
    area = marks.max_row * marks.max_col
    return area >= SPARSE_MIN_CELLS and marks.cells < SPARSE_FILL * area


def _sparse_layout(path: Path, data: bytes, sheet: str, marks: SheetMarks):
    """None for a sheet calamine may read as it is; the rows and columns holding cells for a
    sheet whose rectangle is too big or mostly empty but whose cells are not too many; a
    refusal otherwise."""
    too_big = _too_big(marks)
    if not marks.max_row or not (too_big or _sparse(marks)):
        return None
    layout = None
    if marks.member:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            layout = sparse.used_layout(archive, marks.member)
    if layout is None and not too_big:
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

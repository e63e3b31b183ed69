"""Workbooks (xlsx, xlsm, xls, ods) -> RawSheets through python-calamine.

calamine allocates a sheet's used rectangle densely, so the extent found by the zip scan is
checked first (`_check_extent`); merged ranges are clipped and de-duplicated.
"""

from __future__ import annotations

import io
from pathlib import Path

from indicators.read import limits
from indicators.read.raw import RawSheet, fail, grid_from_rows
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
        raise fail(
            path, "the workbook is password-protected", "remove the password and send it again"
        ) from exc
    except BaseException as exc:  # calamine raises several types for damaged files
        _reraise_unless_damage(exc)
        raise fail(
            path, f"the workbook cannot be read, it seems damaged ({exc})", "re-save it in Excel"
        ) from exc
    sheets = []
    with book:
        for meta in book.sheets_metadata:
            if meta.typ != pc.SheetTypeEnum.WorkSheet:
                continue
            _check_extent(path, meta.name, marks.get(meta.name))
            try:
                sheet = book.get_sheet_by_name(meta.name)
                rows = sheet.to_python(skip_empty_area=True)
                start = sheet.start or (0, 0)
                merged = sheet.merged_cell_ranges or []
            except BaseException as exc:
                _reraise_unless_damage(exc)
                raise fail(path, f"sheet {meta.name!r} cannot be read ({exc})") from exc
            grid = grid_from_rows(path, rows, meta.name)
            sheets.append(
                RawSheet(
                    name=meta.name,
                    grid=grid,
                    row0=start[0],
                    col0=start[1],
                    merged=_merges(path, meta.name, merged, start, grid.shape),
                    marks=marks.get(meta.name, SheetMarks()),
                    hidden=meta.visible != pc.SheetVisibleEnum.Visible,
                )
            )
    if not sheets:
        raise fail(path, "the workbook has no worksheets")
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
            f"sheet {sheet!r} has {len(merged)} merged ranges that overlap, which Excel and "
            "WPS never write",
            "open the file in Excel or WPS, unmerge the cells and save it again",
        )
    return list(out)


def _check_extent(path: Path, sheet: str, marks: SheetMarks | None) -> None:
    """Refuse a sheet whose cells span more than the limits before calamine allocates the
    rectangle densely (one cell at XFD1048576: SIGABRT or 2.2 GB, found by the red team)."""
    if marks is None or not marks.max_row:
        return
    rows, cols = marks.max_row, marks.max_col
    stray = f" (the farthest cell is in {marks.far_cell})" if marks.far_cell else ""
    if cols > limits.MAX_COLUMNS.value:
        raise limits.MAX_COLUMNS.refuse(path, f"sheet {sheet!r} has {cols} columns{stray}")
    if rows * cols > limits.MAX_CELLS.value:
        raise limits.MAX_CELLS.refuse(
            path, f"sheet {sheet!r} spans {rows} rows x {cols} columns{stray}"
        )

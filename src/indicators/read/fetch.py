"""The first stage of reading a file, before pandas: its bytes within the size limits, its
format, the zip guards and scan, and the cells of each worksheet from calamine.

It does not import pandas, so `check` can run it on a thread while the command is still
importing pandas and loading the plan (read/ahead.py): python-calamine releases the GIL
while it parses, and the two overlap on a machine with two cores. Whichever thread runs it,
every limit is checked here in the same order, before the memory is spent.
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import python_calamine as pc

from indicators.model.errors import said
from indicators.read import limits
from indicators.read.failure import fail
from indicators.read.sniff import ZIP_ERRORS, ole_kind, sniff_format, zip_kind
from indicators.read.zipscan import SheetMarks, scan_zip

WORKBOOKS = ("xlsx", "xlsm", "xls", "ods")


@dataclass
class SheetCells:
    """One worksheet as calamine gave it: rows of Python values from `start` (0-based row
    and column of the first cell), the merged ranges, the zip scan's marks."""

    name: str
    rows: list[list]
    start: tuple[int, int]
    merged: list
    marks: SheetMarks
    hidden: bool
    layout: Any = None  # a sparse.Layout when the sheet was read compacted


@dataclass
class Cells:
    """The worksheets of a workbook in order, up to the first that could not be read
    (`failed`, raised after the sheets before it are built, as a sheet-by-sheet read
    would)."""

    sheets: list[SheetCells]
    failed: BaseException | None = None


@dataclass
class Fetched:
    data: bytes
    sha256: str
    kind: str  # xlsx | xlsm | xls | ods | csv | parquet
    marks: dict[str, SheetMarks]
    cells: Cells | None = None  # a workbook's cells when loaded ahead (read/ahead.py)


def fetch(path: Path) -> Fetched:
    """The file's bytes (the size limit holds before a byte is read), its format, and for a
    zip its directory checked and every member inflated within the budget (zipscan.py)."""
    try:
        with path.open("rb") as fh:  # read-only; the input is never modified
            # the size limit holds before a byte is read (a 9 GB file is refused, not loaded)
            limits.check_file_size(path, os.fstat(fh.fileno()).st_size)
            data = fh.read()
    except IsADirectoryError as exc:
        raise fail(path, said("read.folder")) from exc
    except OSError as exc:
        raise fail(path, said("read.cannot_read", reason=exc.strerror or str(exc))) from exc
    limits.check_file_size(path, len(data))  # a file that grew while being read
    sha = hashlib.sha256(data).hexdigest()
    kind = sniff_format(path, data[:4096])
    marks: dict[str, SheetMarks] = {}
    if kind == "zip":
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except ZIP_ERRORS as exc:
            raise fail(
                path,
                said("read.damaged_zip"),
                said("read.hint.fresh_copy"),
            ) from exc
        with archive:
            limits.check_zip_directory(path, archive)
            try:  # reading a member of a damaged zip raises any of ZIP_ERRORS (found by fuzzing)
                kind = zip_kind(path, archive)
                marks = scan_zip(path, archive, is_xlsx=kind in ("xlsx", "xlsm"))
            except ZIP_ERRORS as exc:
                raise fail(
                    path, said("read.damaged", reason=str(exc)), said("read.hint.fresh_copy")
                ) from exc
            except RuntimeError as exc:  # a zip member encrypted with a zip password
                raise fail(path, said("read.password_reason", reason=str(exc))) from exc
    elif kind == "ole":
        kind = ole_kind(path, data)
    return Fetched(data, sha, kind, marks)


def reraise_unless_damage(exc: BaseException) -> None:
    """A damaged file makes calamine raise an Exception, or panic in Rust: pyo3 turns a panic
    into PanicException, a BaseException (found by fuzzing a damaged .xls). Ctrl-C and exit
    pass through."""
    if isinstance(exc, Exception) or type(exc).__name__ == "PanicException":
        return
    raise exc


def too_big(marks: SheetMarks) -> bool:
    """Whether the cells' rectangle passes the limits: calamine would allocate it densely
    (one cell at XFD1048576: SIGABRT or 2.2 GB, found by the red team)."""
    rows, cols = marks.max_row, marks.max_col
    return cols > limits.MAX_COLUMNS.value or rows * cols > limits.MAX_CELLS.value


# a rectangle of a million cells or more that its cells fill to less than a tenth is read
# compacted: a lone value at row 900,000 under a 50-row table took minutes densely
SPARSE_MIN_CELLS = 1_000_000
SPARSE_FILL = 0.1


def mostly_empty(marks: SheetMarks) -> bool:
    area = marks.max_row * marks.max_col
    return area >= SPARSE_MIN_CELLS and marks.cells < SPARSE_FILL * area


def dense(marks: SheetMarks) -> bool:
    """Whether calamine may read the sheet as it is (no compacting to decide on)."""
    return not marks.max_row or not (too_big(marks) or mostly_empty(marks))


class Compactor(Protocol):
    """How a sheet too big or mostly empty for calamine's dense read is read (workbook.py:
    compacted, sparse.py); the first stage on a thread has none and stops there."""

    def layout(self, path: Path, data: bytes, sheet: str, marks: SheetMarks) -> Any:
        """None to read the sheet as it is, else the layout to compact it to (or a refusal)."""

    def open(
        self, data: bytes, sheet: str, marks: SheetMarks, layout: Any
    ) -> tuple[Any, SheetMarks]:
        """The compacted calamine sheet and its marks in compact coordinates."""


def load_cells(path: Path, data: bytes, marks: dict[str, SheetMarks], compact: Compactor) -> Cells:
    """Every worksheet's cells, in the workbook's order."""
    try:
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except pc.PasswordError as exc:
        raise fail(path, said("read.password"), said("read.hint.remove_password")) from exc
    except BaseException as exc:  # calamine raises several types for damaged files
        reraise_unless_damage(exc)
        raise fail(
            path, said("read.book_damaged", reason=str(exc)), said("read.hint.resave")
        ) from exc
    out = Cells([])
    with book:
        for meta in book.sheets_metadata:
            if meta.typ != pc.SheetTypeEnum.WorkSheet:
                continue
            found = marks.get(meta.name, SheetMarks())
            try:
                layout = compact.layout(path, data, meta.name, found)
            except Exception as exc:  # a refusal: after the sheets before it are built
                out.failed = exc
                return out
            try:
                if layout is None:
                    sheet = book.get_sheet_by_name(meta.name)
                else:  # few cells far apart: calamine reads the compacted sheet
                    sheet, found = compact.open(data, meta.name, found, layout)
                rows = sheet.to_python(skip_empty_area=True)
                start = sheet.start or (0, 0)
                merged = sheet.merged_cell_ranges or []
            except BaseException as exc:
                reraise_unless_damage(exc)
                out.failed = fail(
                    path, said("read.sheet_unreadable", sheet=meta.name, reason=str(exc))
                )
                out.failed.__cause__ = exc
                return out
            hidden = meta.visible != pc.SheetVisibleEnum.Visible
            out.sheets.append(SheetCells(meta.name, rows, start, merged, found, hidden, layout))
    return out

"""A worksheet whose few cells lie far apart, read from its real cells.

calamine allocates the rectangle from the first to the last cell densely, so one stray value at
XFD1048576 or at row 900,000 under a 50-row table asks for billions of cells. Such a sheet is
compacted before calamine sees it: the rows and columns that hold no cell are left out and the
cells renumbered (rows and columns keep their order), and the RawSheet keeps the map back to
the sheet's own rows and columns, so every message names the cell as Excel shows it.

The rows and columns holding cells are counted in a streaming pass first; a sheet whose real
cells still span more than the limits is refused then, before anything is rewritten or
allocated (a real bomb). A sheet with a cell that does not say where it is (no `r=`) cannot be
compacted safely and keeps the refusal.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from indicators.model.errors import said
from indicators.model.issues import column_letter
from indicators.read import limits
from indicators.read.zipscan import CHUNK, SheetMarks, letters_to_index

_CELL = re.compile(rb"<c\b")
_CELL_REF = re.compile(rb'<c\b[^<>]*?\br="([A-Z]{1,3})(\d{1,7})"')
_ROW_TAG = re.compile(rb"<row\b[^<>]*>")
_ROW_R = re.compile(rb'\br="(\d+)"')
_SPANS = re.compile(rb'\s+spans="[^"]*"')
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^<>]*>")
_COLS = re.compile(rb"<(?:\w+:)?cols\b.*?</(?:\w+:)?cols>", re.S)
_MERGE = re.compile(rb'(<(?:\w+:)?mergeCell\b[^<>]*?\bref=")([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)(")')


@dataclass(frozen=True)
class Layout:
    """The rows (0-based, sorted) and columns (0-based, sorted) that hold cells."""

    rows: np.ndarray
    cols: np.ndarray
    far: str = ""  # the reference of the lowest cell (the rightmost of its row)


def used_layout(archive: zipfile.ZipFile, member: str) -> Layout | None:
    """The rows and columns holding cells, from a streaming pass; None when some cell has
    no reference (its place is implied by its order, which compaction would change)."""
    rows: set[int] = set()
    cols: set[bytes] = set()
    cells = with_ref = 0
    far = (0, -1, b"")
    rest = b""
    with archive.open(member) as fh:
        while True:
            chunk = fh.read(CHUNK)
            buffer = rest + chunk
            cut = buffer.rfind(b"<") if chunk else len(buffer)
            if cut < 0:
                cut = 0
            part, rest = buffer[:cut], buffer[cut:]
            cells += len(_CELL.findall(part))
            for letters, number in _CELL_REF.findall(part):
                with_ref += 1
                row = int(number)
                rows.add(row)
                cols.add(letters)
                if row >= far[0]:
                    col = letters_to_index(letters)
                    if (row, col) > far[:2]:
                        far = (row, col, letters)
            if not chunk:
                break
    if cells != with_ref:
        return None
    return Layout(
        np.array(sorted(r - 1 for r in rows), dtype=np.int64),
        np.array(sorted(letters_to_index(c) for c in cols), dtype=np.int64),
        f"{far[2].decode()}{far[0]}",
    )


def check_layout(path: Path, sheet: str, layout: Layout, far_cell: str = "") -> None:
    """Refuse a sheet whose real cells span more than the limits (a real bomb)."""
    rows, cols = len(layout.rows), len(layout.cols)
    if cols > limits.MAX_COLUMNS.value:
        stray = said("read.found.stray", cell=far_cell) if far_cell else ""
        found = said("read.found.sheet_columns", sheet=sheet, cols=cols, stray=stray)
        raise limits.MAX_COLUMNS.refuse(path, found)
    if rows * cols > limits.MAX_CELLS.value:
        what = said("read.found.sheet_holds", sheet=sheet, rows=rows, cols=cols)
        raise limits.MAX_CELLS.refuse(path, what)


def compacted_book(data: bytes, member: str, layout: Layout) -> bytes:
    """The workbook with `member` rewritten onto the compact grid; other members as they
    are. The input bytes are not modified (a new archive is built in memory)."""
    row_of = {int(r) + 1: i + 1 for i, r in enumerate(layout.rows.tolist())}
    col_of = {int(c): i for i, c in enumerate(layout.cols.tolist())}
    sheet_rows = layout.rows + 1

    def row_number(n: int) -> int:  # a row element without cells: the next kept row's place
        return row_of.get(n) or int(np.searchsorted(sheet_rows, n)) + 1

    def cell(m: re.Match) -> bytes:
        letters, number = m.group(1), int(m.group(2))
        ref = f"{column_letter(col_of[letters_to_index(letters)])}{row_of[number]}".encode()
        return m.group(0)[: m.start(1) - m.start(0)] + ref + b'"'

    def row(m: re.Match) -> bytes:
        tag = _SPANS.sub(b"", m.group(0))
        return _ROW_R.sub(lambda r: b'r="%d"' % row_number(int(r.group(1))), tag, count=1)

    def merge(m: re.Match) -> bytes:
        r1, r2 = _span(layout.rows, int(m.group(3)) - 1, int(m.group(5)) - 1)
        c1, c2 = _span(layout.cols, letters_to_index(m.group(2)), letters_to_index(m.group(4)))
        if r1 > r2 or c1 > c2:
            return m.group(1) + b"A1:A1" + m.group(6)  # covers no kept cell: a no-op merge
        ref = f"{column_letter(c1)}{r1 + 1}:{column_letter(c2)}{r2 + 1}".encode()
        return m.group(1) + ref + m.group(6)

    with zipfile.ZipFile(io.BytesIO(data)) as source:
        xml = source.read(member)
        xml = _DIMENSION.sub(b"", xml)
        xml = _COLS.sub(b"", xml)
        xml = _CELL_REF.sub(cell, xml)
        xml = _ROW_TAG.sub(row, xml)
        xml = _MERGE.sub(merge, xml)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
            for info in source.infolist():
                target.writestr(
                    info.filename, xml if info.filename == member else source.read(info)
                )
    return out.getvalue()


def _span(kept: np.ndarray, lo: int, hi: int) -> tuple[int, int]:
    """The compact positions of the first and last kept index within [lo, hi]."""
    return int(np.searchsorted(kept, lo, "left")), int(np.searchsorted(kept, hi, "right")) - 1


def compact_marks(marks: SheetMarks, layout: Layout) -> SheetMarks:
    """The marks of the sheet on the compact grid (cells outside it hold nothing)."""
    row_of = {int(r): i for i, r in enumerate(layout.rows.tolist())}
    col_of = {int(c): i for i, c in enumerate(layout.cols.tolist())}

    def at(pos: tuple[int, int]) -> tuple[int, int] | None:
        r, c = row_of.get(pos[0]), col_of.get(pos[1])
        return None if r is None or c is None else (r, c)

    return SheetMarks(
        errors={p: text for pos, text in marks.errors.items() if (p := at(pos)) is not None},
        no_value={p for pos in marks.no_value if (p := at(pos)) is not None},
        hidden_rows={row_of[r] for r in marks.hidden_rows if r in row_of},
        hidden_cols={col_of[c] for c in marks.hidden_cols if c in col_of},
        max_row=len(layout.rows),
        max_col=len(layout.cols),
        member=marks.member,
    )

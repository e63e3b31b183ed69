"""Sheets that look huge from one stray cell are read from their real cells (issue 14).

calamine allocates the rectangle from the first to the last cell; a stray value at XFD1048576
or at row 900,000 under a small table asked for billions of cells and was refused. Such a sheet
is now read compacted (read/sparse.py), naming cells as Excel shows them, while a sheet whose
real cells pass the limits is still refused before anything is allocated. Each case runs the
command line in a child under an address-space cap, as the bomb tests do."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from helpers import english_texts

from .inputs import HEADER, PLAN, ROWS, inline_row, run_capped, sha256, sheet_xml, xlsx_parts

english = english_texts  # the English texts of file-level errors (--lang en)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")

BOUND_MB = 400  # the bound of the refusals in test_resources: reading 4 rows costs no more
DATA_INVALID = 2


def _table(first_row: int = 1, rows: list[list] | None = None) -> str:
    body = [HEADER, *(rows or ROWS)]
    return "".join(inline_row(first_row + i, r) for i, r in enumerate(body))


def _stray(ref: str, value: str = "<v>1</v>") -> str:
    row = ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return f'<row r="{row}"><c r="{ref}">{value}</c></row>'


@pytest.mark.parametrize("far", ["XFD1048576", "ALL1048576", "B900000"])
def test_one_far_cell_is_read_sparse_within_the_memory_bound(tmp_path: Path, far: str) -> None:
    """Was refused (or SIGABRT, 2.2 GB before the refusal): the three communities are read,
    the far cell is a row of its own (a note), and a warning names it."""
    cells = _table() + _stray(far)
    path = xlsx_parts(tmp_path / "far.xlsx", {"sheet": sheet_xml(cells, dimension=f"A1:{far}")})
    assert path.stat().st_size < 4096
    digest = sha256(path)
    rc, out, peak_mb, _ = run_capped("check", path, "--plan", PLAN, cap_mb=1500)
    assert rc == 0, out
    assert "INDICATORS_MAX_" not in out
    assert peak_mb < BOUND_MB, f"peak RSS {peak_mb:.0f} MB"
    rc, out, peak_mb, _ = run_capped("inspect", path, "--lang", "en", cap_mb=1500)
    assert rc == 0, out
    assert "3 communities" in out
    assert f"社区基本情况!{far}" in out
    assert "sheet-sparse" in out
    assert peak_mb < BOUND_MB, f"peak RSS {peak_mb:.0f} MB"
    assert sha256(path) == digest


def test_a_declared_dimension_alone_does_not_make_a_sheet_huge(tmp_path: Path) -> None:
    path = xlsx_parts(
        tmp_path / "dim.xlsx", {"sheet": sheet_xml(_table(), dimension="A1:XFD1048576")}
    )
    rc, out, peak_mb, _ = run_capped("inspect", path, "--lang", "en", cap_mb=1500)
    assert rc == 0, out
    assert "3 communities" in out
    assert "sheet-sparse" not in out
    assert peak_mb < BOUND_MB, f"peak RSS {peak_mb:.0f} MB"


def test_messages_name_the_cells_of_the_sheet_not_of_the_compacted_grid(tmp_path: Path) -> None:
    """A title, two rows without cells, the table from row 4, a text where a number belongs
    in row 6, and a stray cell at column XFD of row 900,000: the compacted grid drops rows 2-3
    and the columns H..XFC, the messages must not."""
    rows = [list(r) for r in ROWS]
    rows[1][3] = "一千三"  # households of 乙社区, Excel row 6, column D
    cells = inline_row(1, ["社区基本情况表"]) + _table(4, rows) + _stray("XFD900000")
    path = xlsx_parts(tmp_path / "gap.xlsx", {"sheet": sheet_xml(cells)})
    rc, out, _, _ = run_capped("inspect", path, "--lang", "en", cap_mb=1500)
    assert rc == 0, out
    assert "社区基本情况!D6" in out  # the bad households cell, where Excel shows it
    assert "社区基本情况!XFD900000" in out  # the warning names the stray cell
    assert "3 communities" in out


def test_real_cells_beyond_the_limit_are_still_refused_before_reading(tmp_path: Path) -> None:
    """A sheet whose cells really fill more than INDICATORS_MAX_CELLS: no compaction helps."""
    body = "".join(inline_row(r, list(range(1, 31))) for r in range(2, 2002))
    path = xlsx_parts(tmp_path / "full.xlsx", {"sheet": sheet_xml(_table() + body)})
    digest = sha256(path)
    rc, out, peak_mb, _ = run_capped(
        "check", path, "--plan", PLAN, cap_mb=1500, INDICATORS_MAX_CELLS="50000"
    )
    assert rc == DATA_INVALID, out
    assert "full.xlsx: sheet '社区基本情况' holds cells in 2001 rows and 30 columns" in out
    assert "INDICATORS_MAX_CELLS" in out
    assert peak_mb < BOUND_MB, f"peak RSS {peak_mb:.0f} MB"
    assert sha256(path) == digest


def test_a_far_cell_without_a_reference_keeps_the_refusal(tmp_path: Path) -> None:
    """A cell with no r= is placed by its order, which compaction would change: the sheet's
    rectangle is refused as before rather than read at a guessed place."""
    cells = _table() + '<row r="900000"><c><v>1</v></c></row>'
    path = xlsx_parts(tmp_path / "noref.xlsx", {"sheet": sheet_xml(cells)})
    rc, out, peak_mb, _ = run_capped(
        "check", path, "--plan", PLAN, cap_mb=1500, INDICATORS_MAX_CELLS="1000000"
    )
    assert rc == DATA_INVALID, out
    assert "noref.xlsx: sheet '社区基本情况' spans 900000 rows x 26 columns" in out
    assert peak_mb < BOUND_MB, f"peak RSS {peak_mb:.0f} MB"


@pytest.mark.parametrize("space", [" ", "\t", "\n", "\r\n  "])
def test_the_extent_scan_sees_a_far_cell_whatever_whitespace_precedes_its_reference(space):
    """The scan finds references by their literal r=" (fast on large sheets); a writer that
    separates attributes with a tab or a newline must not hide a far cell from it."""
    from indicators.read.zipscan import SheetMarks, _extent

    xml = (
        '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
        f'<row r="1048576"><c{space}r="XFD1048576"><v>1</v></c></row></sheetData>'
    ).encode()
    marks = SheetMarks()
    _extent(xml, marks)
    assert (marks.max_row, marks.max_col) == (1048576, 16384)
    narrow = SheetMarks()
    _extent(f'<row r="3"><c{space}r="C3"><v>1</v></c></row>'.encode(), narrow)
    assert (narrow.max_row, narrow.max_col) == (3, 26)  # one letter: at most Z, not listed

"""Tiny files that asked for huge memory: every limit holds before the allocation.

Each runs the command line in a child process under an address-space cap and asserts the exit
code, the message, the peak resident memory and that the input is unchanged."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from helpers import crashed, english_texts

from .inputs import HEADER, PLAN, ROWS, inline_row, run_capped, sha256, sheet_xml, xlsx_parts

english = english_texts  # the English texts of file-level errors (--lang en)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")

DATA_INVALID = 2
BOUND_MB = 400  # peak RSS of a refusal; the bomb tests use the same bound


def _table_rows() -> str:
    return "".join(inline_row(i + 1, r) for i, r in enumerate([HEADER, *ROWS]))


def test_parquet_row_count_is_checked_from_the_metadata(tmp_path: Path) -> None:
    """A 795 KB parquet file of 40 million rows took 7.6 GB and exit 70."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    block = pa.table({"户数": pa.array([1] * 500_000, pa.int8())})
    path = tmp_path / "rows.parquet"
    with pq.ParquetWriter(path, block.schema, compression="zstd") as writer:
        for _ in range(6):
            writer.write_table(block)
    assert path.stat().st_size < 200_000
    rc, out, peak_mb, _ = run_capped("check", path, "--plan", PLAN, cap_mb=1500)
    assert rc == DATA_INVALID, out
    assert "rows.parquet: the file has 3000000 rows, over the rows limit of 2000000 rows" in out
    assert peak_mb < BOUND_MB, f"peak RSS {peak_mb:.0f} MB"


@pytest.mark.parametrize("raw", ["nan", "-nan", "inf", "1e30", "0", "-5", "lots"])
def test_a_limit_variable_that_is_no_usable_number_is_a_clear_error(
    tmp_path: Path, raw: str
) -> None:
    """nan turned INDICATORS_MAX_COLUMNS off without a word; 1e30 exited 70."""
    from .inputs import check, clean_xlsx

    census = clean_xlsx(tmp_path / "census.xlsx")
    for env in ("INDICATORS_MAX_COLUMNS", "INDICATORS_MAX_UNCOMPRESSED_MB"):
        result = check(census, env={env: raw})
        assert result.exit_code == DATA_INVALID, result.output
        assert f"{env}={raw!r}" in result.output
        assert not crashed(result.output), result.output


@pytest.mark.zh
def test_copies_of_one_wide_merged_range_do_not_hang_the_header_search(tmp_path: Path) -> None:
    """38,000 copies of A1:XFD3 (a 4 KB file) hung the header search: each copy was walked
    over its 49,152 cells. Merges are now clipped to the cells read and kept once."""
    merges = '<mergeCells count="38000">' + '<mergeCell ref="A1:XFD3"/>' * 38000
    path = xlsx_parts(
        tmp_path / "merged.xlsx",
        {"sheet": sheet_xml(_table_rows(), extra=merges + "</mergeCells>")},
    )
    assert path.stat().st_size < 10_000
    rc, out, peak_mb, seconds = run_capped("check", path, "--plan", PLAN, timeout=120)
    assert rc == 0, out
    assert "甲社区" in out or "3 个社区" in out
    assert seconds < 60 and peak_mb < BOUND_MB


def test_merged_ranges_that_overlap_wholesale_are_refused(tmp_path: Path) -> None:
    merges = "".join(f'<mergeCell ref="A1:G{r}"/>' for r in range(2, 6))
    path = xlsx_parts(
        tmp_path / "overlap.xlsx",
        {"sheet": sheet_xml(_table_rows(), extra=f"<mergeCells>{merges}</mergeCells>")},
    )
    rc, out, _, _ = run_capped("check", path, "--plan", PLAN)
    assert rc == DATA_INVALID, out
    assert "overlap.xlsx: sheet '社区基本情况' has 4 merged ranges that overlap" in out


def test_one_long_shared_string_in_60000_cells_is_refused_before_reading(tmp_path: Path) -> None:
    """calamine copies a shared string into every cell that refers to it: one 100,000-
    character string referenced by 60,000 cells took > 7.9 GB and ended in a Rust panic."""
    refs = "".join(f'<row r="{r}"><c r="H{r}" t="s"><v>0</v></c></row>' for r in range(5, 60005))
    sst = (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main" count="60000" uniqueCount="1"><si><t>'
        + "长" * 100_000
        + "</t></si></sst>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
        'Target="sharedStrings.xml"/></Relationships>'
    )
    path = xlsx_parts(
        tmp_path / "shared.xlsx",
        {
            "sheet": sheet_xml(_table_rows() + refs),
            "xl/sharedStrings.xml": sst,
            "xl/_rels/workbook.xml.rels": rels,
        },
    )
    assert path.stat().st_size < 400_000
    digest = sha256(path)
    rc, out, peak_mb, _ = run_capped("check", path, "--plan", PLAN, cap_mb=2500, timeout=300)
    assert rc == DATA_INVALID, out
    assert "shared.xlsx: its cells repeat shared text 60000 times" in out
    assert "over the uncompressed size limit of 1024 MB" in out
    assert "panicked" not in out
    assert peak_mb < BOUND_MB, f"peak RSS {peak_mb:.0f} MB"
    assert sha256(path) == digest


def _ods(path: Path, rows_xml: str) -> Path:
    import zipfile

    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="社区基本情况">'
        + rows_xml
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", "<manifest/>")
    return path


def _ods_row(values: list) -> str:
    cells = []
    for v in values:
        if isinstance(v, (int, float)):
            cells.append(
                f'<table:table-cell office:value-type="float" office:value="{v}">'
                f"<text:p>{v}</text:p></table:table-cell>"
            )
        else:
            cells.append(
                f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'
            )
    return f"<table:table-row>{''.join(cells)}</table:table-row>"


def test_ods_repeats_are_bounded_before_calamine_expands_them(tmp_path: Path) -> None:
    """Repeated rows and cells turned 874 bytes into 5.3 GB."""
    table = "".join(_ods_row(r) for r in [HEADER, *ROWS])
    bomb = (
        '<table:table-row table:number-rows-repeated="1000000">'
        '<table:table-cell table:number-columns-repeated="900" office:value-type="float" '
        'office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>'
    )
    path = _ods(tmp_path / "repeat.ods", table + bomb)
    assert path.stat().st_size < 2000
    rc, out, peak_mb, _ = run_capped("check", path, "--plan", PLAN, cap_mb=2500)
    assert rc == DATA_INVALID, out
    assert (
        "repeat.ods: table '社区基本情况' repeats its rows and cells to 1000004 rows x 900" in out
    )
    assert peak_mb < BOUND_MB, f"peak RSS {peak_mb:.0f} MB"


def test_ods_blank_rows_repeated_below_the_table_are_read(tmp_path: Path) -> None:
    """LibreOffice writes the blank rows below a table as one huge repeat: not content."""
    table = "".join(_ods_row(r) for r in [HEADER, *ROWS])
    blank = (
        '<table:table-row table:number-rows-repeated="1048571">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    )
    path = _ods(tmp_path / "blank.ods", table + blank)
    rc, out, _, _ = run_capped("check", path, "--plan", PLAN)
    assert rc == 0, out


@pytest.mark.parametrize("command", ["check", "lint"])
def test_plan_file_size_is_checked_before_reading(tmp_path: Path, command: str) -> None:
    """A 2 GB plan was read whole (4.1 GB RSS) before anything refused it."""
    plan = tmp_path / "huge.yaml"
    with plan.open("wb") as fh:  # sparse: 2 GB on paper, nothing on disk
        fh.write(b"id: huge\n")
        fh.truncate(2 * 1024 * 1024 * 1024)
    from .inputs import clean_xlsx

    census = clean_xlsx(tmp_path / "census.xlsx")
    args = ["check", census, "--plan", plan] if command == "check" else ["lint", plan]
    rc, out, peak_mb, _ = run_capped(*args, cap_mb=1500)
    assert rc == 3, out
    assert "huge.yaml: the file is 2048 MB; a plan file is text of at most 16 MB" in out
    assert peak_mb < BOUND_MB, f"peak RSS {peak_mb:.0f} MB"


def _lying_zip(
    path: Path, parts: dict[str, bytes], liar: str, true_data: bytes, shown: int
) -> Path:
    """A zip whose directory gives member `liar` the size and CRC of its first `shown` bytes,
    while its deflate stream holds all of `true_data`."""
    import struct
    import zlib

    def deflated(data: bytes) -> bytes:
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        return c.compress(data) + c.flush()

    out, central = bytearray(), []
    for name, data in parts.items():
        stored = deflated(true_data if name == liar else data)
        size = shown if name == liar else len(data)
        crc = zlib.crc32(true_data[:shown] if name == liar else data)
        raw = name.encode()
        central.append((raw, crc, len(stored), size, len(out)))
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, 8, 0, 0, crc, len(stored),
                           size, len(raw), 0) + raw + stored  # fmt: skip
    start = len(out)
    for raw, crc, csize, size, offset in central:
        out += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, 8, 0, 0, crc, csize,
                           size, len(raw), 0, 0, 0, 0, 0, offset) + raw  # fmt: skip
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central),
                       len(out) - start, start, 0)  # fmt: skip
    path.write_bytes(bytes(out))
    return path


def test_a_member_larger_than_its_directory_says_is_refused_not_inflated(tmp_path: Path) -> None:
    """The zip guard inflates each member only up to the size the directory declares, and
    Python's zipfile checks the CRC of those bytes alone: a directory giving the size and
    CRC of a sheet's first bytes passes it while the stream inflates to 200 MB. calamine
    refuses such a member itself ("larger than its declared uncompressed size"); this holds
    that it stays a clear refusal within the memory bound."""
    import io
    import zipfile

    good = xlsx_parts(tmp_path / "good.xlsx", {"sheet": sheet_xml(_table_rows())})
    with zipfile.ZipFile(io.BytesIO(good.read_bytes())) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    member = next(n for n in parts if n.startswith("xl/worksheets/"))
    sheet = parts[member]
    body = sheet[: sheet.rindex(b"</worksheet>")] + b" " * (200 * 1024 * 1024) + b"</worksheet>"
    path = _lying_zip(tmp_path / "liar.xlsx", parts, member, body, len(sheet))
    assert path.stat().st_size < 1_000_000
    rc, out, peak_mb, _ = run_capped("check", path, "--plan", PLAN, "--lang", "en", cap_mb=1500)
    assert rc == DATA_INVALID, out
    assert "liar.xlsx" in out and not crashed(out), out
    assert peak_mb < BOUND_MB, f"peak RSS {peak_mb:.0f} MB"

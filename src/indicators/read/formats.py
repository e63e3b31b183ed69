"""File -> raw grid per sheet. The format is told by the bytes, not by the file name.

xlsx/xlsm/xls/ods go through python-calamine (it also gives merged ranges for xlsx and xls),
CSV through pyarrow.csv after detecting the encoding (the csv module where pyarrow cannot say
where a short row was), parquet through pyarrow. Every unreadable or hostile file becomes a
DataError naming the file; nothing here writes.

The grid of a workbook sheet holds Python objects; the grid of a CSV or parquet file holds
pandas "str" columns backed by Arrow (numbers as their text, missing cells as NaN), so that a
national census of 600,000 rows is never a grid of 20 million Python objects. Everything
downstream reads both kinds column by column.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import struct
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from indicators.model.errors import DataError
from indicators.read import limits
from indicators.read.zipscan import SheetMarks, scan_zip

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
PARQUET_MAGIC = b"PAR1"
CSV_DELIMITERS = ",\t;|"
NOT_TEXT = "is neither a workbook nor a text table (CSV) in UTF-8 or GBK"
# What zipfile raises for a damaged archive or member (besides RuntimeError for encryption)
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    zlib.error,
    struct.error,
)


@dataclass
class RawSheet:
    """The cells of one sheet as read; grid row i is Excel row row0 + i + 1."""

    name: str | None
    grid: pd.DataFrame  # columns 0..n-1: object cells, or "str" text (CSV, parquet)
    row0: int = 0  # 0-based sheet row of grid row 0
    col0: int = 0  # 0-based sheet column of grid column 0
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1 c1 r2 c2, abs
    marks: SheetMarks = field(default_factory=SheetMarks)
    hidden: bool = False


@dataclass
class RawWorkbook:
    format: str
    sha256: str
    sheets: list[RawSheet]
    encoding: str | None = None
    notes: list[tuple[str, dict]] = field(default_factory=list)  # (issue code, params) to report


def _fail(path: Path, what: str, hint: str | None = None) -> DataError:
    return DataError(f"{path.name}: {what}", hint=hint)


def sniff_format(path: Path, head: bytes) -> str:
    """xlsx | xlsm | xls | ods | csv | parquet, from the first bytes and the zip directory."""
    if not head:
        raise _fail(path, "the file is empty (0 bytes)")
    if head.startswith(PARQUET_MAGIC):
        return "parquet"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.startswith(ZIP_MAGIC):
        return "zip"
    lowered = head[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<html", b"<!doctype html", b"<table")):
        raise _fail(
            path,
            "this is a web page (HTML) saved with a spreadsheet name, not a workbook",
            "open it in Excel or WPS and save it as .xlsx",
        )
    if lowered.startswith(b"<?xml"):
        raise _fail(
            path,
            "this is an XML file (perhaps Excel 2003 XML), not a workbook this tool reads",
            "open it in Excel or WPS and save it as .xlsx",
        )
    if lowered.startswith(b"%pdf"):
        raise _fail(path, "this is a PDF document, not a workbook")
    return "csv"


def _zip_kind(path: Path, archive: zipfile.ZipFile) -> str:
    names = set(archive.namelist())
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        if "xl/workbook.bin" in names:
            raise _fail(path, "this is an .xlsb binary workbook", "save it as .xlsx")
        try:
            types = archive.read("[Content_Types].xml")
        except KeyError:
            types = b""
        return "xlsm" if b"macroEnabled" in types else "xlsx"
    if "content.xml" in names:
        mime = archive.read("mimetype") if "mimetype" in names else b""
        if b"spreadsheet" in mime or not mime:
            return "ods"
        raise _fail(path, f"this is an OpenDocument file of type {mime.decode(errors='replace')}")
    if "word/document.xml" in names:
        raise _fail(path, "this is a Word document (.docx), not a workbook")
    if any(n.startswith("ppt/") for n in names):
        raise _fail(path, "this is a PowerPoint file, not a workbook")
    raise _fail(path, "this is a zip archive, not a workbook")


def _ole_kind(path: Path, data: bytes) -> str:
    # the directory entries can sit anywhere in the file (past the first MB in a large
    # encrypted workbook, which was then called "damaged"): search all of it, in C
    if "EncryptedPackage".encode("utf-16-le") in data or (
        "EncryptionInfo".encode("utf-16-le") in data
    ):
        raise _fail(
            path,
            "the workbook is password-protected (encrypted)",
            "remove the password in Excel or WPS (File > Info > Protect) and send it again",
        )
    if "WordDocument".encode("utf-16-le") in data:
        raise _fail(path, "this is a Word document (.doc), not a workbook")
    return "xls"


def read_raw(path: Path) -> RawWorkbook:
    try:
        with path.open("rb") as fh:  # read-only; the input is never modified
            # the size limit holds before a byte is read (a 9 GB file is refused, not loaded)
            limits.check_file_size(path, os.fstat(fh.fileno()).st_size)
            data = fh.read()
    except IsADirectoryError as exc:
        raise _fail(path, "is a folder, not a file") from exc
    except OSError as exc:
        raise _fail(path, f"cannot be read ({exc.strerror or exc})") from exc
    limits.check_file_size(path, len(data))  # a file that grew while being read
    sha = hashlib.sha256(data).hexdigest()
    kind = sniff_format(path, data[:4096])
    if kind == "parquet":
        return RawWorkbook("parquet", sha, [_read_parquet(path, data)])
    if kind == "csv":
        sheet, encoding = _read_csv(path, data)
        return RawWorkbook("csv", sha, [sheet], encoding=encoding)
    marks: dict[str, SheetMarks] = {}
    if kind == "zip":
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except ZIP_ERRORS as exc:
            raise _fail(
                path,
                "the file is damaged or truncated (not a readable zip archive)",
                "ask the sender for a fresh copy",
            ) from exc
        with archive:
            limits.check_zip_directory(path, archive)
            try:  # reading a member of a damaged zip raises any of ZIP_ERRORS (found by fuzzing)
                kind = _zip_kind(path, archive)
                marks = scan_zip(path, archive, is_xlsx=kind in ("xlsx", "xlsm"))
            except ZIP_ERRORS as exc:
                raise _fail(
                    path, f"the file is damaged ({exc})", "ask the sender for a fresh copy"
                ) from exc
            except RuntimeError as exc:  # a zip member encrypted with a zip password
                raise _fail(path, f"the workbook is password-protected ({exc})") from exc
    else:
        kind = _ole_kind(path, data)
    return RawWorkbook(kind, sha, _read_calamine(path, data, marks))


def _reraise_unless_damage(exc: BaseException) -> None:
    """A damaged file makes calamine raise an Exception, or panic in Rust: pyo3 turns a panic
    into PanicException, a BaseException (found by fuzzing a damaged .xls). Ctrl-C and exit
    pass through."""
    if isinstance(exc, Exception) or type(exc).__name__ == "PanicException":
        return
    raise exc


def _read_calamine(path: Path, data: bytes, marks: dict[str, SheetMarks]) -> list[RawSheet]:
    import python_calamine as pc

    try:
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except pc.PasswordError as exc:
        raise _fail(
            path, "the workbook is password-protected", "remove the password and send it again"
        ) from exc
    except BaseException as exc:  # calamine raises several types for damaged files
        _reraise_unless_damage(exc)
        raise _fail(
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
                raise _fail(path, f"sheet {meta.name!r} cannot be read ({exc})") from exc
            grid = _grid(path, rows, meta.name)
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
        raise _fail(path, "the workbook has no worksheets")
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
        raise _fail(
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


def _grid(path: Path, rows: list[list], sheet: str | None) -> pd.DataFrame:
    width = max((len(r) for r in rows), default=0)
    if width > limits.MAX_COLUMNS.value:
        where = f"sheet {sheet!r}" if sheet else "the file"
        raise limits.MAX_COLUMNS.refuse(path, f"{where} has {width} columns")
    # pad ragged rows (CSV): pandas deprecates building a frame from rows of unequal length
    rows = [r if len(r) == width else [*r, *[None] * (width - len(r))] for r in rows]
    frame = pd.DataFrame(rows, dtype=object) if rows else pd.DataFrame(dtype=object)
    frame.columns = range(frame.shape[1])
    return frame


def decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 with BOM, UTF-8, then GB18030 (a superset of GBK/GB2312).

    A NUL byte, or a file whose first lines are UTF-8 Chinese and a later line is not (rows
    pasted from a GBK file), is refused naming the line: decoding such a file as GB18030
    would garble every UTF-8 name without a word."""
    resave = "open it in Excel or WPS and save it as .xlsx or as CSV (UTF-8)"
    if data.startswith(b"\xef\xbb\xbf"):
        candidates: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ("utf-16",)
    else:
        candidates = ("utf-8", "gb18030")
        nul = data.find(b"\x00")
        if nul >= 0:
            where = f"line {_line_of(data, nul)} holds a NUL byte (\\x00)"
            raise _fail(path, f"{NOT_TEXT}: {where}", resave)
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            if encoding.startswith("utf-8") and max(data[: exc.start], default=0) >= 0x80:
                line = _line_of(data, exc.start)
                raise _fail(
                    path,
                    f"mixes text encodings: the lines before line {line} are UTF-8, line "
                    f"{line} is not (perhaps rows pasted from a GBK file)",
                    resave,
                ) from exc
            continue
        if "\x00" in text:
            break
        return text, encoding
    raise _fail(path, NOT_TEXT, resave)


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _check_quotes(path: Path, text: str, delimiter: str) -> None:
    """Refuse a CSV whose quote is never closed: both parsers would read the rest of the file
    into one cell and count only the rows above it (found by the red team: 9 of 120 rows,
    exit 0). Only called when the file holds an odd number of quote characters."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    while True:
        try:
            next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                raise _fail(
                    path,
                    f"a quoted cell opened on line {start} is never closed, so every line from "
                    "there to the end of the file would be read as one cell",
                    'close the quote (") on that line, or remove it, and save the file again',
                ) from exc
            return  # another strictness complaint (text after a closing quote): not ours
        start = reader.line_num + 1


def _delimiter(sample: str) -> str:
    """The separator that splits most lines of the sample into the same number (> 1) of cells.

    csv.Sniffer gives up on a title line above the table ("武强县社区情况（导出）") and then
    fell back to ",", which the thousands separators of a ';' or tab file ("1,200") seemed to
    confirm; counting consistent rows per candidate reads such exports."""
    lines = sample.splitlines()
    if len(sample) == 65536 and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut short
    best, best_score = ",", 0
    for d in CSV_DELIMITERS:
        try:
            widths = [len(r) for r in csv.reader(lines[:200], delimiter=d) if len(r) > 1]
        except csv.Error:
            continue
        score = max(Counter(widths).values(), default=0)
        if score > best_score:
            best, best_score = d, score
    return best


def _read_csv(path: Path, data: bytes) -> tuple[RawSheet, str]:
    if data.count(b'"') % 2:
        text, _ = decode_text(path, data)
        _check_quotes(path, text, _delimiter(text[:65536]))
    head = _utf8_head(data)
    if head is not None:  # UTF-8 as far as the sample goes: pyarrow checks the rest
        encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
        body = data[3:] if encoding == "utf-8-sig" else data
        grid = _fast_csv(body, head, _delimiter(head))
        if grid is not None:
            return RawSheet(name=None, grid=grid), encoding
    text, encoding = decode_text(path, data)
    delimiter = _delimiter(text[:65536])
    if encoding not in ("utf-8", "utf-8-sig"):  # GBK: pyarrow reads UTF-8
        grid = _fast_csv(text.encode("utf-8"), text[:65536], delimiter)
        if grid is not None:
            return RawSheet(name=None, grid=grid), encoding
    limit = min(int(limits.MAX_CELL_CHARS.value), 2**31 - 1)  # a C long on Windows
    csv.field_size_limit(limit)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        if "field larger" in str(exc):
            raise limits.MAX_CELL_CHARS.refuse(path, "a cell holds too much text") from exc
        raise _fail(path, f"is not a readable CSV table ({exc})") from exc
    return RawSheet(name=None, grid=_grid(path, rows, None)), encoding


def _utf8_head(data: bytes) -> str | None:
    """The first 65,536 characters when the file starts as UTF-8 (what decode_text would
    give for it), without decoding the whole file; None when it does not (or has NULs)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        return None
    sample = data[: 4 * 65536 + 4]
    codec = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        text = codecs.getincrementaldecoder(codec)().decode(sample, final=len(sample) == len(data))
    except UnicodeDecodeError:
        return None
    return text[:65536]


def _fast_csv(body: bytes, sample: str, delimiter: str) -> pd.DataFrame | None:
    """The CSV (UTF-8 bytes) as Arrow text columns through pyarrow.csv (20x the csv module),
    or None when the csv module must read it: a row wider than the first 200, a short row
    (title, notes) in a file with quoted cells (pyarrow skips short rows without saying where
    they were), a cell over the size limit (the csv module reports it), or bytes that are not
    UTF-8 after all (decode_text then tries GB18030)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    lines = sample.splitlines()[:200]
    width = max((len(r) for r in csv.reader(lines, delimiter=delimiter)), default=0)
    if width < 2 or width > limits.MAX_COLUMNS.value:
        return None
    short: list[str] = []

    def invalid(row) -> str:
        if row.actual_columns > width:
            raise _Wider
        short.append(row.text)
        return "skip"

    names = [str(i) for i in range(width)]
    try:
        table = pacsv.read_csv(
            pa.BufferReader(body),
            read_options=pacsv.ReadOptions(column_names=names, block_size=16 << 20),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=invalid,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except _Wider:
        return None
    except (pa.ArrowInvalid, pa.ArrowException, ValueError):
        return None
    limit = limits.MAX_CELL_CHARS.value
    for column in table.columns:
        if len(column) and (pc.max(pc.utf8_length(column)).as_py() or 0) > limit:
            return None
    if short:
        table = _insert_short_rows(body, table, short, delimiter, width)
        if table is None:
            return None
    frame = table.to_pandas()
    frame.columns = range(width)
    return frame


class _Wider(Exception):
    """A row with more cells than the first rows: the csv module reads the file."""


def _insert_short_rows(body: bytes, table, short: list[str], delimiter: str, width: int):
    """Put back the rows pyarrow skipped for having fewer cells (a title, notes), where they
    were. Without quotes in the file every line is one row, so a short row's place is its
    line number; the lines with fewer delimiters must be exactly the rows pyarrow skipped."""
    import numpy as np
    import pyarrow as pa

    if b'"' in body:
        return None
    raw = np.frombuffer(body, dtype=np.uint8)
    ends = np.flatnonzero(raw == 10)
    if not len(ends) or ends[-1] != len(raw) - 1:
        ends = np.append(ends, len(raw))
    starts = np.concatenate(([0], ends[:-1] + 1))
    delims = np.flatnonzero(raw == ord(delimiter))
    per_line = np.searchsorted(delims, ends) - np.searchsorted(delims, starts)
    lengths = ends - starts
    crlf = (lengths > 0) & (raw[np.maximum(ends - 1, 0)] == 13) & (ends < len(raw))
    empty = (lengths - crlf) == 0
    odd = np.flatnonzero((per_line != width - 1) & ~empty)
    if len(odd) != len(short):
        return None
    lines = [body[starts[i] : ends[i]].decode("utf-8").rstrip("\r") for i in odd.tolist()]
    # the handler is called from parallel parse blocks: compare as multisets, not in order
    if Counter(lines) != Counter(t.rstrip("\r") for t in short):
        return None
    rows = []
    for got in lines:
        cells = next(csv.reader([got], delimiter=delimiter), [])
        rows.append(cells + [""] * (width - len(cells)))  # a missing cell reads as ""
    # line i of the file is row i of the grid; the valid rows fill the other places
    total = table.num_rows + len(rows)
    if total != len(lengths) - int(empty[-1] and lengths[-1] == 0):
        return None
    place = np.full(total, -1, dtype=np.int64)
    place[odd] = np.arange(len(rows))
    keep = place < 0
    order = np.empty(total, dtype=np.int64)
    order[keep] = np.arange(table.num_rows)
    order[~keep] = table.num_rows + place[~keep]
    extra = pa.table(
        {
            name: pa.array([r[i] for r in rows], pa.large_string())
            for i, name in enumerate(table.column_names)
        }
    )
    return pa.concat_tables([table, extra]).take(pa.array(order))


def _read_parquet(path: Path, data: bytes) -> RawSheet:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:  # the row and column counts are in the footer: check them before reading a row
        meta = pq.ParquetFile(pa.BufferReader(data)).metadata
        rows, columns = meta.num_rows, meta.num_columns
    except Exception as exc:
        raise _fail(path, f"the parquet file cannot be read ({exc})") from exc
    if columns > limits.MAX_COLUMNS.value:
        raise limits.MAX_COLUMNS.refuse(path, f"the file has {columns} columns")
    if rows > limits.MAX_ROWS.value:
        raise limits.MAX_ROWS.refuse(path, f"the file has {rows} rows")
    if rows * max(columns, 1) > limits.MAX_CELLS.value:
        raise limits.MAX_CELLS.refuse(path, f"the file has {rows} rows x {columns} columns")
    try:
        table = pq.read_table(pa.BufferReader(data))
    except Exception as exc:
        raise _fail(path, f"the parquet file cannot be read ({exc})") from exc
    if table.num_columns > limits.MAX_COLUMNS.value:
        raise limits.MAX_COLUMNS.refuse(path, f"the file has {table.num_columns} columns")
    try:  # the pandas metadata in the schema is JSON that can be damaged (found by fuzzing):
        table.slice(0, 0).to_pandas()  # read it as pandas would, on no rows
        grid = _parquet_grid(table)
    except Exception as exc:
        raise _fail(path, f"the parquet file cannot be read, it seems damaged ({exc})") from exc
    return RawSheet(name=None, grid=grid)


def _parquet_grid(table) -> pd.DataFrame:
    """Row 0 the column names, below them every cell as text ("" where null): numbers and
    text are cast by Arrow, column by column, without a Python object per cell. Columns of
    other types (booleans, dates) are kept as Python objects, as a workbook gives them."""
    import pyarrow as pa
    import pyarrow.compute as pc

    names = [str(n) for n in table.column_names]
    texts, objects = {}, {}
    for i, column in enumerate(table.columns):
        kind = column.type
        if pa.types.is_dictionary(kind):
            column, kind = column.cast(kind.value_type), kind.value_type
        if pa.types.is_string(kind) or pa.types.is_large_string(kind):
            cells = column.cast(pa.large_string())
        elif pa.types.is_integer(kind) or pa.types.is_floating(kind):
            cells = column.cast(pa.large_string())
            if pa.types.is_floating(kind):  # NaN is a missing cell, as null is
                cells = pc.if_else(pc.is_nan(column), None, cells)
        else:
            values = column.to_pylist()
            objects[i] = [names[i], *("" if _null(v) else v for v in values)]
            continue
        cells = pc.fill_null(cells, "")
        texts[str(i)] = pa.chunked_array([pa.array([names[i]], pa.large_string()), *cells.chunks])
    frame = pa.table(texts).to_pandas() if texts else pd.DataFrame(index=range(table.num_rows + 1))
    frame.columns = [int(c) for c in frame.columns]
    for i, values in objects.items():
        frame[i] = pd.Series(values, dtype=object)
    return frame[list(range(len(names)))] if names else pd.DataFrame(dtype=object)


def _null(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)

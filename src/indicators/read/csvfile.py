"""CSV files -> one RawSheet of Arrow text columns.

The encoding is detected (UTF-8 with or without BOM, then GB18030), the separator counted, an
unclosed quote refused naming its line; pyarrow.csv reads the body (20x the csv module), the
csv module where pyarrow cannot say where a short row was.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from pathlib import Path

import pandas as pd

from indicators.model.errors import said
from indicators.read import limits
from indicators.read.failure import fail
from indicators.read.raw import RawSheet, grid_from_rows

CSV_DELIMITERS = ",\t;|"


def decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 with BOM, UTF-8, then GB18030 (a superset of GBK/GB2312).

    A NUL byte, or a file whose first lines are UTF-8 Chinese and a later line is not (rows
    pasted from a GBK file), is refused naming the line: decoding such a file as GB18030
    would garble every UTF-8 name without a word."""
    resave = said("read.hint.resave_csv")
    if data.startswith(b"\xef\xbb\xbf"):
        candidates: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ("utf-16",)
    else:
        candidates = ("utf-8", "gb18030")
        nul = data.find(b"\x00")
        if nul >= 0:
            raise fail(path, said("read.not_text_nul", line=_line_of(data, nul)), resave)
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            if encoding.startswith("utf-8") and max(data[: exc.start], default=0) >= 0x80:
                line = _line_of(data, exc.start)
                raise fail(
                    path,
                    said("read.mixed_encoding", line=line),
                    resave,
                ) from exc
            continue
        if "\x00" in text:
            break
        return text, encoding
    raise fail(path, said("read.not_text"), resave)


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
                raise fail(
                    path,
                    said("read.open_quote", line=start),
                    said("read.hint.close_quote"),
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


def read_csv(path: Path, data: bytes) -> tuple[RawSheet, str]:
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
            raise limits.MAX_CELL_CHARS.refuse(path, said("read.found.cell_text")) from exc
        raise fail(path, said("read.bad_csv", reason=str(exc))) from exc
    return RawSheet(name=None, grid=grid_from_rows(path, rows, None)), encoding


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
        # a row wider than the first rows stops pyarrow ("error": it raises ArrowInvalid);
        # an exception raised in here escaped as an unraisable one from pyarrow's threads
        if row.actual_columns > width:
            return "error"
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

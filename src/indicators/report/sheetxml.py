"""Column-typed bulk rows for the big sheets of the gap workbook.

xlsxwriter costs 10-15 µs a cell (a Python call, a namedtuple, a row flush and an f-string per
cell); a national census has tens of millions of cells. So the big sheets (Communities,
Streets, Districts, Shortfalls) have only their headers, widths, panes, filters and print set-up
written by xlsxwriter; their data rows are registered here as columns (numbers as float arrays,
texts as object arrays, a format per column or per row) and spliced into the closed workbook's
sheet XML, a chunk of rows at a time, in the same form xlsxwriter's constant_memory mode writes:
numbers as `<v>`, every text as an inline string (`t="inlineStr"`, never a formula), a missing
number as a blank cell that keeps its format. Each distinct text is escaped once.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from indicators.compat import escape_control_characters, preserve_whitespace, xf_index
from indicators.files import scratch_file

CHUNK_ROWS = 5_000
ROW = "\x01"  # stands for the row number (control characters in texts are escaped)
STRMAX = 32_767
_XML = re.compile(r"[&<>]")


@dataclass
class Column:
    """One column of a chunk of rows.

    kind "num": `values` float64, NaN written as a blank cell carrying the format (as
    xlsxwriter's write_blank with a format does); `present` (bool) False writes no cell at all.
    kind "str": `values` object array of str; None writes no cell.
    `fmt`: one xlsxwriter Format for the column, or an object array of Formats (or None) per row.
    """

    col: int
    kind: str
    values: np.ndarray
    fmt: object = None
    present: np.ndarray | None = None


@dataclass
class Body:
    """Data rows of one worksheet: `chunks(start, stop)` returns the columns of rows
    start..stop-1 (0-based within the body), written from sheet row `first_row`."""

    ws: Worksheet
    first_row: int
    n_rows: int
    last_col: int
    chunks: Callable[[int, int], list[Column]]
    formats: list = field(default_factory=list)


class Bodies:
    """The bodies of one workbook, spliced in after xlsxwriter has closed it."""

    def __init__(self) -> None:
        self.items: list[Body] = []

    def add(self, body: Body) -> None:
        # every format a body may use needs an xf index before the workbook is closed
        for f in body.formats:
            if f is not None:
                xf_index(f)
        self.items.append(body)

    def splice(self, path: Path) -> None:
        """Rewrite the closed workbook at `path` with every body's rows in place."""
        if not self.items:
            return
        by_name = {f"xl/worksheets/sheet{b.ws.index + 1}.xml": b for b in self.items}
        with scratch_file(path.parent, ".splice.", ".xlsx") as tmp:
            with (
                zipfile.ZipFile(path) as src,
                zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst,
            ):
                for info in src.infolist():
                    body = by_name.get(info.filename)
                    if body is None:
                        dst.writestr(info, src.read(info.filename), compresslevel=6)
                        continue
                    xml = src.read(info.filename).decode("utf-8")
                    _write_sheet(dst, info, xml, body)
            shutil.move(tmp, path)


def _write_sheet(dst: zipfile.ZipFile, info: zipfile.ZipInfo, xml: str, body: Body) -> None:
    end = xml.rindex("</sheetData>")
    head, tail = xml[:end], xml[end:]
    if head.endswith("<sheetData/>"):  # pragma: no cover - headers are always written
        head, tail = head[: -len("<sheetData/>")] + "<sheetData>", tail
    last_row = body.first_row + body.n_rows - 1
    if body.n_rows:
        ref = f"A1:{xl_col_to_name(body.last_col)}{last_row + 1}"
        head = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>', head, count=1)
    zinfo = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    zinfo.compress_type = zipfile.ZIP_DEFLATED
    # level 1: these sheets are large and repetitive; the attribute is renamed in 3.13
    level = "compress_level" if hasattr(zipfile.ZipInfo, "compress_level") else "_compresslevel"
    setattr(zinfo, level, 1)
    # zlib and crc32 release the GIL: compress one chunk while the next is being built.
    # The pool is left first: on Ctrl-C or SIGTERM its last write ends before the member is
    # closed, never while the closing flushes the same stream.
    with dst.open(zinfo, "w", force_zip64=True) as fh, ThreadPoolExecutor(1) as pool:
        fh.write(head.encode("utf-8"))
        pending = None
        for text in _rows(body):
            data = text.encode("utf-8")
            if pending is not None:
                pending.result()
            pending = pool.submit(fh.write, data)
        if pending is not None:
            pending.result()
        fh.write(tail.encode("utf-8"))


def _rows(body: Body) -> Iterator[str]:
    """Row XML, a chunk at a time. Each distinct cell of a column (format, value) is built
    once with ROW standing for its row number; a row is joined, then its number put in."""
    cache: dict[str, str] = {}
    for start in range(0, body.n_rows, CHUNK_ROWS):
        stop = min(body.n_rows, start + CHUNK_ROWS)
        numbers = [str(r) for r in range(body.first_row + start + 1, body.first_row + stop + 1)]
        cells = [_cells(c, cache).tolist() for c in body.chunks(start, stop)]
        head = f'<row r="{ROW}">'
        yield "".join(
            (head + "".join(parts) + "</row>").replace(ROW, r)
            for r, parts in zip(numbers, zip(*cells, strict=True), strict=True)
        )


def _xf(fmt) -> str:
    """The end of the cell reference and the style attribute: '" s="5"'."""
    return f'" s="{xf_index(fmt)}"' if fmt is not None else '"'


def _escaped(text: str, cache: dict[str, str]) -> str:
    out = cache.get(text)
    if out is not None:
        return out
    s = text if len(text) <= STRMAX else text[:STRMAX]
    s = escape_control_characters(s)
    if _XML.search(s):
        s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    space = ' xml:space="preserve"' if preserve_whitespace(s) else ""
    out = f' t="inlineStr"><is><t{space}>{s}</t></is></c>'
    if len(cache) < 200_000:
        cache[text] = out
    return out


def _cells(c: Column, cache: dict[str, str]) -> np.ndarray:
    """One column's cells (object array of XML, '' where a row has no cell)."""
    pre = f'<c r="{xl_col_to_name(c.col)}{ROW}'
    if c.kind == "num":
        vals = np.asarray(c.values, dtype="float64")
        vals = np.where(np.isfinite(vals), vals, np.nan)  # inf is written blank, as NaN
        codes, uniques = pd.factorize(vals, use_na_sentinel=True)
        tails = [f"><v>{v:.16G}</v></c>" for v in uniques.tolist()] + ["/>"]
        here = np.ones(len(vals), dtype=bool) if c.present is None else np.asarray(c.present, bool)
        if c.fmt is None:  # a blank without a format is no cell (as xlsxwriter's write_blank)
            here = here & (codes >= 0)
    else:
        codes, uniques = pd.factorize(pd.Series(c.values, dtype=object), use_na_sentinel=True)
        tails = [_escaped(str(v), cache) for v in uniques.tolist()] + [""]
        here = codes >= 0
    codes = np.where(codes < 0, len(tails) - 1, codes)
    if isinstance(c.fmt, np.ndarray):
        f_codes, f_uniques = pd.factorize(pd.Series(c.fmt, dtype=object), use_na_sentinel=False)
        attrs = [_xf(f if f is not None and f == f else None) for f in f_uniques.tolist()]
        both, firsts = pd.factorize(f_codes.astype(np.int64) * len(tails) + codes)
        texts = [pre + attrs[k // len(tails)] + tails[k % len(tails)] for k in firsts.tolist()]
        out = np.asarray(texts, dtype=object)[both]
    else:
        attr = _xf(c.fmt)
        out = np.asarray([pre + attr + x for x in tails], dtype=object)[codes]
    out[~here] = ""
    return out

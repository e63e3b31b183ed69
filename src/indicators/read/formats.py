"""File -> raw grid per sheet. The format is told by the bytes, not by the file name.

The first stage (fetch.py: the bytes, the format told by sniff.py, the zip guards) hands the
bytes to the reader of that format: workbook.py (xlsx/xlsm/xls/ods through python-calamine,
which also gives merged ranges for xlsx and xls), csvfile.py (pyarrow.csv after detecting the encoding), parquetfile.py (pyarrow). Every
unreadable or hostile file becomes a DataError naming the file; nothing here writes.

The grid of a workbook sheet holds Python objects; the grid of a CSV or parquet file holds
pandas "str" columns backed by Arrow (numbers as their text, missing cells as NaN), so that a
national census of 600,000 rows is never a grid of 20 million Python objects. Everything
downstream reads both kinds column by column.
"""

from __future__ import annotations

from pathlib import Path

from indicators.read.csvfile import read_csv
from indicators.read.fetch import Fetched, fetch
from indicators.read.parquetfile import read_parquet
from indicators.read.raw import RawSheet, RawWorkbook
from indicators.read.sniff import sniff_format
from indicators.read.workbook import read_workbook

__all__ = ["RawSheet", "RawWorkbook", "read_raw", "sniff_format"]


def read_raw(path: Path, fetched: Fetched | None = None) -> RawWorkbook:
    """The raw sheets of a file. `fetched`: its first stage (read/fetch.py), when it was run
    ahead on a thread; else it runs here."""
    f = fetched if fetched is not None else fetch(path)
    if f.kind == "parquet":
        return RawWorkbook("parquet", f.sha256, [read_parquet(path, f.data)])
    if f.kind == "csv":
        sheet, encoding = read_csv(path, f.data)
        return RawWorkbook("csv", f.sha256, [sheet], encoding=encoding)
    return RawWorkbook(f.kind, f.sha256, read_workbook(path, f.data, f.marks, f.cells))

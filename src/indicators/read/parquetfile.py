"""Parquet files -> one RawSheet: the column names as row 0, the cells below as the file
types them: numbers as float64, text as Arrow text.

Numbers stay numbers: a column of integers or floats becomes a float64 grid column (its name
in `RawSheet.names`, NaN in row 0), read by the row reader without a trip through text.
Integers beyond 2**53, which float64 cannot hold exactly, are given as text as before (and
then refused as too large, with the digits as written). The row and column counts are
checked from the footer before a row is read.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from indicators.model.errors import said
from indicators.read import limits
from indicators.read.failure import fail
from indicators.read.raw import RawSheet


def read_parquet(path: Path, data: bytes) -> RawSheet:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:  # the row and column counts are in the footer: check them before reading a row
        meta = pq.ParquetFile(pa.BufferReader(data)).metadata
        rows, columns = meta.num_rows, meta.num_columns
    except Exception as exc:
        raise fail(path, said("read.parquet_unreadable", reason=str(exc))) from exc
    if columns > limits.MAX_COLUMNS.value:
        raise limits.MAX_COLUMNS.refuse(path, said("read.found.file_columns", cols=columns))
    if rows > limits.MAX_ROWS.value:
        raise limits.MAX_ROWS.refuse(path, said("read.found.file_rows", rows=rows))
    if rows * max(columns, 1) > limits.MAX_CELLS.value:
        raise limits.MAX_CELLS.refuse(path, said("read.found.file_cells", rows=rows, cols=columns))
    try:
        table = pq.read_table(pa.BufferReader(data))
    except Exception as exc:
        raise fail(path, said("read.parquet_unreadable", reason=str(exc))) from exc
    if table.num_columns > limits.MAX_COLUMNS.value:
        raise limits.MAX_COLUMNS.refuse(
            path, said("read.found.file_columns", cols=table.num_columns)
        )
    try:  # the pandas metadata in the schema is JSON that can be damaged (found by fuzzing):
        table.slice(0, 0).to_pandas()  # read it as pandas would, on no rows
        grid, names = _parquet_grid(table)
    except _NotUtf8 as bad:
        where = said("read.parquet_not_utf8", column=bad.column, record=bad.record)
        raise fail(path, where, said("read.hint.fresh_copy")) from None
    except Exception as exc:
        raise fail(path, said("read.parquet_damaged", reason=str(exc))) from exc
    return RawSheet(name=None, grid=grid, names=names)


EXACT_INT = 2**53  # the integers float64 holds exactly: |n| <= 2**53


def _parquet_grid(table) -> tuple[pd.DataFrame, dict[int, str]]:
    """(grid, names of its typed columns). Row 0 the column names; below them numbers as
    float64 (NaN where null or NaN) and text as Arrow text ("" where null), column by column
    without a Python object per cell. Columns of other types (booleans, dates, decimals) are
    kept as Python objects, as a workbook gives them."""
    import pyarrow as pa
    import pyarrow.compute as pc

    names = [str(n) for n in table.column_names]
    texts, numbers, objects = {}, {}, {}
    for i, column in enumerate(table.columns):
        kind = column.type
        if pa.types.is_dictionary(kind):
            column, kind = column.cast(kind.value_type), kind.value_type
        if pa.types.is_floating(kind) or (pa.types.is_integer(kind) and _exact(column)):
            values = column.cast(pa.float64(), safe=False).to_numpy(zero_copy_only=False)
            numbers[i] = np.concatenate([[np.nan], values.astype(np.float64, copy=False)])
            continue
        # text, and integers beyond 2**53 (the digits as written)
        if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_integer(kind):
            cells = column.cast(pa.large_string())
            _check_utf8(cells, names[i])
        else:
            values = column.to_pylist()
            objects[i] = [names[i], *("" if _null(v) else v for v in values)]
            continue
        cells = pc.fill_null(cells, "")
        texts[str(i)] = pa.chunked_array([pa.array([names[i]], pa.large_string()), *cells.chunks])
    frame = pa.table(texts).to_pandas() if texts else pd.DataFrame(index=range(table.num_rows + 1))
    frame.columns = [int(c) for c in frame.columns]
    for i, values in numbers.items():
        frame[i] = values
    for i, values in objects.items():
        frame[i] = pd.Series(values, dtype=object)
    if not names:
        return pd.DataFrame(dtype=object), {}
    return frame[list(range(len(names)))], {i: names[i] for i in numbers}


class _NotUtf8(Exception):
    def __init__(self, column: str, record: int) -> None:
        self.column, self.record = column, record


def _check_utf8(cells, name: str) -> None:
    """Text that is not UTF-8 (a damaged or hand-made file) fails inside pandas with an
    internal error; name the column and the first such record instead (1-based)."""
    import pyarrow as pa

    offset = 0
    for chunk in cells.chunks:
        try:
            chunk.validate(full=True)
        except pa.ArrowInvalid:
            raw = chunk.cast(pa.large_binary()).to_pylist()
            for j, value in enumerate(raw):
                try:
                    (value or b"").decode("utf-8")
                except UnicodeDecodeError:
                    raise _NotUtf8(name, offset + j + 1) from None
            raise _NotUtf8(name, offset + 1) from None
        offset += len(chunk)


def _exact(column) -> bool:
    """Whether every integer of the column is one float64 holds exactly."""
    import pyarrow.compute as pc

    bounds = pc.min_max(column)
    low, high = bounds["min"].as_py(), bounds["max"].as_py()
    return low is None or (low >= -EXACT_INT and high <= EXACT_INT)


def _null(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)

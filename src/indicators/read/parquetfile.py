"""Parquet files -> one RawSheet: the column names as row 0, every cell below as text.

The row and column counts are checked from the footer before a row is read.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from indicators.model.errors import said
from indicators.read import limits
from indicators.read.raw import RawSheet, fail


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
        grid = _parquet_grid(table)
    except Exception as exc:
        raise fail(path, said("read.parquet_damaged", reason=str(exc))) from exc
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

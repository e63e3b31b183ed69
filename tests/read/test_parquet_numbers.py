"""Parquet numbers are read as numbers (no trip through text), to the same values and the
same findings as reading their text gives: the text path is the oracle here."""

from __future__ import annotations

import decimal
import math
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from indicators.read.parquetfile import read_parquet

from .census_files import read

BIG = 2**53  # float64 holds every integer up to here exactly
LARGEST = 999_999_999_999_999  # below values.MAX_MAGNITUDE
NAMES = ["甲社区", "乙社区", "丙村", "丁村", "小计", "戊社区", "己社区"]
N = len(NAMES)


def _table() -> pa.Table:
    return pa.table(
        {
            "统计用区划代码": pa.array([130102001001 + i for i in range(N)], pa.int64()),
            "区县": ["A区"] * N,
            "街道": ["一街道"] * N,
            "社区": NAMES,
            "统计年度": pa.array([2023, 2023, None, 2023, None, 2023.0, 2023], pa.float64()),
            # a null, a negative count, a total row, the largest count a census may hold
            "户数": pa.array([1200, None, -5, 800, 1995, 3, LARGEST], pa.int64()),
            "常住人口": pa.array([3500.0, math.nan, 2100.5, None, 5600.5, 1e20, math.inf]),
            "社区综合服务设施面积": pa.array([0.1, 1e-7, 2.5, -0.0, 3.1e-7, 400.25, 1.0]),
            "是否有综合服务设施": pa.array([1, 0, 1, None, 1, 1, 0], pa.int8()),
            # beyond 2**53: kept as the digits written, refused as too large
            "社区工作者人数": pa.array([12, BIG + 1, 9, 3, 24, -(2**63), 2**63 - 1], pa.int64()),
            "注册志愿者人数": pa.array(
                [decimal.Decimal(v) for v in ("12.50", "3", "0.1", "7", "23.6", "1", "2")],
                pa.decimal128(10, 2),
            ),
        }
    )


def _as_text(table: pa.Table) -> pa.Table:
    """The same table with every number column written as Arrow text (NaN as null): what the
    reader made of it before numbers stayed numbers."""
    out = {}
    for name, column in zip(table.column_names, table.columns, strict=True):
        kind = column.type
        if pa.types.is_integer(kind) or pa.types.is_floating(kind):
            text = column.cast(pa.string())
            if pa.types.is_floating(kind):
                text = pc.if_else(pc.is_nan(column), None, text)
            column = text
        out[name] = column
    return pa.table(out)


def _findings(census) -> list[tuple]:
    return [(i.code, i.severity, i.cell, i.value, i.expected) for i in census.issues]


def test_numbers_read_as_numbers_match_their_text(tmp_path: Path) -> None:
    typed, text = tmp_path / "typed.parquet", tmp_path / "text.parquet"
    pq.write_table(_table(), typed)
    pq.write_table(_as_text(_table()), text)
    a, b = read(typed), read(text)
    pd.testing.assert_frame_equal(a.frame, b.frame, check_exact=True)
    assert _findings(a) == _findings(b)
    assert a.excluded_rows == b.excluded_rows
    assert [e.kind for e in a.excluded_rows] == ["subtotal"]
    f = a.frame
    assert f["community"].tolist() == [n for n in NAMES if n != "小计"]
    assert f["households"].tolist()[3:] == [800.0, 3.0, float(LARGEST)]
    assert math.isnan(f["households"][1]) and f["households"][2] == -5.0  # null; negative
    assert f["facility_area"].tolist()[:3] == [0.1, 1e-7, 2.5]
    assert f["code"].tolist()[0] == "130102001001"
    assert f["census_year"].tolist()[0] == 2023.0
    found = {(code, cell): value for code, _, cell, value, _ in _findings(a)}
    assert found[("missing-value", "F3")] == ""  # a null integer: an empty cell, not "nan"
    assert found[("negative-value", "F4")] == "-5"
    assert found[("number-too-large", "J3")] == str(BIG + 1)  # the digits as written
    assert found[("number-too-large", "G7")] == "1e+20"
    assert f["has_service_facility"].tolist()[:3] == [1.0, 0.0, 1.0]
    assert found[("missing-value", "I5")] == ""


def test_only_exact_integers_become_float_columns(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    pq.write_table(_table(), path)
    sheet = read_parquet(path, path.read_bytes())
    grid = sheet.grid
    assert sheet.names[5] == "户数" and sheet.names[6] == "常住人口"
    assert grid[5].dtype == "float64" and grid[6].dtype == "float64"
    assert grid[5].tolist()[4:] == [800.0, 1995.0, 3.0, float(LARGEST)]
    assert 9 not in sheet.names and grid[9].tolist()[2] == str(BIG + 1)  # beyond 2**53: text
    assert 10 not in sheet.names and grid[10].dtype == object  # decimals: objects, as before
    assert sheet.names[0] == "统计用区划代码" and grid[5].isna().tolist()[:3] == [
        True,  # row 0: the name lives in sheet.names
        False,
        True,  # null
    ]

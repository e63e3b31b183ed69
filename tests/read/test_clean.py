"""A clean single-header sheet reads into the canonical frame, in every format."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from .census_files import HEADER, ROWS, read


def test_clean_xlsx_frame(clean_xlsx: Path) -> None:
    census = read(clean_xlsx)
    f = census.frame
    assert list(f["community"]) == ["甲社区", "乙社区", "丙村"]
    assert list(f["households"]) == [1200.0, 1300.0, 800.0]
    assert list(f["has_service_facility"]) == [1.0, 0.0, 1.0]
    assert f["facility_area"].dtype == np.float64
    assert census.errors == []
    assert census.row_origin == [("社区基本情况", 2), ("社区基本情况", 3), ("社区基本情况", 4)]
    assert census.field_columns[("社区基本情况", "households")] == "D"
    assert census.locate(1, "population") == ("社区基本情况", "E3")
    assert census.source.format == "xlsx"
    assert len(census.source.sha256) == 64


def test_clean_csv_utf8(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([HEADER, *ROWS])
    census = read(path)
    assert census.source.encoding == "utf-8"
    assert list(census.frame["population"]) == [3500.0, 3600.0, 2100.0]
    assert census.locate(0, "households") == (None, "D2")

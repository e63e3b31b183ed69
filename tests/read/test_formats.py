"""Every format reads to the same frame: xlsx, xlsm, xls, ods, csv (UTF-8, BOM, GBK), parquet."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from .census_files import FIXTURES, HEADER, ROWS, read, write_xlsx

EXPECTED = [1200.0, 1300.0, 800.0]


def write_csv(path: Path, encoding: str, delimiter: str = ",") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows([HEADER, *ROWS])
    return path


@pytest.mark.parametrize(
    ("encoding", "recorded"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030")],
)
def test_csv_encodings(tmp_path: Path, encoding: str, recorded: str) -> None:
    census = read(write_csv(tmp_path / "c.csv", encoding))
    assert census.source.encoding == recorded
    assert list(census.frame["community"]) == ["甲社区", "乙社区", "丙村"]
    assert list(census.frame["households"]) == EXPECTED


def test_gbk_csv_is_really_not_utf8(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "gbk.csv", "gbk")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    assert any(i.code == "csv-encoding" for i in read(path).issues)


def test_tab_separated(tmp_path: Path) -> None:
    census = read(write_csv(tmp_path / "t.csv", "utf-8", "\t"))
    assert list(census.frame["households"]) == EXPECTED


def test_xlsm(tmp_path: Path) -> None:
    src = write_xlsx(tmp_path / "a.xlsx", [HEADER, *ROWS])
    path = tmp_path / "macro.xlsm"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml")
            zout.writestr(item, data)
    census = read(path)
    assert census.source.format == "xlsm"
    assert list(census.frame["households"]) == EXPECTED


def test_ods(tmp_path: Path) -> None:
    path = tmp_path / "c.ods"
    pd.DataFrame(ROWS, columns=HEADER).to_excel(path, engine="odf", index=False, sheet_name="表1")
    census = read(path)
    assert census.source.format == "ods"
    assert list(census.frame["households"]) == EXPECTED
    assert census.locate(2, "population") == ("表1", "E4")


def test_parquet(tmp_path: Path) -> None:
    path = tmp_path / "c.parquet"
    pd.DataFrame(ROWS, columns=HEADER).to_parquet(path)
    census = read(path)
    assert census.source.format == "parquet"
    assert list(census.frame["households"]) == EXPECTED
    assert list(census.frame["has_service_facility"]) == [1.0, 0.0, 1.0]


def test_xls_fixture_made_by_libreoffice() -> None:
    census = read(FIXTURES / "messy.xls")
    assert census.source.format == "xls"
    f = census.frame
    assert list(f["community"]) == ["甲社区", "乙社区", "丙村"]
    assert list(f["street"]) == ["一街道", "一街道", "二街道"]
    assert list(f["households"]) == EXPECTED
    assert list(f["population"]) == [3500.0, 3600.0, 2100.0]
    assert list(f["facility_area"]) == [400.5, 500.0, 120.0]
    assert list(f["has_service_facility"]) == [1.0, 0.0, 1.0]
    assert census.errors == []
    assert not [i for i in census.issues if i.code == "total-mismatch"]
    kinds = [(e.row, e.kind) for e in census.excluded_rows]
    assert kinds == [
        (7, "subtotal"),
        (9, "subtotal"),
        (10, "total"),
        (11, "blank"),
        (12, "note"),
        (13, "note"),
    ]


def test_extension_disagrees_with_content(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "really_csv.xlsx", "utf-8")
    census = read(path)
    assert census.source.format == "csv"
    assert any(i.code == "format-mismatch" for i in census.issues)

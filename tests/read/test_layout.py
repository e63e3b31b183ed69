"""Layouts: titles, merged two-row headers, units, row classes, identity, sheets, --map."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from indicators.read import load_mapping_file

from .census_files import FIXTURES, HEADER, ROWS, codes, read, write_xlsx


def messy_xlsx(tmp_path: Path) -> Path:
    from .fixtures.make_xls import build

    path = tmp_path / "messy.xlsx"
    build(str(path))
    return path


def test_messy_workbook_equals_clean(tmp_path: Path, clean_xlsx: Path) -> None:
    messy = read(messy_xlsx(tmp_path))
    clean = read(clean_xlsx)
    pd.testing.assert_frame_equal(messy.frame, clean.frame)
    assert messy.errors == []
    units = {c.field: (c.unit, c.scale) for c in messy.columns if c.field}
    assert units["population"] == ("万人", 10000.0)
    assert units["facility_area"] == ("m2", 1.0)
    ignored = [c.header for c in messy.columns if c.field is None]
    assert ignored == ["备注"]


def test_row_classes_listed(tmp_path: Path) -> None:
    census = read(messy_xlsx(tmp_path))
    assert [(e.row, e.kind) for e in census.excluded_rows] == [
        (7, "subtotal"),
        (9, "subtotal"),
        (10, "total"),
        (11, "blank"),
        (12, "note"),
        (13, "note"),
    ]
    assert census.row_origin == [("A区", 5), ("A区", 6), ("A区", 8)]
    assert "filled-down" in codes(census, "info")


def test_total_mismatch_names_the_cell(tmp_path: Path) -> None:
    path = messy_xlsx(tmp_path)
    wb = openpyxl.load_workbook(path)
    wb.active["D10"] = 3301  # total households: the communities add up to 3300
    wb.active["F7"] = 999  # subtotal area of 一街道: 400.5 + 500 = 900.5
    wb.save(path)
    mismatches = [i for i in read(path).issues if i.code == "total-mismatch"]
    assert sorted((i.cell, i.value, i.expected) for i in mismatches) == [
        ("D10", "3301", "3,300"),
        ("F7", "999", "900.50"),
    ]
    assert all(i.severity.value == "warning" for i in mismatches)


def test_total_row_above_the_communities(tmp_path: Path) -> None:
    rows = [HEADER, ["合计", None, None, 3300, 9200, 1020.5, None], *ROWS]
    census = read(write_xlsx(tmp_path / "top.xlsx", rows))
    assert len(census.frame) == 3
    assert "total-mismatch" not in codes(census)


def test_repeated_header_and_numbering_rows(tmp_path: Path) -> None:
    rows = [HEADER, ["甲", "乙", "丙", 1, 2, 3, 4], ROWS[0], HEADER, *ROWS[1:]]
    census = read(write_xlsx(tmp_path / "rep.xlsx", rows))
    assert [e.kind for e in census.excluded_rows] == ["header", "header"]
    assert len(census.frame) == 3


def test_same_as_above_and_missing_name(tmp_path: Path) -> None:
    rows = [
        HEADER,
        ROWS[0],
        ["同上", "〃", "乙社区", 1, 1, 1, "是"],
        ["A区", "一街道", None, 1, 1, 1, "是"],
    ]
    census = read(write_xlsx(tmp_path / "same.xlsx", rows))
    assert list(census.frame["street"]) == ["一街道", "一街道", "一街道"]
    assert [(i.code, i.cell) for i in census.errors] == [("missing-name", "C4")]


def test_duplicate_community(tmp_path: Path) -> None:
    rows = [HEADER, *ROWS, ["A区", "一街道", "乙 社区", 1, 1, 1, "是"]]
    census = read(write_xlsx(tmp_path / "dup.xlsx", rows))
    dup = [i for i in census.errors if i.code == "duplicate-community"]
    assert [(d.cell, d.params["other_row"]) for d in dup] == [("C5", "3")]
    assert "3" in dup[0].message("en")


def test_one_sheet_per_district_and_cover_sheet(tmp_path: Path) -> None:
    path = tmp_path / "districts.xlsx"
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "填报说明"
    cover.append(["请各区于3月底前填报。"])
    cover.append(["社区名称请填写全称。"])
    for name, rows in (("A区", ROWS[:2]), ("B区", ROWS[2:])):
        ws = wb.create_sheet(name)
        ws.append(HEADER[1:])
        for r in rows:
            ws.append(r[1:])
    wb.save(path)
    census = read(path)
    assert list(census.frame["district"]) == ["A区", "A区", "B区"]
    assert census.source.sheets == ("A区", "B区")
    assert "sheet-skipped" in codes(census, "info")
    assert "district-from-sheet" in codes(census, "info")
    assert census.locate(2, "households") == ("B区", "C2")
    only_b = read(path, sheets=["B区"])
    assert list(only_b.frame["community"]) == ["丙村"]


def test_community_type_and_code(tmp_path: Path) -> None:
    rows = [
        ["社区", "街道", "类型", "统计用区划代码", "户数"],
        ["甲社区", "一街道", "城市社区", 130102001001.0, 10],
        ["丙村", "一街道", "农村", "130102001201", 20],
        ["丁村", "一街道", "山区", "130102001202", 20],
    ]
    census = read(write_xlsx(tmp_path / "t.xlsx", rows))
    assert census.frame["community_type"].tolist()[:2] == ["urban", "rural"]
    assert census.frame["code"].tolist()[0] == "130102001001"
    assert [(i.code, i.cell) for i in census.errors] == [("unknown-category", "C4")]


def test_map_option_and_mapping_files(tmp_path: Path) -> None:
    rows = [["村居名称", "街道", "实有户数", "人口"], ["甲社区", "一街道", 10, 20]]
    path = write_xlsx(tmp_path / "m.xlsx", rows)
    census = read(path, mapping={"村居名称": "community", "实有户数": "households"})
    assert census.frame["households"].tolist() == [10.0]
    yaml_map = tmp_path / "map.yaml"
    yaml_map.write_text("村居名称: community\n实有户数: households\n", encoding="utf-8")
    csv_map = tmp_path / "map.csv"
    csv_map.write_text("header,field\n村居名称,community\n实有户数,households\n", encoding="utf-8")
    assert load_mapping_file(yaml_map) == load_mapping_file(csv_map)
    assert read(path, mapping=load_mapping_file(csv_map)).frame.equals(census.frame)


def test_required_fields_missing(tmp_path: Path, clean_xlsx: Path) -> None:
    census = read(clean_xlsx, required={"households", "volunteers", "social_orgs"})
    missing = [i for i in census.errors if i.code == "missing-field"]
    assert [i.params["field"] for i in missing] == ["social_orgs", "volunteers"]


def test_a_unit_that_contradicts_the_field_rules_the_column_out(tmp_path: Path) -> None:
    """A header "户数（人）" names households but counts people: the clean 居民户数 column is used,
    and the contradicting one is reported with a --map line, never used silently."""
    rows = [["社区", "街道", "户数（人）", "居民户数"], ["甲社区", "一街道", 10, 11]]
    path = write_xlsx(tmp_path / "u.xlsx", rows)
    census = read(path)
    assert census.frame["households"].tolist() == [11.0]
    conflict = [i for i in census.issues if i.code == "column-conflict"]
    assert [(i.cell, i.params["field"]) for i in conflict] == [("C1", "households")]
    assert '--map "户数（人）=户数"' in conflict[0].message()
    # the user's word wins: mapped, it is used (unit kept, mismatch said) and 居民户数 is a
    # duplicate of it
    mapped = read(path, mapping={"户数（人）": "户数"})
    assert mapped.frame["households"].tolist() == [10.0]
    assert {"unit-mismatch", "duplicate-column"} <= set(codes(mapped, "warning"))


def test_no_header_anywhere(tmp_path: Path) -> None:
    from indicators.model.errors import DataError

    path = write_xlsx(tmp_path / "x.xlsx", [["甲", "乙"], [1, 2]])
    with pytest.raises(DataError, match="no header row"):
        read(path)


def test_fixture_dir_exists() -> None:
    assert (FIXTURES / "messy.xls").exists()

"""Rosters on disk: read xlsx/csv (UTF-8, GBK) with census header spellings, write, round trip."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from indicators.cli import app
from indicators.model.errors import DataError, OutputError, UsageError
from indicators.model.fields import shared_vocabulary
from indicators.read import read_census
from indicators.roster import compare_roster, load_roster, roster_from_census, write_roster

from .build import roster_of, write_xlsx

CENSUS = [
    ["区县", "街道", "社区", "类型", "统计用区划代码", "户数"],
    ["桃城区", "一街道", "东风社区", "城市", "131102001001", 1200],
    ["桃城区", "一街道", "向阳社区", "城市", "131102001002", 900],
    ["桃城区", "二街道", "红星村", "农村", "131102002201", 400],
    ["冀州区", "三街道", "和平社区", "城市", "131103003001", 700],
]


@pytest.fixture
def census_xlsx(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "census.xlsx", CENSUS, title="社区基本情况")


def read(path: Path):
    return read_census(path, vocabulary=shared_vocabulary())


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_round_trip(census_xlsx: Path, tmp_path: Path, suffix: str) -> None:
    census = read(census_xlsx)
    out = tmp_path / f"roster{suffix}"
    assert write_roster(roster_from_census(census), out, inputs=[census_xlsx]) == 4
    roster = load_roster(out)
    assert len(roster) == 4 and roster.issues == []
    frame = roster.frame
    assert list(frame["code"]) == [r[4] for r in CENSUS[1:]]  # text, not 1.31102E+11
    assert list(frame["community_type"]) == ["urban", "urban", "rural", "urban"]
    result = compare_roster(census, roster)
    assert result.issues == [] and result.matched == 4
    assert not list(tmp_path.glob(".roster*"))  # no temporary file left behind


def test_formula_like_names_are_written_as_text(tmp_path: Path) -> None:
    roster = roster_of([("桃城区", "一街道", "=HYPERLINK(1)", "131102001001")])
    csv_path, xlsx_path = tmp_path / "roster.csv", tmp_path / "roster.xlsx"
    write_roster(roster, csv_path)
    write_roster(roster, xlsx_path)
    text = csv_path.read_text(encoding="utf-8-sig")
    assert text.splitlines() == [
        "区县,街道,社区,统计用区划代码",
        "桃城区,一街道,'=HYPERLINK(1),131102001001",
    ]
    cell = openpyxl.load_workbook(xlsx_path).active["C2"]
    assert (cell.data_type, cell.value) == ("s", "=HYPERLINK(1)")  # a string, not a formula


def test_gbk_csv_roster_with_other_spellings(tmp_path: Path) -> None:
    path = tmp_path / "名册.csv"
    path.write_bytes(
        "县（市、区）,乡镇（街道）,村（社区）,区划代码\n"
        "桃城区,一街道,东风社区居委会,131102001001\n"
        "桃城区,一街道,向阳社区,131102001002\n".encode("gbk")
    )
    roster = load_roster(path)
    assert len(roster) == 2
    assert list(roster.frame["code"]) == ["131102001001", "131102001002"]


def test_roster_cells_are_named_in_the_roster_file(tmp_path: Path, census_xlsx: Path) -> None:
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [["区县", "街道", "社区", "统计用区划代码"], ["桃城区", "一街道", "东风社区", "1311"]],
        title="名册",
    )
    result = compare_roster(read(census_xlsx), load_roster(path))
    issue = result.by_code("code-invalid")[0]
    assert issue.location == "[r.xlsx]名册!D2"
    unexpected = result.by_code("unexpected-community")
    assert [i.location for i in unexpected] == [
        "社区基本情况!C3",
        "社区基本情况!C4",
        "社区基本情况!C5",
    ]


def test_duplicate_in_roster_is_a_warning_located_in_the_roster(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["区县", "街道", "社区"],
            ["桃城区", "一街道", "东风社区"],
            ["桃城区", "一街道", "东风社区"],
        ],
    )
    roster = load_roster(path)
    assert len(roster) == 1
    assert [(i.code, i.severity.value, i.location) for i in roster.issues] == [
        ("duplicate-community", "warning", "[r.xlsx]Sheet1!C3")
    ]


def test_unusable_roster_files(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        load_roster(tmp_path / "nope.xlsx")
    path = write_xlsx(tmp_path / "x.xlsx", [["甲", "乙"], [1, 2]])
    with pytest.raises(DataError, match="roster"):
        load_roster(path)


def test_write_refuses_input_and_other_suffixes(census_xlsx: Path, tmp_path: Path) -> None:
    roster = roster_from_census(read(census_xlsx))
    with pytest.raises(OutputError):
        write_roster(roster, census_xlsx, inputs=[census_xlsx])
    with pytest.raises(UsageError):
        write_roster(roster, tmp_path / "roster.json")


def test_cli_roster(census_xlsx: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "roster.xlsx"
    result = runner.invoke(app, ["roster", str(census_xlsx), "--out", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Roster written to" in result.output and "4 communities" in result.output
    assert len(load_roster(out)) == 4
    before = census_xlsx.read_bytes()
    result = runner.invoke(app, ["roster", str(census_xlsx), "--out", str(census_xlsx)])
    assert result.exit_code == 4
    assert census_xlsx.read_bytes() == before

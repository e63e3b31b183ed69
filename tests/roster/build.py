"""Builders for roster tests: censuses and rosters from short rows of names and codes."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd

from indicators.model.census import Census, census_from_frame
from indicators.roster import Roster, compare_roster, roster_from_census

COLUMNS = ("district", "street", "community", "code")


def frame(rows: list[tuple]) -> pd.DataFrame:
    """Rows of (district, street, community[, code]) -> an identity frame."""
    records = [dict(zip(COLUMNS, r, strict=False)) for r in rows]
    df = pd.DataFrame(records)
    if "code" in df:
        df["code"] = df["code"].fillna("")
    df["households"] = 100
    return df


def census_of(rows: list[tuple]) -> Census:
    return census_from_frame(frame(rows), "census.xlsx")


def roster_of(rows: list[tuple]) -> Roster:
    return roster_from_census(census_from_frame(frame(rows), "roster.xlsx"))


def compare(census_rows: list[tuple], roster_rows: list[tuple]):
    return compare_roster(census_of(census_rows), roster_of(roster_rows))


def codes(comparison) -> list[str]:
    return sorted(i.code for i in comparison.issues)


def write_xlsx(path: Path, rows: list[list], title: str = "Sheet1") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path

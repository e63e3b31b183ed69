"""Cell values: text numbers, separators, full width, percents, booleans, missing, errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import xlsxwriter

from indicators.read.values import coerce

from .census_files import HEADER, read, write_xlsx


def one(value, kind="integer", scale=1.0, unit=None):
    values, problems = coerce(pd.Series([value], dtype=object), kind, scale, unit)
    return values[0], [p.code for p in problems]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (12.0, 12),
        ("12", 12),
        (" 12 ", 12),
        ("1,234", 1234),
        ("１２３４", 1234),
        ("1，234", 1234),
        ("1.5万", 15000),
        ("120户", 120),
    ],
)
def test_numbers(raw, expected) -> None:
    value, codes = one(raw, unit="户")
    assert value == expected and codes == []


def test_percent_string_and_percent_header() -> None:
    assert one("85%", "number") == (0.85, [])
    assert one("85", "number", scale=0.01)[0] == pytest.approx(0.85)
    assert one("85%", "number", scale=0.01)[0] == pytest.approx(0.85)  # not scaled twice


@pytest.mark.parametrize("raw", ["", None, "—", "-", "/", "不详", "无", "——"])
def test_missing_markers(raw) -> None:
    value, codes = one(raw)
    assert np.isnan(value) and codes == ["missing-value"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("是", 1),
        ("否", 0),
        ("有", 1),
        ("无", 0),
        ("√", 1),
        ("×", 0),
        ("Y", 1),
        ("n", 0),
        ("TRUE", 1),
        ("false", 0),
        (True, 1),
        (False, 0),
        (1.0, 1),
        (0.0, 0),
    ],
)
def test_booleans(raw, expected) -> None:
    assert one(raw, "boolean") == (expected, [])


def test_bad_values() -> None:
    assert one("很多")[1] == ["not-a-number"]
    assert one("#DIV/0!")[1] == ["excel-error"]
    assert one(dt.datetime(2020, 3, 1))[1] == ["date-not-number"]
    assert one(-5.0)[1] == ["negative-value"]
    assert one(2.5)[1] == ["fractional-count"]
    assert one(2.5, "number")[1] == []
    assert one("也许", "boolean")[1] == ["not-a-boolean"]
    assert one(2.0, "boolean")[1] == ["not-a-boolean"]


def test_clean_column_takes_the_fast_path(monkeypatch) -> None:
    import indicators.read.values as values

    calls = []
    monkeypatch.setattr(values, "parse_number", lambda v, u: calls.append(v) or (1.0, True, None))
    raw = pd.Series([float(i) for i in range(10_000)] + ["1,000"], dtype=object)
    out, problems = values.coerce(raw, "integer")
    assert calls == ["1,000"] and problems == [] and out[5] == 5.0


def test_cells_in_workbook_have_excel_coordinates(tmp_path: Path) -> None:
    rows = [
        HEADER,
        ["A区", "一街道", "甲社区", "很多", 100, 50, "是"],
        ["A区", "一街道", "乙社区", 100, dt.date(2020, 1, 1), -3, "也许"],
    ]
    census = read(write_xlsx(tmp_path / "bad.xlsx", rows))
    found = {(i.code, i.location, i.value) for i in census.errors}
    assert found == {
        ("not-a-number", "社区基本情况!D2", "很多"),
        ("date-not-number", "社区基本情况!E3", "2020-01-01"),
        ("negative-value", "社区基本情况!F3", "-3"),
        ("not-a-boolean", "社区基本情况!G3", "也许"),
    }
    issue = next(i for i in census.errors if i.code == "not-a-number")
    assert issue.header == "户数" and "D2" in issue.to_dict()["location"]
    assert "很多" in issue.message("zh") and "很多" in issue.message("en")


def test_excel_error_cells_and_formulas_without_values(tmp_path: Path) -> None:
    path = tmp_path / "errors.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("表")
    ws.write_row(0, 0, HEADER)
    ws.write_row(1, 0, ["A区", "一街道", "甲社区", 100, 200, 10, "是"])
    ws.write_formula(1, 4, "=1/0", None, "#DIV/0!")
    ws.write_row(2, 0, ["A区", "一街道", "乙社区", 100, 200, 10, "是"])
    ws.write_formula(2, 3, "=D2", None, 100)
    wb.close()
    census = read(path)
    assert [(i.code, i.cell, i.value) for i in census.errors] == [("excel-error", "E2", "#DIV/0!")]
    assert census.frame["households"].tolist() == [100.0, 100.0]

    path2 = tmp_path / "nocache.xlsx"
    wb2 = openpyxl.Workbook()
    ws2 = wb2.active
    ws2.append(HEADER)
    ws2.append(["A区", "一街道", "甲社区", "=50+50", 200, 10, "是"])
    wb2.save(path2)
    census = read(path2)
    assert [(i.code, i.cell) for i in census.issues if i.severity.value == "warning"] == [
        ("formula-without-value", "D2")
    ]

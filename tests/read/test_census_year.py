"""The year of a census from its 统计年度 column (used by `assess` and milestone targets)."""

from __future__ import annotations

import pandas as pd

from indicators.model.fields import shared_vocabulary
from indicators.read import read_census


def write(tmp_path, years):
    path = tmp_path / "c.csv"
    pd.DataFrame(
        {
            "区县": ["甲区"] * len(years),
            "街道": ["一街道"] * len(years),
            "社区": [f"社区{i}" for i in range(len(years))],
            "统计年度": years,
            "户数": [100] * len(years),
        }
    ).to_csv(path, index=False, encoding="utf-8-sig")
    return path


def test_one_year_in_the_column_is_the_census_year(tmp_path):
    census = read_census(write(tmp_path, [2023, 2023]), vocabulary=shared_vocabulary())
    assert census.year == 2023


def test_several_years_are_a_warning_and_no_year(tmp_path):
    census = read_census(write(tmp_path, [2022, 2023]), vocabulary=shared_vocabulary())
    assert census.year is None
    assert [i.code for i in census.issues if i.code == "mixed-years"] == ["mixed-years"]


def test_no_year_column_no_year(tmp_path):
    path = tmp_path / "c.csv"
    pd.DataFrame({"区县": ["甲区"], "街道": ["一街道"], "社区": ["东"], "户数": [1]}).to_csv(
        path, index=False
    )
    assert read_census(path, vocabulary=shared_vocabulary()).year is None

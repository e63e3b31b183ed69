"""Which year each census file is for, and the errors when it cannot be told."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import plan_from_indicators
from indicators.assess.years import parse_year_of, parse_years, resolve_years, year_from_name
from indicators.model.errors import ExitCode, UsageError

PLAN = plan_from_indicators(
    """
    - id: x
      name: {zh: 甲, en: X}
      formula: households
      aggregate: sum
      target: {op: ">=", value: 1}
      cite: {section: s, quote: q}
    """,
    period=(2021, 2025),
)


@pytest.mark.parametrize(
    ("name", "year"),
    [
        ("census-2023.xlsx", 2023),
        ("2022年社区基本情况.xlsx", 2022),
        ("社区统计表_1999.csv", 1999),
        ("社区统计表.xlsx", None),
        ("x12023.xlsx", None),  # five digits: not a year
        ("v3000.xlsx", None),
    ],
)
def test_year_from_name(name, year):
    assert year_from_name(Path(name)) == year


def test_plan_id_and_period_are_ignored_in_the_name():
    plan = PLAN.__class__(**{**PLAN.__dict__, "id": "hengshui-2021-2025"})
    assert year_from_name(Path("hengshui-2021-2025-census-2022.xlsx"), plan) == 2022
    assert year_from_name(Path("规划2021-2025年中期评估2023.xlsx"), plan) == 2023
    assert year_from_name(Path("2021-2025汇总.xlsx"), plan) is None


def test_several_years_in_a_name_is_an_error_naming_the_file():
    with pytest.raises(UsageError, match=r"a-2021-b-2022\.xlsx") as err:
        year_from_name(Path("a-2021-b-2022.xlsx"))
    assert "--year-of" in err.value.hint
    assert err.value.exit_code == ExitCode.USAGE


def test_option_wins_over_year_column_over_file_name():
    a, b, c = Path("census-2020.xlsx"), Path("census-2021.xlsx"), Path("census-2022.xlsx")
    years = resolve_years([a, b, c], {a: 2019}, {a: 2018, b: 2017, c: None})
    assert years == {a: 2019, b: 2017, c: 2022}


def test_no_year_is_an_error_naming_the_file():
    with pytest.raises(UsageError, match=r"社区统计表\.xlsx") as err:
        resolve_years([Path("census-2021.xlsx"), Path("data/社区统计表.xlsx")], {})
    assert "--year-of 社区统计表.xlsx=" in err.value.hint


def test_two_files_of_the_same_year_is_an_error():
    with pytest.raises(UsageError, match="both for 2022"):
        resolve_years([Path("a-2022.xlsx"), Path("b.xlsx")], {Path("b.xlsx"): 2022})


def test_year_of_option():
    paths = [Path("data/a.xlsx"), Path("b.xlsx")]
    assert parse_year_of(["a.xlsx=2021", "b.xlsx=2022"], paths) == {paths[0]: 2021, paths[1]: 2022}
    assert parse_year_of(["data/a.xlsx=2021"], paths) == {paths[0]: 2021}
    with pytest.raises(UsageError, match="not one of the census files"):
        parse_year_of(["c.xlsx=2021"], paths)
    with pytest.raises(UsageError, match="not a year"):
        parse_year_of(["a.xlsx=21"], paths)
    with pytest.raises(UsageError, match="FILE=YEAR"):
        parse_year_of(["a.xlsx"], paths)


def test_years_option_in_file_order():
    paths = [Path("x.xlsx"), Path("y.xlsx")]
    assert parse_years("2021, 2022", paths) == {paths[0]: 2021, paths[1]: 2022}
    with pytest.raises(UsageError, match="2 census files"):
        parse_years("2021", paths)

"""Must show (issue 10, part 1): on the Hengshui sample, with a roster that lists three
communities the sample lacks and omits one it has, the summary states the coverage and names
all four."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console

from indicators.model.census import census_from_frame
from indicators.plan import load_plan
from indicators.read import read_census
from indicators.report.roster_text import print_roster
from indicators.roster import compare_roster, load_roster, roster_from_census, write_roster

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
CENSUS = SAMPLE / "hengshui-2021-2025.xlsx"
SHIPPED = SAMPLE / "hengshui-2021-2025-roster.xlsx"
ADDED = ["新建社区", "东关村", "文苑社区"]


@pytest.fixture(scope="module")
def census():
    plan = load_plan("hengshui-2021-2025")
    return read_census(CENSUS, vocabulary=plan.vocabulary)


def rendered(comparison, lang: str) -> str:
    out = io.StringIO()
    print_roster(Console(file=out, width=200, color_system=None), comparison, lang)
    return out.getvalue()


def test_roster_three_extra_one_omitted(census, tmp_path: Path) -> None:
    frame = census.frame[["district", "street", "community", "community_type"]]
    assert not set(ADDED) & set(frame["community"])
    omitted = frame.iloc[5]
    streets = frame[["district", "street"]].drop_duplicates().head(3)
    roster_frame = pd.concat(
        [frame.drop(index=5), streets.assign(community=ADDED, community_type="urban")],
        ignore_index=True,
    )
    path = tmp_path / "roster.xlsx"
    write_roster(roster_from_census(census_from_frame(roster_frame)), path, inputs=[CENSUS])

    result = compare_roster(census, load_roster(path))
    n = len(frame)
    assert (result.expected, result.reported, result.matched) == (n + 2, n, n - 1)
    assert sorted(i.code for i in result.issues) == ["missing-community"] * 3 + [
        "unexpected-community"
    ]
    (unexpected,) = result.by_code("unexpected-community")
    sheet, cell = census.locate(5, "community")
    assert (unexpected.sheet, unexpected.cell) == (sheet, cell)

    for lang, coverage in (
        ("en", f"{n - 1} of {n + 2} communities reported"),
        ("zh", f"名册 {n + 2} 个社区中已报送 {n - 1} 个"),
    ):
        text = rendered(result, lang)
        assert coverage in text.splitlines()[1]  # coverage at the top, under the title
        for name in [*ADDED, omitted["community"]]:
            assert name in text
        assert f"{sheet}!{cell}" in text


def test_shipped_sample_roster_matches_the_sample(census) -> None:
    """If this fails after the sample was regenerated: run sample_data/make_roster.py."""
    result = compare_roster(census, load_roster(SHIPPED))
    assert len(result.missing) == 3 and len(result.unexpected) == 1
    assert result.matched == len(census.frame) - 1
    assert "reported" in result.coverage("en")

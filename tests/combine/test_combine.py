"""`combine` on small censuses: which rows count, which findings, where they point."""

from __future__ import annotations

import pandas as pd

from indicators.model.census import census_from_frame
from indicators.model.issues import Severity
from indicators.read.combine import combine, expand_inputs, roster_keys


def _census(name: str, rows: list[tuple]):
    frame = pd.DataFrame(rows, columns=["district", "street", "community", "households"])
    return census_from_frame(frame, name)


EAST = _census(
    "东街道.xlsx", [("甲区", "东街道", "新华社区", 100), ("甲区", "东街道", "和平社区", 90)]
)


def _codes(census) -> list[tuple[str, Severity]]:
    return [(i.code, i.severity) for i in census.issues]


def test_same_name_in_two_streets_with_other_figures_counts_both_and_warns():
    west = _census("西街道.csv", [("甲区", "西街道", "新华社区", 250)])
    c = combine([EAST, west])
    assert len(c.frame) == 3
    assert _codes(c) == [("community-name-in-two-files", Severity.WARNING)]
    [issue] = c.issues
    assert issue.location == "西街道.csv!2"
    assert issue.params["other"] == "东街道.xlsx!2"


def test_roster_listing_the_name_in_both_streets_silences_it():
    west = _census("西街道.csv", [("甲区", "西街道", "新华社区", 250)])
    listed = pd.DataFrame(
        [("甲区", "东街道", "新华社区"), ("甲区", "西街道", "新华社区")],
        columns=["district", "street", "community"],
    )
    c = combine([EAST, west], expected=roster_keys(listed))
    assert len(c.frame) == 3 and c.issues == []


def test_same_street_other_figures_is_an_error_and_nothing_is_dropped():
    again = _census("东街道-改.xlsx", [("甲区", "东街道", "和平社区", 95)])
    c = combine([EAST, again])
    assert len(c.frame) == 3
    assert _codes(c) == [("community-in-two-files-differ", Severity.ERROR)]


def test_same_figures_count_once_where_the_roster_puts_it():
    west = _census("西街道.csv", [("甲区", "西街道", "和平社区", 90)])
    listed = pd.DataFrame(
        [("甲区", "西街道", "和平社区")], columns=["district", "street", "community"]
    )
    c = combine([EAST, west], expected=roster_keys(listed))
    assert len(c.frame) == 2
    row = c.frame[c.frame["community"] == "和平社区"].iloc[0]
    assert row["street"] == "西街道"
    [issue] = c.issues
    assert issue.location == "东街道.xlsx!3"  # the copy left out


def test_names_are_compared_after_folding_width_and_spaces():
    west = _census("西街道.csv", [("甲区", "东街道", "和平 社区", 90)])
    assert len(combine([EAST, west]).frame) == 2


def test_folders_expand_to_census_files_only(tmp_path):
    (tmp_path / "sub").mkdir()
    for name in ("a.xlsx", "sub/b.csv", "~$a.xlsx", "notes.txt", ".hidden.xlsx", "c.xls"):
        (tmp_path / name).write_bytes(b"x")
    found = [p.relative_to(tmp_path).as_posix() for p in expand_inputs([tmp_path])]
    assert found == ["a.xlsx", "c.xls", "sub/b.csv"]
    assert expand_inputs([tmp_path / "a.xlsx", tmp_path]) == [
        tmp_path / "a.xlsx",
        *[tmp_path / p for p in ("c.xls", "sub/b.csv")],
    ]

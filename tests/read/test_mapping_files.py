"""Hostile --mapping files are usage errors naming the file, never an internal error."""

from __future__ import annotations

from pathlib import Path

import pytest

from indicators.model.errors import UsageError
from indicators.read import load_mapping_file
from indicators.read.mapping import MAX_MAPPING_BYTES


def test_deeply_nested_yaml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("x: " + "[" * 5000 + "]" * 5000, encoding="utf-8")
    with pytest.raises(UsageError, match="nested too deeply"):
        load_mapping_file(path)


def test_a_huge_csv_cell_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("户数,households\n表头," + "x" * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(UsageError, match="line 2"):
        load_mapping_file(path)


def test_a_file_too_large_to_be_a_mapping_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as fh:  # sparse: no disk spent
        fh.truncate(MAX_MAPPING_BYTES + 1)
    with pytest.raises(UsageError, match="larger than"):
        load_mapping_file(path)


def test_a_tab_separated_mapping_is_split_at_tabs(tmp_path: Path) -> None:
    """A .tsv mapping was split at commas: a header holding a comma ("户数,户") became two
    cells and the tab-separated line a single one, refused as not `header,field`."""
    path = tmp_path / "对照.tsv"
    path.write_text(
        "header\tfield\n实有户数(户,含空挂户)\thouseholds\n常住人口\t常住人口\n", "utf-8"
    )
    assert load_mapping_file(path) == {
        "实有户数(户,含空挂户)": "households",
        "常住人口": "常住人口",
    }

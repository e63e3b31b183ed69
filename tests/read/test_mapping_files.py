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

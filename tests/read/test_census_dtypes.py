"""One dtype contract for every Census, whoever built its frame (issue 17, item 7).

Identity columns were object columns from `read_census` and Arrow strings from
`census_from_frame` and from a combined census, so engine and report converted them again in
eight places; parquet numbers went float -> text -> float."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from indicators.model.census import TEXT, Census, SourceInfo, census_from_frame
from indicators.read.combine import combine

from .census_files import HEADER, ROWS, read, write_xlsx


def _csv(path: Path) -> Path:
    with path.open("w", encoding="gbk", newline="") as fh:
        csv.writer(fh).writerows([HEADER, *ROWS])
    return path


def _parquet(path: Path) -> Path:
    columns = list(zip(*ROWS, strict=True))
    table = pa.table({h: list(c) for h, c in zip(HEADER, columns, strict=True)})
    pq.write_table(table, path)
    return path


def _dtypes(census: Census) -> dict[str, object]:
    return {c: census.frame[c].dtype for c in census.frame.columns}


def test_every_way_to_a_census_gives_the_same_dtypes(tmp_path: Path) -> None:
    read_ones = [
        read(write_xlsx(tmp_path / "a.xlsx", [HEADER, *ROWS])),
        read(_csv(tmp_path / "b.csv")),
        read(_parquet(tmp_path / "c.parquet")),
    ]
    combined = combine(read_ones[:2])
    built = census_from_frame(read_ones[0].frame.astype(object))
    want = {
        "district": TEXT,
        "street": TEXT,
        "community": TEXT,
        "community_type": TEXT,
        "households": np.dtype("float64"),
        "population": np.dtype("float64"),
        "facility_area": np.dtype("float64"),
        "has_service_facility": np.dtype("float64"),
    }
    for census in [*read_ones, combined, built]:
        assert _dtypes(census) == want, census.source.format
        assert isinstance(census.frame["district"].array, pd.arrays.ArrowStringArray)
    for census in read_ones:
        pd.testing.assert_frame_equal(census.frame, read_ones[0].frame)


def test_a_frame_set_later_meets_the_contract_too() -> None:
    census = census_from_frame(pd.DataFrame({"community": ["甲"], "households": [1]}))
    census.frame = pd.DataFrame(
        {"district": [None], "community": ["乙"], "households": np.array([2], dtype=np.int64)}
    )
    assert census.frame["district"].dtype == TEXT
    assert census.frame["district"].tolist() == [""]  # a key is "" where not given, never NA
    assert census.frame["households"].dtype == np.float64


def test_text_where_a_number_belongs_is_a_programming_error_not_parsed_again() -> None:
    """The reader parses every value once; the Census never parses text behind its back."""
    frame = pd.DataFrame({"community": ["甲"], "households": ["1,200"]})
    with pytest.raises(TypeError, match="households"):
        Census(frame=frame, source=SourceInfo(Path("x"), "", "memory"))


def test_group_numbers_of_each_level_are_computed_once() -> None:
    census = census_from_frame(
        pd.DataFrame(
            {
                "district": ["乙区", "甲区", "乙区", None],
                "street": ["二街", "一街", "一街", "一街"],
                "community": ["a", "b", "c", "d"],
                "households": [1, 2, 3, 4],
            }
        )
    )
    codes, keys = census.grouping("street")
    assert keys.values.tolist() == [
        ["", "一街"],
        ["乙区", "一街"],
        ["乙区", "二街"],
        ["甲区", "一街"],
    ]
    assert codes.tolist() == [2, 3, 1, 0]
    assert census.grouping("street")[0] is codes  # the same arrays: not computed again
    assert census.grouping("city")[0].tolist() == [0, 0, 0, 0]


def test_the_shared_vocabulary_reads_the_same_with_the_fast_and_the_pure_yaml_loader():
    """fields.yaml is read with libyaml's loader (ten times faster, at every start-up); what
    it reads must be what the reference loader reads, so no spelling or unit changes."""
    from importlib import resources

    import yaml

    from indicators.model.fields import shared_vocabulary

    text = (resources.files("indicators") / "data" / "fields.yaml").read_text(encoding="utf-8")
    fast = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    assert fast == yaml.safe_load(text)
    assert sorted(shared_vocabulary().fields) == sorted(d["id"] for d in fast["fields"])

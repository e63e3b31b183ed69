"""The normalised census: what every reader produces and the engine consumes.

`Census.frame` has one row per community and canonical columns, with ONE dtype contract that
the Census itself enforces whenever its frame is set (`conform`), whoever built the frame:
  district, street, community  (Arrow string) -- the identity; "" where the file gives none
  code                         (Arrow string) -- statistical division code, when given
  community_type               (Arrow string) -- "urban", "rural" or <NA>
  <field ids>                  (float64) -- numeric fields; booleans as 1.0 / 0.0; missing NaN
Numbers are parsed once, by the reader: the Census casts numeric columns to float64 but never
parses text (a column of text where a number belongs is a programming error, not data).
`Census.grouping(level)` numbers the groups of each level once per census.
`Census.locate(row_pos, field)` gives the sheet and cell a value came from, for messages.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from indicators.model.issues import DataIssue, Severity

KEY_COLUMNS = ("district", "street", "community")
TEXT_COLUMNS = (*KEY_COLUMNS, "community_type", "code")
TEXT = pd.StringDtype("pyarrow")  # Arrow-backed, <NA> for missing
# the identity columns naming the groups of each level above the community
LEVEL_KEYS: dict[str, tuple[str, ...]] = {
    "street": ("district", "street"),
    "district": ("district",),
    "city": (),
}


@dataclass(frozen=True)
class SourceInfo:
    path: Path
    sha256: str
    format: str  # xlsx, xls, ods, csv, parquet
    sheets: tuple[str, ...] = ()
    encoding: str | None = None  # for CSV


@dataclass(frozen=True)
class ColumnMatch:
    """How one column of the input was understood."""

    sheet: str | None
    column: str  # Excel letter(s) or CSV column number
    header: str  # as written (group and sub-header joined with " / ")
    field: str | None  # canonical field id, None when ignored
    unit: str | None = None  # unit found in the header
    scale: float = 1.0  # factor applied to values (万人 -> 10000)
    confidence: str = ""  # sure | likely | mapped; "" when the column is not used
    # for an unused column: a field it resembles and how (lookalike | conflict | suggestion)
    resembles: str | None = None
    resemblance: str = ""


@dataclass(frozen=True)
class ExcludedRow:
    """A row that is not a community: blank, subtotal, total, note, repeated header."""

    sheet: str | None
    row: int  # Excel row number (1-based)
    kind: str  # blank | subtotal | total | note | header
    text: str  # the row's first non-empty cells, for the listing


@dataclass
class Census:
    frame: pd.DataFrame
    source: SourceInfo
    issues: list[DataIssue] = field(default_factory=list)
    columns: list[ColumnMatch] = field(default_factory=list)
    excluded_rows: list[ExcludedRow] = field(default_factory=list)
    # For each frame row position: (sheet, excel row number); column letter per (sheet, field).
    row_origin: list[tuple[str | None, int]] = field(default_factory=list)
    field_columns: dict[tuple[str | None, str], str] = field(default_factory=dict)
    year: int | None = None
    # The street sheet, when the file has one: one row per 街道/乡镇 (district, street and
    # street-level fields), with the (sheet, excel row) of each row.
    streets: pd.DataFrame | None = None
    street_origin: list[tuple[str | None, int]] = field(default_factory=list)
    # The district sheet, likewise: one row per 区县 (district and district-level fields).
    districts: pd.DataFrame | None = None
    district_origin: list[tuple[str | None, int]] = field(default_factory=list)
    # For a census combined from several files (indicators.read.combine): one Part per file.
    parts: list = field(default_factory=list)

    def __setattr__(self, name: str, value: object) -> None:
        if name == "frame":  # every frame a Census holds meets the contract
            value = conform(value)  # type: ignore[arg-type]
        object.__setattr__(self, name, value)

    def grouping(self, level: str) -> tuple[np.ndarray, pd.DataFrame | None]:
        """(group number of every community, key columns of each group) at `level`
        (street, district or city), groups sorted by key; computed once per census."""
        cache = _groupings(self.frame)
        if level not in cache:
            cache[level] = group_codes(self.frame, LEVEL_KEYS[level])
        return cache[level]

    @property
    def fields(self) -> set[str]:
        return set(self.frame.columns) - set(TEXT_COLUMNS)

    def locate(self, row_pos: int, field_id: str | None = None) -> tuple[str | None, str]:
        """(sheet, cell) for a frame row position and field, as Excel shows them."""
        if not self.row_origin:
            return None, str(row_pos + 2)
        sheet, row = self.row_origin[row_pos]
        letter = self.field_columns.get((sheet, field_id), "") if field_id else ""
        return sheet, f"{letter}{row}"

    @property
    def errors(self) -> list[DataIssue]:
        return [i for i in self.issues if i.severity is Severity.ERROR]


def conform(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with the census dtypes (see the module docstring); columns already right
    are kept as they are, so conforming a conformed frame costs nothing."""
    changed: dict[str, pd.Series] = {}
    for col in frame.columns:
        column = frame[col]
        if col in TEXT_COLUMNS:
            if column.dtype != TEXT:
                column = column.astype(TEXT)
            if col in KEY_COLUMNS and column.hasnans:
                column = column.fillna("")
        elif column.dtype != np.float64:
            if not (pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column)):
                raise TypeError(f"census field {col!r} holds {column.dtype}, not numbers")
            column = column.astype("float64")
        if column is not frame[col]:
            changed[col] = column
    if not changed:
        return frame
    frame = frame.copy(deep=False)
    for col, column in changed.items():
        frame[col] = column
    return frame


_GROUPINGS: dict[int, dict] = {}


def _groupings(frame: pd.DataFrame) -> dict:
    """The groupings computed for one frame object, dropped with it (a DataFrame cannot be a
    weak dictionary key: it is not hashable)."""
    key = id(frame)
    if key not in _GROUPINGS:
        _GROUPINGS[key] = {}
        weakref.finalize(frame, _GROUPINGS.pop, key, None)
    return _GROUPINGS[key]


def group_codes(
    frame: pd.DataFrame, keys: tuple[str, ...]
) -> tuple[np.ndarray, pd.DataFrame | None]:
    """(group number of every row, one row of key values per group), sorted by key."""
    if not keys:
        return np.zeros(len(frame), dtype=np.intp), None
    data = pd.DataFrame({k: frame[k].astype(TEXT).fillna("") for k in keys}, index=frame.index)
    grouped = data.groupby(list(keys), sort=True, dropna=False)
    codes = grouped.ngroup().to_numpy(dtype=np.intp)
    return codes, grouped.size().reset_index(name="_n")[list(keys)]


def census_from_frame(frame: pd.DataFrame, name: str = "<memory>") -> Census:
    """A Census from a frame of loose types (tests, benchmarks): numbers written as text
    are parsed here, as a reader would have; the Census applies the dtype contract."""
    frame = frame.reset_index(drop=True).copy()
    for col in frame.columns:
        if col not in TEXT_COLUMNS and not pd.api.types.is_numeric_dtype(frame[col]):
            frame[col] = pd.to_numeric(frame[col], errors="coerce")
    return Census(frame=frame, source=SourceInfo(Path(name), "", "memory"))

"""The normalised census: what every reader produces and the engine consumes.

`Census.frame` has one row per community and canonical columns:
  district, street, community  (str)  -- the identity of the community
  community_type               (str)  -- "urban", "rural" or missing
  code                         (str)  -- 12-digit statistical division code, when given
  <field ids>                  (float64) -- numeric fields; booleans as 1.0 / 0.0; missing NaN
`Census.locate(row_pos, field)` gives the sheet and cell a value came from, for messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from indicators.model.issues import DataIssue, Severity

KEY_COLUMNS = ("district", "street", "community")
TEXT_COLUMNS = (*KEY_COLUMNS, "community_type", "code")


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


def census_from_frame(frame: pd.DataFrame, name: str = "<memory>") -> Census:
    """A Census from an already clean frame (tests, parquet written by us, benchmarks)."""
    frame = frame.reset_index(drop=True).copy()
    for col in frame.columns:
        if col in TEXT_COLUMNS:
            frame[col] = frame[col].astype("string")
        else:
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    return Census(frame=frame, source=SourceInfo(Path(name), "", "memory"))

"""Find the header of a sheet and match each column to a field.

The header is the row (among the first SCAN_ROWS) whose cells read as the most fields; a
two-row header (a group header over sub-headers, often merged) is used when reading the row
above or below with it reads more. A unit row and a row of column numbers under it belong to
the header. Each column is then matched on all its evidence (`columns.decide_columns`), and
its unit (in brackets, as a suffix, from its group or the unit row) turned into a scale.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

import pandas as pd

from indicators.model.fields import Vocabulary, normalise_header
from indicators.read.columns import Column, Matcher, decide_columns
from indicators.read.raw import RawSheet
from indicators.read.spellings import unit_of

__all__ = ["SCAN_ROWS", "Column", "Header", "Matcher", "find_header", "is_numbering"]

SCAN_ROWS = 30
SAMPLE_ROWS = 60  # rows below the header whose cells tell a column's kind
NUMBERING = frozenset("甲乙丙丁戊己庚辛壬癸")
_UNIT_ROW_FILLERS = frozenset({"", "-", "—", "/", "单位", "计量单位", "名称", "甲", "乙"})


@dataclass
class Header:
    rows: list[int]  # grid rows of the header (one to four: group, sub, units, numbers)
    columns: list[Column] = field(default_factory=list)
    labels: list[tuple[str, str]] = field(default_factory=list)  # (group, sub) per column
    units: dict[int, str] = field(default_factory=dict)  # unit-row cell per column

    @property
    def data_start(self) -> int:
        return self.rows[-1] + 1

    def by_field(self) -> dict[str, Column]:
        return {c.field: c for c in self.columns if c.field and c.duplicate_of is None}


def cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).strip()


def _merged_top_left(sheet: RawSheet) -> dict[tuple[int, int], tuple[int, int]]:
    """Grid (row, col) of every cell covered by a merge -> grid (row, col) of its top-left."""
    covered: dict[tuple[int, int], tuple[int, int]] = {}
    for r1, c1, r2, c2 in sheet.merged:
        if r1 - sheet.row0 > SCAN_ROWS + 1:
            continue
        top = (r1 - sheet.row0, c1 - sheet.col0)
        for r in range(r1, min(r2, r1 + 3) + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    covered[(r - sheet.row0, c - sheet.col0)] = top
    return covered


class _Rows:
    """The text of the sheet's top rows, converted once for the header search."""

    def __init__(self, grid: pd.DataFrame, names: dict[int, str] | None = None) -> None:
        top = grid.iloc[: SCAN_ROWS + 4].to_numpy(dtype=object).tolist()
        self.texts = [[cell_text(v) for v in row] for row in top]
        for col, name in (names or {}).items():  # typed columns: their names (RawSheet)
            self.texts[0][col] = cell_text(name)
        self.width = grid.shape[1]

    def __call__(self, row: int) -> list[str]:
        if 0 <= row < len(self.texts):
            return self.texts[row]
        return [""] * self.width


# a line of the form above the table ("填报单位（盖章）：新村街道", "填报日期：") heads no column
_FORM_LINE = re.compile(r"^(?:填报|填表|制表|报送|统计)(?:单位|日期|人|时间)|[:：].{2,}")


def _two_row_labels(
    sheet: RawSheet, rows: _Rows, group_row: int, sub_row: int, covered: dict
) -> list[tuple[str, str]]:
    """(group, sub) per column; a merged or blank group cell takes the group to its left."""
    groups = ["" if _FORM_LINE.search(g) else g for g in rows(group_row)]
    subs = rows(sub_row)
    out: list[tuple[str, str]] = []
    for j, (g, s) in enumerate(zip(groups, subs, strict=True)):
        top = covered.get((group_row, j))
        if not g and top is not None and top[0] == group_row:
            g = groups[top[1]]
        elif not g and s and j and out and out[-1][0] and out[-1][1] and not sheet.merged:
            g = out[-1][0]  # no merge information (ODS, CSV): a blank group continues
        if covered.get((sub_row, j), (None,))[0] == group_row:
            s = ""  # the group cell is merged down over this one
        out.append((g, s))
    return out


def _match_labels(matcher: Matcher, labels: list[tuple[str, str]]) -> list[Column]:
    """Quick columns for the header-row search: each column's best field by its text."""
    columns: list[Column] = []
    for j, (g, s) in enumerate(labels):
        header = f"{g} / {s}" if g and s else (g or s)
        columns.append(Column(j, header, matcher.quick(g, s) if header else None))
    return columns


def _score(columns: list[Column]) -> tuple[int, int]:
    fields = {c.field for c in columns if c.field}
    return (len(fields), int("community" in fields))


def _sub_header_row(grid: pd.DataFrame, row: int, above: list[Column]) -> bool:
    """True when `row` is text under a header row and cannot be a community: a row of units
    ("单位：户", "万人") or of sub-headers ("城市社区", "农村社区") with no community name."""
    community = next((c.index for c in above if c.field == "community"), None)
    cells = grid.iloc[row].tolist()
    if community is None or cell_text(cells[community]):
        return False
    texts = [cell_text(v) for v in cells]
    if not any(texts):
        return False
    for v, t in zip(cells, texts, strict=True):
        if isinstance(v, (int, float)) and not isinstance(v, bool) and t:
            return False
        try:
            float(t.replace(",", ""))
            return False
        except ValueError:
            pass
    return True


def find_header(sheet: RawSheet, matcher: Matcher, vocabulary: Vocabulary) -> Header | None:
    """The header of the sheet, or None when no row reads as one (a cover sheet)."""
    grid = sheet.grid
    if grid.empty:
        return None
    covered = _merged_top_left(sheet)
    rows = _Rows(grid, sheet.names)
    best: tuple[tuple[int, int], Header] | None = None
    best_row = -1
    for r in range(min(SCAN_ROWS, len(grid))):
        if best is not None and best[0][1] and best[0][0] >= 3 and r > best_row + 3:
            break  # a header naming the community and more is found; below it: data rows
        single_labels = [("", t) for t in rows(r)]
        if sum(1 for _, t in single_labels if t) < 2:
            continue
        single = _match_labels(matcher, single_labels)
        score = _score(single)
        options = [(score, Header([r], single, single_labels))]
        for g, s in ((r - 1, r), (r, r + 1)):
            if g < 0 or s >= len(grid) or _unit_row(rows(s)) is not None:
                continue  # a unit row is not a row of sub-headers: `_absorb_unit_row` takes it
            labels = _two_row_labels(sheet, rows, g, s, covered)
            double = _match_labels(matcher, labels)
            dscore = _score(double)
            if g == r and dscore[1] and _sub_header_row(grid, s, single):
                dscore = (*max(dscore, score), 1)  # beats the single row even on a tie
            options.append((dscore, Header([g, s], double, labels)))
        option = max(options, key=lambda o: o[0])  # first (single row) wins ties
        if option[0][0] < 2:
            continue
        if best is None or option[0] > best[0]:
            best, best_row = option, r
    if best is None or not best[0][1]:
        return None
    header = best[1]
    _absorb_unit_row(grid, rows, header)
    sample = grid.iloc[header.data_start : header.data_start + SAMPLE_ROWS]
    labels = header.labels or [("", c.header) for c in header.columns]
    header.columns = decide_columns(sample, labels, header.units, matcher, vocabulary)
    return header


def is_numbering(values: list[object]) -> bool:
    """A row of column numbers under the header: 1 2 3 ..., or 甲 乙 丙 then numbers. Columns
    moved after the form was numbered keep their numbers (1 4 2 3 5): any order of distinct
    whole numbers that together run without a hole is a numbering, never a community."""
    cells = [str(v).strip() for v in values if v is not None and str(v).strip() not in ("", "nan")]
    if len(cells) < 3:
        return False
    numbers = []
    for c in cells:
        if c in NUMBERING:
            continue
        try:
            numbers.append(float(c))
        except ValueError:
            return False
    if not numbers or any(not n.is_integer() for n in numbers):
        return False
    return all(b - a == 1 for a, b in itertools.pairwise(sorted(numbers)))


def _unit_row(texts: list[str]) -> dict[int, str] | None:
    """Unit per column when a row is a unit row ("单位：户 | 人 | ㎡ | √/×") or a row of filling
    hints ("填写整数 | 选填 | 填“是”或“否”"), else None."""
    units: dict[int, str] = {}
    hints = 0
    for j, t in enumerate(texts):
        unit = unit_of(t)
        if unit is not None:
            units[j] = t
        elif _HINT.search(t):
            hints += 1
        elif normalise_header(t) not in _UNIT_ROW_FILLERS:
            return None
    return units if len(units) + hints >= 2 else None


# a filling hint under an import template's header: never a community
_HINT = re.compile(
    r"^(?:请|必填|选填|填写|填报|按|以|与.*一致|如[:：]|例[:：]?|下拉)|填[“\"「]|格式"
)


def _absorb_unit_row(grid: pd.DataFrame, rows: _Rows, header: Header) -> None:
    """A unit row and a row of column numbers under the header belong to it: their units
    scale the columns, and neither is ever read as a community."""
    row = header.data_start
    for _ in range(2):
        if row >= len(grid):
            return
        units = _unit_row(rows(row))
        if units is not None and not header.units:
            header.units = units
            header.rows.append(row)
        elif not is_numbering(grid.iloc[row].tolist()):
            return
        row += 1  # a numbering row stays below the header: `classify` lists it

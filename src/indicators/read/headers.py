"""Find the header of a sheet and match each column to a field.

The header is the row (among the first SCAN_ROWS) whose cells match the most field spellings;
a two-row header (a group header over sub-headers, often merged) is used when reading the row
above or below with it matches more columns. Each column is read as group+sub, sub, sub+group
(so "综合服务设施" over "面积（平方米）" is facility_area), with any unit in brackets or as a
suffix taken off and turned into a scale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from indicators.fields import Vocabulary, normalise_header
from indicators.read.formats import RawSheet
from indicators.read.units import candidates, scale_for

SCAN_ROWS = 30
# "其中：城镇人口" (a part of the column to its left) and "单位：户" (a unit row cell) read as
# what follows the prefix; "社区（村）名称" as "社区（村）"
_PREFIX = re.compile(r"^其中[:，,]?|单位[:]")
NAME_FIELDS = frozenset({"district", "street", "community", "code"})
# a sub-header that only says "the group's total": "常住人口" over "合计" is population
GROUP_TOTAL = frozenset({"合计", "小计", "总计", "总数", "计", "数量", "总量", "数"})
IGNORE = "-"  # a mapping value that means "ignore this column"


@dataclass(frozen=True)
class Column:
    index: int  # grid column
    header: str  # as written; "group / sub" for a two-row header
    field: str | None
    unit: str | None = None
    scale: float = 1.0
    unit_ok: bool = True
    duplicate_of: int | None = None  # grid column that already holds this field


@dataclass
class Header:
    rows: list[int]  # grid rows of the header (one or two)
    columns: list[Column] = field(default_factory=list)

    @property
    def data_start(self) -> int:
        return self.rows[-1] + 1

    def by_field(self) -> dict[str, Column]:
        return {c.field: c for c in self.columns if c.field and c.duplicate_of is None}


def cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).strip()


class Matcher:
    """Header text -> (field id, unit spelling), honouring the user's --map first."""

    def __init__(self, vocabulary: Vocabulary, mapping: dict[str, str] | None) -> None:
        self.aliases = vocabulary.alias_index()
        self.mapping = {normalise_header(k): v for k, v in (mapping or {}).items()}

    def match(self, text: str) -> tuple[str | None, str | None]:
        if not text:
            return None, None
        norm = normalise_header(text)
        bare = _PREFIX.sub("", norm)
        forms = candidates(norm) + (candidates(bare) if bare and bare != norm else [])
        forms += [(b[:-2], u) for b, u in forms if b.endswith("名称") and len(b) > 2]
        forms += [(b.replace("社区", ""), u) for b, u in forms if "社区" in b and b != "社区"]
        for table in (self.mapping, self.aliases):
            for base, unit in forms:
                hit = table.get(base)
                if hit in NAME_FIELDS and unit is not None:
                    continue  # "社区（个）" counts communities (a summary table), not names
                if hit:
                    return (None if hit == IGNORE else hit), unit
                if table is self.mapping and base in self.mapping:
                    return None, unit
        return None, None

    def is_ignored(self, text: str) -> bool:
        return self.mapping.get(normalise_header(text)) == IGNORE


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


def _row_texts(grid: pd.DataFrame, row: int) -> list[str]:
    if row < 0 or row >= len(grid):
        return [""] * grid.shape[1]
    return [cell_text(v) for v in grid.iloc[row].tolist()]


def _two_row_labels(
    sheet: RawSheet, group_row: int, sub_row: int, covered: dict
) -> list[tuple[str, str]]:
    """(group, sub) per column; a merged or blank group cell takes the group to its left."""
    groups = _row_texts(sheet.grid, group_row)
    subs = _row_texts(sheet.grid, sub_row)
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
    columns: list[Column] = []
    for j, (g, s) in enumerate(labels):
        header = f"{g} / {s}" if g and s else (g or s)
        tries = [g + s, s, s + g] if g and s else [g or s]
        if g and normalise_header(s) in GROUP_TOTAL:
            tries.append(g)
        if g and s:
            tries.insert(0, header)
        fid, unit = None, None
        for text in tries:
            fid, unit = matcher.match(text)
            if fid or matcher.is_ignored(text):
                break
        columns.append(Column(j, header, fid, unit))
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
    best: tuple[tuple[int, int], Header] | None = None
    for r in range(min(SCAN_ROWS, len(grid))):
        single = _match_labels(matcher, [("", t) for t in _row_texts(grid, r)])
        score = _score(single)
        if score[0] < 2:
            continue
        options = [(score, Header([r], single))]
        for g, s in ((r - 1, r), (r, r + 1)):
            if g < 0 or s >= len(grid):
                continue
            double = _match_labels(matcher, _two_row_labels(sheet, g, s, covered))
            dscore = _score(double)
            if g == r and dscore[1] and _sub_header_row(grid, s, single):
                dscore = (*max(dscore, score), 1)  # beats the single row even on a tie
            options.append((dscore, Header([g, s], double)))
        option = max(options, key=lambda o: o[0])  # first (single row) wins ties
        if best is None or option[0] > best[0]:
            best = option
    if best is None or not best[0][1]:
        return None
    header = best[1]
    header.columns = _finish(header.columns, vocabulary)
    return header


def _finish(columns: list[Column], vocabulary: Vocabulary) -> list[Column]:
    seen: dict[str, int] = {}
    out = []
    for c in columns:
        if not c.field and not c.header:
            continue
        if c.field is None:
            out.append(c)
            continue
        f = vocabulary.get(c.field)
        scale, ok = scale_for(c.unit, f.unit if f else None)
        dup = seen.get(c.field)
        if dup is None:
            seen[c.field] = c.index
        out.append(Column(c.index, c.header, c.field, c.unit, scale, ok, dup))
    return out

"""Fuzz for silently wrong results: real census layouts changed in ways that keep their meaning.

    python fuzz/fuzz_layouts.py --minutes 5

Seeds: the layout corpus (tests/read/layouts/*.yaml: header spellings from published forms,
merged group headings, unit rows, look-alike columns, each with hand-worked values). Each input
is one layout with a few of these changes, none of which changes what the sheet says:

- move: a column, with its merged or spanning group heading, goes elsewhere;
- blank-col: an empty column between column groups;
- blank-top / blank-data: an empty row above the table, or among (or after) the communities;
- title: a title row merged across the table above it;
- total: a 合计 row with the sum of every number column under the communities;
- note: a 填表人 / 审核人 / 填报日期 line under the table;
- text-numbers: every number in the communities' rows typed as text ("820");
- units: a unit row (户, 人, 平方米) under the header, for columns whose header has no unit;
- written as .xlsx, or as CSV the way an exporter writes one (a merged heading's text in its
  first cell), with any quoting, delimiter, encoding (UTF-8, with BOM, GB18030) and line end.

The property, per input: the values read equal the hand-worked ones; or the reader says why
not (a warning or an error the unchanged layout does not get); or it refuses the file with a
message (DataError). A difference no finding explains is a failure, "silently different", as
is any other exception. Failures are kept under fuzz/crashes/.
"""

from __future__ import annotations

import csv
import io
import itertools
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import ROOT, Tally, hypothesis_settings, parse_args, run_hypothesis

sys.path.insert(0, str(ROOT / "tests" / "read"))

import layout_corpus as corpus
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries

from indicators.model.errors import DataError
from indicators.model.issues import Severity

# Layouts the reader does not read right unchanged (tests/read/test_layout_corpus.py) are no
# seeds: a difference there is not caused by the change.
UNREAD = {"22_station_set_up_and_staff"}
KINDS = (
    "move", "blank-col", "blank-top", "blank-data", "title", "total", "note", "text-numbers",
    "units",
)  # fmt: skip
# A unit row under the header, as statistical forms print one (计量单位): the fields' own units.
UNITS = {
    "households": "户", "population": "人", "urban_population": "人", "building_area": "平方米",
    "facility_area": "平方米", "commercial_service_area": "平方米",
    "resident_activity_area": "平方米", "community_workers": "人", "station_staff": "人",
    "grid_workers": "人", "social_orgs": "个", "volunteers": "人", "committee_members": "人",
}  # fmt: skip
UNIT_WORDS = {*UNITS.values(), "㎡", "m²", "万人", "万平方米", "有/无", "是/否"}
NOTE = "填表人：王芳    审核人：李明    联系电话：0318-2123456    填报日期：2024年1月5日"
TITLE = "2023年城乡社区综合服务设施基本情况统计表"
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030")
QUOTING = (csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC)


class SilentlyDifferent(AssertionError):
    """Values read differ from the hand-worked ones and no finding says so."""


@dataclass
class Sheet:
    """A layout's cells (rows of equal width) and merged ranges (c1, r1, c2, r2; 1-based)."""

    rows: list[list]
    merged: list[tuple[int, int, int, int]]
    communities: set[str]
    applied: list[str] = field(default_factory=list)

    fields: dict[int, str] = field(default_factory=dict)  # 0-based column -> field, as given

    @classmethod
    def of(cls, layout: corpus.Layout) -> Sheet:
        width = max(len(r) for r in layout.rows)
        rows = [list(r) + [None] * (width - len(r)) for r in layout.rows]
        merged = [range_boundaries(m) for m in layout.merged]
        names = {str(v) for v in layout.values["community"] if v is not None}
        fields = {column_index_from_string(k) - 1: f for k, f in layout.expect.items()}
        return cls(rows, [tuple(m) for m in merged], names, fields=fields)

    @property
    def width(self) -> int:
        return len(self.rows[0]) if self.rows else 0

    def data_rows(self) -> list[int]:
        """0-based rows holding a community of the layout."""
        return [
            i
            for i, row in enumerate(self.rows)
            if any(isinstance(v, str) and v in self.communities for v in row)
        ]

    def community_col(self) -> int:
        first = self.data_rows()[0]
        return next(
            c
            for c, v in enumerate(self.rows[first])
            if isinstance(v, str) and v in self.communities
        )

    # -- rows
    def insert_row(self, at: int, row: list | None = None) -> None:
        self.rows.insert(at, row if row is not None else [None] * self.width)
        self.merged = [(c1, r1 + (r1 > at), c2, r2 + (r2 > at)) for c1, r1, c2, r2 in self.merged]

    # -- columns
    def blocks(self) -> list[list[int]]:
        """Columns that must stay together: a merged heading and the columns under it, and a
        heading written once over the blank cells beside it with sub-headings below them."""
        parent = list(range(self.width))

        def find(c: int) -> int:
            while parent[c] != c:
                parent[c] = parent[parent[c]]
                c = parent[c]
            return c

        def join(a: int, b: int) -> None:
            parent[find(b)] = find(a)

        single = {i for i, row in enumerate(self.rows) if sum(v is not None for v in row) <= 1}
        for c1, r1, c2, r2 in self.merged:
            if all(r - 1 in single for r in range(r1, r2 + 1)):
                continue  # a title or a note: re-spread over the new order
            for c in range(c1, c2):
                join(c1 - 1, c)
        first = self.data_rows()[0]
        heads = [i for i in range(first) if i not in single]
        for upper, lower in itertools.pairwise(heads):
            row, below = self.rows[upper], self.rows[lower]
            for c, v in enumerate(row):
                if v is None:
                    continue
                d = c + 1
                while d < self.width and row[d] is None and below[d] is not None:
                    join(c, d)
                    d += 1
        groups: dict[int, list[int]] = {}
        for c in range(self.width):
            groups.setdefault(find(c), []).append(c)
        return sorted(groups.values())

    def reorder(self, order: list[int]) -> None:
        """New column k is old column order[k]; one-cell rows (titles, notes) and their
        merges stay where they are."""
        new_of = {old: new for new, old in enumerate(order)}
        single = {i for i, row in enumerate(self.rows) if sum(v is not None for v in row) <= 1}
        self.rows = [
            row if i in single else [row[old] for old in order] for i, row in enumerate(self.rows)
        ]
        merged = []
        for c1, r1, c2, r2 in self.merged:
            if all(r - 1 in single for r in range(r1, r2 + 1)):
                merged.append((c1, r1, c2, r2))
                continue
            cols = sorted(new_of[c - 1] + 1 for c in range(c1, c2 + 1))
            merged.append((cols[0], r1, cols[-1], r2))
        self.merged = merged

    def insert_col(self, at: int) -> None:
        """An empty column before 0-based column `at` (a block boundary)."""
        for row in self.rows:
            row.insert(at, None)
        out = []
        for c1, r1, c2, r2 in self.merged:
            if c1 - 1 >= at:
                out.append((c1 + 1, r1, c2 + 1, r2))
            elif c2 - 1 >= at:  # spans the boundary: only a one-cell title row can
                out.append((c1, r1, c2 + 1, r2))
            else:
                out.append((c1, r1, c2, r2))
        self.merged = out

    # -- the changes
    def apply(self, kind: str, k: int) -> None:
        if kind == "move":
            blocks = self.blocks()
            if len(blocks) < 2:
                return
            moved = blocks.pop(k % len(blocks))
            blocks.insert((k // len(blocks)) % (len(blocks) + 1), moved)
            self.reorder([c for b in blocks for c in b])
        elif kind == "blank-col":
            starts = [b[0] for b in self.blocks()] + [self.width]
            self.insert_col(starts[k % len(starts)])
        elif kind == "blank-top":
            self.insert_row(0)
        elif kind == "blank-data":
            data = self.data_rows()
            self.insert_row(data[k % len(data)] + 1)
        elif kind == "title":
            self.insert_row(0, [TITLE] + [None] * (self.width - 1))
            self.merged.append((1, 1, self.width, 1))
        elif kind == "total":
            self._total()
        elif kind == "note":
            self.insert_row(len(self.rows), [NOTE] + [None] * (self.width - 1))
        elif kind == "units":
            if self.applied:  # the columns are known as given only before any other change
                return
            self._units()
        elif kind == "text-numbers":
            for i in self.data_rows():
                self.rows[i] = [_as_text(v) for v in self.rows[i]]
        self.applied.append(kind)

    def _units(self) -> None:
        """A unit row under the header (above a 甲 乙 丙 1 2 3 numbering row), for columns
        whose header names no unit, in a layout that has no unit row yet."""
        first = self.data_rows()[0]
        heads = [str(v) for r in range(first) for v in self.rows[r] if v is not None]
        if any(h in UNIT_WORDS for h in heads):
            return
        row: list = [None] * self.width
        for c, fid in self.fields.items():
            column = [str(self.rows[r][c] or "") for r in range(first)]
            if fid in UNITS and not any(b in h for h in column for b in "（(单位"):
                row[c] = UNITS[fid]
        numbered = all(
            isinstance(v, int) or (isinstance(v, str) and v in "甲乙丙丁戊己庚辛壬癸")
            for v in self.rows[first - 1]
            if v is not None
        )
        if sum(v is not None for v in row) >= 2:  # one cell alone would read as a note
            self.insert_row(first - 1 if numbered else first, row)

    def _total(self) -> None:
        data = self.data_rows()
        col = self.community_col()
        total: list = [None] * self.width
        total[col] = "合计"
        for c in range(self.width):
            cells = [self.rows[i][c] for i in data]
            numbers = [v for v in cells if isinstance(v, (int, float)) and not isinstance(v, bool)]
            if numbers and all(v is None or v in numbers for v in cells) and c != col:
                total[c] = round(sum(numbers), 6)
        self.insert_row(data[-1] + 1, total)


def _as_text(v: object) -> object:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return v
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def write(sheet: Sheet, layout: corpus.Layout, path: Path, fmt: tuple) -> Path:
    if fmt[0] == "xlsx":
        merged = [_ref(m) for m in sheet.merged]
        return corpus.write_xlsx(path.with_suffix(".xlsx"), layout.sheet, sheet.rows, merged)
    _, delimiter, quoting, encoding, newline = fmt
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, quoting=quoting, lineterminator=newline)
    for row in sheet.rows:
        writer.writerow(["" if v is None else v for v in row])
    out = path.with_suffix(".csv")
    out.write_bytes(buf.getvalue().encode(encoding))
    return out


def _ref(m: tuple[int, int, int, int]) -> str:
    c1, r1, c2, r2 = m
    return f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}"


def cause(layout: corpus.Layout, frame) -> str:
    """What kind of difference: a row read as a community that is none (all digits: a row
    of column numbers), another extra row, a community missing, or values that differ."""
    want = len(layout.values["community"])
    if len(frame) > want:
        names = {str(v) for v in layout.values["community"]}
        extra = [str(v) for v in frame["community"] if str(v) not in names]
        return "numbered-row" if extra and all(e.isdigit() for e in extra) else "extra-row"
    return "missing-row" if len(frame) < want else "values"


def findings(census) -> set[str]:
    return {i.code for i in census.issues if i.severity in (Severity.WARNING, Severity.ERROR)}


class Target:
    """The layouts read right unchanged, and what the reader says about each of them."""

    def __init__(self, tally: Tally) -> None:
        self.tally = tally
        self.dir = Path(tempfile.mkdtemp(prefix="fuzz-layouts-"))
        self.layouts: list[corpus.Layout] = []
        self.baseline: dict[str, set[str]] = {}
        self.explained = 0
        self.same = 0
        for layout in corpus.load_all():
            if layout.name in UNREAD:
                continue
            census, error = corpus.read_layout(layout, self.dir)
            if error is None and not corpus.value_problems(layout, census.frame):
                self.layouts.append(layout)
                self.baseline[layout.name] = findings(census)

    def one(self, index: int, changes: list[tuple[str, int]], fmt: tuple) -> str:
        """Read one changed layout; returns same | explained | refused (and records a
        failure for a silent difference or a crash)."""
        layout = self.layouts[index % len(self.layouts)]
        sheet = Sheet.of(layout)
        for kind, k in sorted(changes, key=lambda c: c[0] != "units"):  # units first
            sheet.apply(kind, k)
        path = write(sheet, layout, self.dir / "input", fmt)
        data = path.read_bytes()
        what = f"{layout.name} {'+'.join(sheet.applied) or 'unchanged'} as {fmt[0]}"
        census = self.tally.guard(
            fmt[0], lambda: corpus.read(path), (DataError,), data, path.suffix
        )
        if census is None:
            return "refused"
        problems = corpus.value_problems(layout, census.frame)
        if not problems:
            self.same += 1
            return "same"
        if findings(census) - self.baseline[layout.name]:
            self.explained += 1
            return "explained"
        exc = SilentlyDifferent(f"{what}: {'; '.join(problems)}"[:600])
        self.tally.record(f"silent-{cause(layout, census.frame)}", exc, data, path.suffix)
        if self.tally.raise_failures:
            raise exc
        return "silent"


def strategies():
    from hypothesis import strategies as st

    change = st.tuples(st.sampled_from(KINDS), st.integers(0, 400))
    xlsx = st.tuples(st.just("xlsx"))
    text = st.tuples(
        st.just("csv"),
        st.sampled_from([",", "\t"]),
        st.sampled_from(QUOTING),
        st.sampled_from(ENCODINGS),
        st.sampled_from(["\n", "\r\n"]),
    )
    return st.tuples(
        st.integers(0, 1000), st.lists(change, min_size=1, max_size=4), st.one_of(xlsx, text)
    )


def hypothesis_test(target: Target, batch: int, *, shrink: bool = False):
    from hypothesis import given

    if getattr(target, "case", None) is None:
        target.case = strategies()

    @hypothesis_settings(batch, shrink=shrink)
    @given(target.case)
    def test(case) -> None:
        index, changes, fmt = case
        target.one(index, changes, fmt)

    return test


def main(argv: list[str] | None = None) -> int:
    args = parse_args(__doc__.splitlines()[0], argv)
    tally = Tally("layouts/hypothesis")
    target = Target(tally)
    run_hypothesis(args.minutes * 60, lambda batch: hypothesis_test(target, batch), batch=10)
    tally.report(args.stats)
    print(
        f"{len(target.layouts)} seed layouts; same values: {target.same}, "
        f"a finding explains the difference: {target.explained}, refused: {tally.refused}",
        flush=True,
    )
    return 1 if tally.failures else 0


if __name__ == "__main__":
    sys.exit(main())

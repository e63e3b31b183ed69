"""The census layout corpus (tests/read/layouts/*.yaml): load, render to .xlsx, read, score.

Each layout is a sheet as a street office sends it, with its header spellings taken from real
forms (see its `source:` line), what every header column must be read as (`expect`) and the
hand-worked values per field. `test_layout_corpus.py` asserts them; run this file to print the
recognition figures (columns right / wrong / missed, per layout and in total):

    .venv/bin/python tests/read/layout_corpus.py [-v]

`-v` also lists every column that is not read as expected.
"""

from __future__ import annotations

import math
import re
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd
import yaml
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries

from indicators.model.errors import DataError
from indicators.model.fields import shared_vocabulary
from indicators.read import read_census

LAYOUTS = Path(__file__).parent / "layouts"
IGNORED = "-"
TEXT_FIELDS = ("district", "street", "community", "code")
# The census fields a layout may expect, with the plain one-row header the clean sheet uses.
CANONICAL = {
    "district": "区县",
    "street": "街道",
    "community": "社区",
    "community_type": "社区类型",
    "code": "统计用区划代码",
    "census_year": "统计年度",
    "households": "户数",
    "population": "常住人口",
    "urban_population": "城镇常住人口",
    "building_area": "社区总建筑面积",
    "facility_area": "社区综合服务设施面积",
    "has_service_facility": "是否有综合服务设施",
    "commercial_service_area": "商业和综合服务设施面积",
    "resident_activity_area": "居民活动区域面积",
    "has_self_service_terminal": "是否有政务服务自助终端",
    "community_workers": "社区工作者人数",
    "station_staff": "社区综合服务站专职工作人员数",
    "grid_workers": "网格员人数",
    "social_orgs": "社区社会组织数",
    "volunteers": "注册志愿者人数",
    "committee_members": "居（村）委会成员数",
}
FIELDS = frozenset(CANONICAL)
BOOLEAN_FIELDS = frozenset({"has_service_facility", "has_self_service_terminal"})
TYPE_TEXT = {"urban": "城市社区", "rural": "农村社区"}
_LETTER = re.compile(r"^[A-Z]{1,2}$")


@dataclass(frozen=True)
class Layout:
    name: str  # file stem
    source: str
    sheet: str
    rows: list[list]
    merged: list[str]
    expect: dict[str, str]  # column letter -> field id or "-"
    lookalike: dict[str, str]  # column letter -> the field it resembles but is not
    values: dict[str, list]  # field id -> one value per community row
    shape: str = ""

    @property
    def fields(self) -> set[str]:
        return {f for f in self.expect.values() if f != IGNORED}


class LayoutError(ValueError):
    """A layout file that is not well formed (a mistake in the corpus, not in the reader)."""


def load(path: Path) -> Layout:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    name = path.stem

    def fail(msg: str) -> LayoutError:
        return LayoutError(f"{path.name}: {msg}")

    for key in ("source", "rows", "expect", "values"):
        if not data.get(key):
            raise fail(f"missing {key!r}")
    rows = [list(r or []) for r in data["rows"]]
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row, start=1):
            if isinstance(v, bool) or not (v is None or isinstance(v, (str, int, float))):
                raise fail(f"cell {get_column_letter(c)}{r}: {v!r} is not text or a number")
    expect = {str(k): str(v) for k, v in data["expect"].items()}
    for letter, fid in expect.items():
        if not _LETTER.match(letter):
            raise fail(f"expect key {letter!r} is not a column letter")
        if fid != IGNORED and fid not in FIELDS:
            raise fail(f"expect {letter}: unknown field {fid!r}")
    lookalike = {str(k): str(v) for k, v in (data.get("lookalike") or {}).items()}
    for letter, fid in lookalike.items():
        if expect.get(letter) != IGNORED or fid not in FIELDS:
            raise fail(f"lookalike {letter}: must be an ignored column and name a known field")
    values = {str(k): list(v) for k, v in data["values"].items()}
    wanted = {f for f in expect.values() if f != IGNORED}
    if set(values) != wanted:
        raise fail(f"values must list exactly the expected fields {sorted(wanted)}")
    counts = {len(v) for v in values.values()}
    if len(counts) != 1 or counts.pop() < 4:
        raise fail("values: every field needs the same number (at least 4) of community rows")
    layout = Layout(
        name=name,
        source=str(data["source"]),
        sheet=str(data.get("sheet") or "Sheet1"),
        rows=rows,
        merged=[str(m) for m in data.get("merged") or []],
        expect=expect,
        lookalike=lookalike,
        values=values,
        shape=str(data.get("shape") or ""),
    )
    _check_header_columns(layout, fail)
    return layout


def _check_header_columns(layout: Layout, fail) -> None:
    """Every non-empty header cell's column is in `expect`, and every `expect` column has one.

    The header part is the rows above the first community row (found by its name); a title
    row (a single text cell) is not a header row."""
    first = layout.values["community"][0] if "community" in layout.values else None
    if first is None:
        raise fail("values must include the community names")
    top = next((i for i, row in enumerate(layout.rows) if first in row), None)
    if top is None:
        raise fail(f"no row holds the first community {first!r}")
    seen: set[str] = set()
    for r, row in enumerate(layout.rows[:top], start=1):
        filled = [c for c, v in enumerate(row) if v not in (None, "")]
        if len(filled) <= 1 and not _merged_down(layout, r, filled):
            continue  # a title, a date or a "单位：" line
        if all(isinstance(row[c], str) and re.search("[:：]", row[c]) for c in filled):
            continue  # "填报单位：… | 填报日期：…"
        seen |= {get_column_letter(c + 1) for c in filled}
    for rng in layout.merged:  # a merged header cell covers its whole range
        c1, r1, c2, _ = range_boundaries(rng)
        if r1 <= top and any(get_column_letter(c) in seen for c in range(c1, c2 + 1)):
            seen |= {get_column_letter(c) for c in range(c1, c2 + 1)}
    missing = sorted(seen - set(layout.expect), key=column_index_from_string)
    extra = sorted(set(layout.expect) - seen, key=column_index_from_string)
    if missing:
        raise fail(f"header column(s) {missing} have no expectation")
    if extra:
        raise fail(f"expect names column(s) {extra} with no header cell")


def _merged_down(layout: Layout, r: int, filled: list[int]) -> bool:
    """A single header cell (say "序号" merged down two rows) is a header, not a title."""
    if len(filled) != 1:
        return False
    col = filled[0] + 1
    for rng in layout.merged:
        c1, r1, c2, r2 = range_boundaries(rng)
        if r1 == r and r2 > r1 and c1 == c2 == col:
            return True
    return False


def load_all(directory: Path = LAYOUTS) -> list[Layout]:
    return [load(p) for p in sorted(directory.glob("*.yaml"))]


def write_xlsx(path: Path, sheet: str, rows: list[list], merged: Iterable[str] = ()) -> Path:
    """Cells as written: numbers as numbers, text as text; merged ranges applied."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(r, c, value)
    for rng in merged:
        c1, r1, c2, r2 = range_boundaries(rng)
        covered = [
            ws.cell(r, c).coordinate
            for r in range(r1, r2 + 1)
            for c in range(c1, c2 + 1)
            if (r, c) != (r1, c1) and ws.cell(r, c).value is not None
        ]
        if covered:
            raise LayoutError(f"merged range {rng} covers filled cell(s) {covered}")
        ws.merge_cells(rng)
    wb.save(path)
    return path


def clean_rows(layout: Layout) -> list[list]:
    """The same communities as a clean one-row-header sheet with canonical headers."""
    fids = [f for f in CANONICAL if f in layout.values]
    out: list[list] = [[CANONICAL[f] for f in fids]]
    for i in range(len(layout.values[fids[0]])):
        row = []
        for f in fids:
            v = layout.values[f][i]
            if v is None:
                row.append(None)
            elif f in BOOLEAN_FIELDS:
                row.append("是" if v else "否")
            elif f == "community_type":
                row.append(TYPE_TEXT[v])
            elif f in TEXT_FIELDS:
                row.append(str(v))
            else:
                row.append(v)
        out.append(row)
    return out


def read(path: Path):
    return read_census(path, vocabulary=shared_vocabulary())


@dataclass
class Score:
    """How the header columns of one layout were read."""

    right: int = 0  # read as expected (a field, or ignored when "-")
    wrong: int = 0  # mapped to a field it is not (including a "-" column mapped to a field)
    missed: int = 0  # expected a field, got none
    ignored_right: int = 0  # of `right`: "-" columns left alone
    problems: list[str] = field(default_factory=list)
    error: str | None = None  # the reader refused the file
    outcomes: list[tuple[str, str | None]] = field(default_factory=list)  # (expected, got)

    @property
    def mapping_ok(self) -> bool:
        return self.wrong == 0 and self.missed == 0 and self.error is None


def mapped(layout: Layout, census) -> dict[str, str | None]:
    """Column letter -> field the reader gave it (None when it ignored the column)."""
    return {c.column: c.field for c in census.columns if c.sheet in (layout.sheet, None)}


def score(layout: Layout, census) -> Score:
    s = Score()
    got = mapped(layout, census) if census is not None else {}
    for letter, want in sorted(
        layout.expect.items(), key=lambda kv: column_index_from_string(kv[0])
    ):
        have = got.get(letter)
        s.outcomes.append((want, have))
        if have == (None if want == IGNORED else want):
            s.right += 1
            s.ignored_right += want == IGNORED
        elif have is None:
            s.missed += 1
            s.problems.append(f"{letter}: missed {want}")
        else:
            s.wrong += 1
            s.problems.append(f"{letter}: read as {have}, expected {want}")
    for letter, have in got.items():
        if have and letter not in layout.expect:
            s.wrong += 1
            s.problems.append(f"{letter}: read as {have}, not a header column")
    return s


def value_problems(layout: Layout, frame: pd.DataFrame) -> list[str]:
    """Differences between the frame and the hand-worked values, one line per field."""
    out = []
    for fid, want in layout.values.items():
        if fid not in frame:
            out.append(f"{fid}: not in the frame")
            continue
        have = frame[fid].tolist()
        if len(have) != len(want) or not all(_same(h, w) for h, w in zip(have, want, strict=True)):
            out.append(f"{fid}: got {have}, expected {want}")
    return out


def _same(have: object, want: object) -> bool:
    if want is None:
        return have is None or have is pd.NA or (isinstance(have, float) and math.isnan(have))
    if isinstance(want, (int, float)):
        try:
            return math.isclose(float(have), float(want), rel_tol=1e-9, abs_tol=1e-6)
        except (TypeError, ValueError):
            return False
    return str(have) == str(want)


def read_layout(layout: Layout, directory: Path):
    """(census or None, error text or None) for the layout rendered into `directory`."""
    path = write_xlsx(directory / f"{layout.name}.xlsx", layout.sheet, layout.rows, layout.merged)
    try:
        return read(path), None
    except DataError as exc:
        return None, str(exc)


def check(layout: Layout, directory: Path) -> tuple[Score, list[str]]:
    """Read the layout; (column score, every other problem: look-alikes, values, clean frame)."""
    census, error = read_layout(layout, directory)
    s = score(layout, census)
    if error:
        s.error = error
        s.missed = sum(f != IGNORED for f in layout.expect.values())
        s.right = s.ignored_right = s.wrong = 0
        return s, [f"the reader refused the file: {error}"]
    got = mapped(layout, census)
    out = [
        f"{k}: read as {v}, a look-alike" for k, v in layout.lookalike.items() if got.get(k) == v
    ]

    out += value_problems(layout, census.frame)
    clean = read(write_xlsx(directory / f"{layout.name}-clean.xlsx", "Sheet1", clean_rows(layout)))
    try:
        pd.testing.assert_frame_equal(
            census.frame.reset_index(drop=True),
            clean.frame.reset_index(drop=True),
            check_exact=False,
            rtol=1e-9,
            atol=1e-6,
        )
    except AssertionError as exc:
        out.append("frame differs from the clean one-row sheet: " + " ".join(str(exc).split()))
    return s, out


def figures(layouts: list[Layout], verbose: bool = False) -> str:
    """The recognition table: one line per layout, the totals and the failing layouts."""
    lines = [f"{'layout':<44} {'right':>5} {'wrong':>5} {'missed':>6}  values"]
    total = Score()
    failing: list[str] = []
    refused_names: set[str] = set()
    outcomes: list[tuple[str, str | None]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for layout in layouts:
            s, problems = check(layout, Path(tmp))
            if s.problems or problems:
                failing.append(layout.name)
            if s.error:
                refused_names.add(layout.name)
            total.right += s.right
            total.wrong += s.wrong
            total.missed += s.missed
            total.ignored_right += s.ignored_right
            outcomes += s.outcomes if not s.error else [(w, None) for w in layout.expect.values()]
            mark = "REFUSED" if s.error else ("differ" if problems else "ok")
            lines.append(f"{layout.name:<44} {s.right:>5} {s.wrong:>5} {s.missed:>6}  {mark}")
            if verbose:
                lines += [f"    {p}" for p in s.problems + problems]
    n = sum(len(layout.expect) for layout in layouts)
    fields = sum(f != IGNORED for layout in layouts for f in layout.expect.values())
    lines.append(
        f"{'TOTAL':<44} {total.right:>5} {total.wrong:>5} {total.missed:>6}  "
        f"{len(layouts) - len(failing)}/{len(layouts)} layouts fully right"
    )
    refused = sorted(refused_names)
    lines.append(
        f"{n} header columns ({fields} census fields, {n - fields} to ignore; "
        f"{total.ignored_right} of those ignored right, "
        f"{n - total.right - total.wrong - total.missed} more in {len(refused)} refused files)"
    )
    lines.append(f"failing: {failing}")
    lines.append("")
    lines.append(_per_field(outcomes))
    return "\n".join(lines)


def _per_field(outcomes: list[tuple[str, str | None]]) -> str:
    """Per expected field: columns read right, missed, and read as another field."""
    lines = [f"{'field':<28} {'columns':>7} {'right':>5} {'missed':>6}  read as"]
    for fid in [*CANONICAL, IGNORED]:
        got = [have for want, have in outcomes if want == fid]
        if not got:
            continue
        want = None if fid == IGNORED else fid
        right = sum(h == want for h in got)
        missed = sum(h is None for h in got) if want else 0
        other = sorted({h for h in got if h not in (want, None)})
        counts = ", ".join(f"{h} {sum(g == h for g in got)}" for h in other)
        lines.append(f"{fid:<28} {len(got):>7} {right:>5} {missed:>6}  {counts}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(figures(load_all(), verbose="-v" in sys.argv[1:]))

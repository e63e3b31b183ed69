"""The roster: which communities should report, under which street and district.

A roster is read like a census, with the same header spellings (区县 / 街道 / 社区, optional
统计用区划代码 and 类型), from xlsx, csv (UTF-8 or GBK) or any other format the census reader
takes; only the identity columns are kept. `write_roster` writes one back, so that a census the
planner trusts can seed next year's check.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from indicators.files import atomic_path, check_outputs, neutralise
from indicators.model.census import KEY_COLUMNS, Census
from indicators.model.errors import DataError, UsageError, said
from indicators.model.fields import Vocabulary, shared_vocabulary
from indicators.model.issues import DataIssue, Severity

IDENTITY_FIELDS = (*KEY_COLUMNS, "community_type", "code")
CODE = re.compile(r"^\d{12}$")
# Written-out forms of the committee behind a name: 平松社区居委会 is 平松社区.
_SUFFIXES = ("居民委员会", "村民委员会", "居委会", "村委会", "办事处")
_BEFORE_SUFFIX = ("社区", "村", "街道", "镇", "乡", "居")
# Header and type words written to a roster file (they read back through the vocabulary).
HEADERS = {
    "district": "区县",
    "street": "街道",
    "community": "社区",
    "community_type": "类型",
    "code": "统计用区划代码",
}
TYPE_WORDS = {"urban": "城市", "rural": "农村"}
WRITABLE = (".xlsx", ".csv")


def identity_vocabulary() -> Vocabulary:
    """The shared vocabulary cut down to the identity columns: other columns are ignored."""
    fields = shared_vocabulary().fields
    return Vocabulary({f: fields[f] for f in IDENTITY_FIELDS})


def norm_name(text: object) -> str:
    """Fold width and white space, and a trailing committee word, so spellings compare equal."""
    if text is None or text is pd.NA or (isinstance(text, float) and text != text):
        return ""
    s = "".join(unicodedata.normalize("NFKC", str(text)).split())
    for suffix in _SUFFIXES:
        rest = s[: -len(suffix)]
        if s.endswith(suffix) and rest.endswith(_BEFORE_SUFFIX):
            return rest
    return s


def norm_code(text: object) -> str:
    if text is None or text is pd.NA or (isinstance(text, float) and text != text):
        return ""
    return "".join(unicodedata.normalize("NFKC", str(text)).split())


def valid_code(code: str) -> bool:
    return bool(CODE.match(code))


@dataclass
class Roster:
    """The expected communities: a Census with identity columns only.

    `positions` are the frame rows that count (a second listing of the same community is left
    out and reported); `issues` are problems found in the roster file itself.
    """

    census: Census
    path: Path | None = None
    positions: list[int] = field(default_factory=list)
    issues: list[DataIssue] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.positions)

    @property
    def name(self) -> str:
        return self.path.name if self.path else str(self.census.source.path.name)

    def sheet_label(self, sheet: str | None) -> str:
        """Where a roster cell is, as Excel names a cell of another workbook: [名册.xlsx]Sheet1."""
        return f"[{self.name}]{sheet or ''}"

    @property
    def frame(self) -> pd.DataFrame:
        return self.census.frame.iloc[self.positions]


def load_roster(path: Path | str) -> Roster:
    """Read a roster file; raises DataError when it has no usable header or no community."""
    from indicators.read import read_census

    path = Path(path)
    if not path.exists():
        raise UsageError(said("read.roster.missing", path=str(path)))
    if path.is_dir():
        raise UsageError(said("read.roster.folder", path=str(path)))
    try:
        census = read_census(path, vocabulary=identity_vocabulary())
    except DataError as exc:
        raise DataError(said("read.roster.prefix", what=exc.said), hint=exc.said_hint) from exc
    return _from_census(census, path)


def roster_from_census(census: Census) -> Roster:
    """A roster listing every community of a census (as read), to seed next year's check."""
    keep = [c for c in IDENTITY_FIELDS if c in census.frame]
    frame = census.frame[keep].copy()
    copy = Census(
        frame=frame,
        source=census.source,
        row_origin=census.row_origin,
        field_columns=census.field_columns,
    )
    return _from_census(copy, None, issues=[])


def _from_census(census: Census, path: Path | None, issues: list | None = None) -> Roster:
    roster = Roster(census=census, path=path)
    frame = census.frame
    keys = pd.DataFrame({c: frame[c].map(norm_name) for c in KEY_COLUMNS})
    seen: dict[tuple, int] = {}
    for pos, key in enumerate(keys.itertuples(index=False, name=None)):
        if not key[2]:
            continue  # no community name: the reader reported it as missing-name
        if key in seen:
            continue  # the reader reported the duplicate
        seen[key] = pos
        roster.positions.append(pos)
    if issues is None:
        issues = [_as_roster_issue(roster, i) for i in census.issues]
        issues = [i for i in issues if i is not None]
    roster.issues = issues
    if not roster.positions:
        raise DataError(said("read.roster.empty", name=roster.name))
    return roster


def _as_roster_issue(roster: Roster, issue: DataIssue) -> DataIssue | None:
    """The reader's problems with a roster row, as warnings located in the roster file."""
    if issue.severity is not Severity.ERROR and issue.code not in ("unknown-category",):
        return None
    return DataIssue(
        issue.code,
        Severity.WARNING,
        str(roster.path or roster.name),
        roster.sheet_label(issue.sheet),
        issue.cell,
        issue.header,
        issue.value,
        issue.expected,
        params=issue.params,
    )


def roster_rows(roster: Roster) -> list[dict[str, str]]:
    """One dict per listed community, header words as keys, in roster order."""
    frame = roster.frame
    columns = [c for c in IDENTITY_FIELDS if c in frame]
    has = {c: frame[c].map(lambda v: bool(norm_code(v))).any() for c in columns}
    columns = [c for c in columns if c in KEY_COLUMNS or has[c]]
    rows = []
    for record in frame[columns].itertuples(index=False, name=None):
        row = {}
        for col, value in zip(columns, record, strict=True):
            text = "" if value is None or value is pd.NA or value != value else str(value)
            if col == "community_type":
                text = TYPE_WORDS.get(text, text)
            row[HEADERS[col]] = text
        rows.append(row)
    return rows


def write_roster(roster: Roster, out: Path, inputs: list[Path] = ()) -> int:
    """Write the roster as .xlsx or .csv (by suffix), atomically; returns the rows written."""
    out = Path(out)
    check_output(out, inputs)
    rows = roster_rows(roster)
    headers = list(rows[0]) if rows else [HEADERS[c] for c in KEY_COLUMNS]
    xlsx = out.suffix.lower() == ".xlsx"
    data = _xlsx_bytes(headers, rows) if xlsx else _csv_bytes(headers, rows)
    with atomic_path(out) as tmp:
        tmp.write_bytes(data)
    return len(rows)


def check_output(out: Path, inputs: list[Path] = ()) -> None:
    """Refuse, before any work, an output that is not .xlsx/.csv, is an input or a folder."""
    if out.suffix.lower() not in WRITABLE:
        raise UsageError(said("read.roster.out", suffix=out.suffix or str(out)))
    check_outputs([out], [Path(i) for i in inputs])


def _xlsx_bytes(headers: list[str], rows: list[dict[str, str]]) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("名册")
    bold = book.add_format({"bold": True})
    text = book.add_format({"num_format": "@"})  # codes stay text: no 1.30102E+11
    for c, h in enumerate(headers):
        sheet.write_string(0, c, h, bold)
        width = max([len(h), *(len(r.get(h, "")) for r in rows)]) * 2 + 2
        sheet.set_column(c, c, min(width, 40), text)
    for r, row in enumerate(rows, start=1):
        for c, h in enumerate(headers):
            sheet.write_string(r, c, row.get(h, ""))  # never a formula, whatever the name
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(rows), len(headers) - 1)
    book.close()
    return buffer.getvalue()


def _csv_bytes(headers: list[str], rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([neutralise(row.get(h, "")) for h in headers])
    return buffer.getvalue().encode("utf-8-sig")  # BOM: Excel opens Chinese text correctly

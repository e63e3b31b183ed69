"""read_census: a file -> one normalised Census, whatever sheets and layout it has."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from indicators.model.census import TEXT_COLUMNS, Census, SourceInfo
from indicators.model.errors import DataError, said
from indicators.model.fields import Vocabulary
from indicators.model.i18n import t
from indicators.model.issues import Severity
from indicators.read import ahead
from indicators.read.failure import fail, listed
from indicators.read.formats import read_raw
from indicators.read.headers import SCAN_ROWS, Header, Matcher, find_header
from indicators.read.mapping import map_line, resolve_mapping
from indicators.read.raw import RawSheet, RawWorkbook
from indicators.read.sheet import Issues, SheetPart, SheetReader
from indicators.read.streets import attach_levels, level_only, read_level_sheet

EXTENSIONS = {
    "xlsx": {".xlsx"},
    "xlsm": {".xlsm", ".xlsx"},
    "xls": {".xls", ".et"},
    "ods": {".ods"},
    "csv": {".csv", ".txt", ".tsv"},
    "parquet": {".parquet", ".pq"},
}


def read_census(
    path: Path,
    *,
    vocabulary: Vocabulary,
    sheets: list[str] | None = None,
    mapping: dict[str, str] | None = None,
    required: set[str] | None = None,
    attachable: bool = False,
) -> Census:
    """Read a census file (xlsx, xlsm, xls, ods, csv, parquet) into a Census.

    Raises DataError when the file cannot be used at all; every problem with a value or a row
    is a DataIssue in `Census.issues` instead. `attachable`: a file holding only street or
    district sheets is read (no community rows) to be attached to a combined census.
    """
    path = Path(path)
    mapping = resolve_mapping(mapping, vocabulary)
    raw = read_raw(path, ahead.take(path))
    issues = Issues(str(path))
    if path.suffix.lower() not in EXTENSIONS[raw.format]:
        issues.add("format-mismatch", Severity.INFO, actual=raw.format, suffix=path.suffix)
    if raw.encoding and raw.encoding not in ("utf-8",):
        issues.add("csv-encoding", Severity.INFO, encoding=raw.encoding)
    for sheet in raw.sheets:
        if sheet.row_map is not None:
            issues.add("sheet-sparse", Severity.WARNING, sheet.name, **_sparse_params(sheet))
    matcher = Matcher(vocabulary.at_level("community"), mapping)
    chosen = _select(path, raw, sheets, issues)
    found: list[tuple[RawSheet, Header]] = []
    level_parts = []
    for sheet in chosen:
        header = find_header(sheet, matcher, vocabulary) if not sheet.grid.empty else None
        if header is None and (level := read_level_sheet(sheet, vocabulary, issues)):
            level_parts.append(level)
            continue
        if header is None:
            if sheets:
                raise fail(
                    path,
                    said("read.sheet_no_header", sheet=sheet.name, n=SCAN_ROWS),
                    said("read.hint.inspect_or_map"),
                )
            if _is_instructions(sheet.name):
                continue  # our own template's 填表说明 sheet: expected, nothing to say
            reason = "empty" if sheet.grid.empty else "no-header"
            issues.add("sheet-skipped", Severity.INFO, sheet.name, reason=reason)
            continue
        found.append((sheet, header))
    if not found and level_parts:
        return level_only(path, raw, level_parts, issues, attachable)
    if not found:
        raise _no_table(path, raw)
    parts = []
    multi = len(found) > 1
    for sheet, header in found:
        has_district = "district" in header.by_field()
        has_street = "street" in header.by_field()
        defaults: dict[str, str] = {}
        if multi and not has_street and _is_street_name(sheet.name):
            # one sheet per 街道/乡镇: the sheet name is the street, not a district
            defaults["street"] = sheet.name
            issues.add("street-from-sheet", Severity.INFO, sheet.name, value=sheet.name)
        elif not has_district and multi:
            defaults["district"] = sheet.name
            issues.add("district-from-sheet", Severity.INFO, sheet.name, value=sheet.name)
        if not has_district and "district" not in defaults:
            issues.add("identity-column-missing", Severity.INFO, sheet.name, field="district")
        if not has_street and "street" not in defaults:
            issues.add("identity-column-missing", Severity.INFO, sheet.name, field="street")
        _column_issues(header, sheet, issues, vocabulary)
        part = SheetReader(sheet, header, vocabulary, issues).read(defaults)
        _excluded_issue(part, sheet.name, issues)
        parts.append(part)
    if not any(len(p.frame) for p in parts):
        raise fail(path, said("read.no_rows"), said("read.hint.inspect_rows"))
    frame = _combine(parts, vocabulary)
    census = Census(
        frame=frame,
        source=SourceInfo(
            path=path,
            sha256=raw.sha256,
            format=raw.format,
            sheets=tuple(s.name for s, _ in found if s.name is not None),
            encoding=raw.encoding,
        ),
        issues=issues.items,
        columns=[c for p in parts for c in p.columns],
        excluded_rows=[e for p in parts for e in p.excluded],
        row_origin=[o for p in parts for o in p.origin],
        field_columns={k: v for p in parts for k, v in p.field_columns.items()},
    )
    census.year = _census_year(census, issues)
    community_required = {f for f in required or set() if _level(vocabulary, f) == "community"}
    _missing_fields(census, found, vocabulary, community_required, issues, matcher)
    _unused_mapping(mapping, matcher, issues)
    attach_levels(census, level_parts, vocabulary, required or set(), issues)
    _duplicates(census, issues)
    return census


def _sparse_params(sheet: RawSheet) -> dict:
    """Where a compacted sheet's far cell is, and what was read, for the sheet-sparse warning."""
    assert sheet.row_map is not None and sheet.col_map is not None
    return {"cell": sheet.far_cell, "rows": len(sheet.row_map), "cols": len(sheet.col_map)}


def _level(vocabulary: Vocabulary, field_id: str) -> str:
    f = vocabulary.get(field_id)
    return f.level if f else "community"


def _select(path: Path, raw: RawWorkbook, sheets: list[str] | None, issues: Issues):
    if not sheets:
        visible = [s for s in raw.sheets if not s.hidden]
        for s in raw.sheets:
            if s.hidden:
                issues.add("sheet-skipped", Severity.INFO, s.name, reason="hidden")
        return visible or raw.sheets
    by_name = {s.name: s for s in raw.sheets}
    missing = [n for n in sheets if n not in by_name]
    if missing:
        names = [s.name for s in raw.sheets if s.name is not None]
        raise fail(
            path,
            said("read.no_sheet", names=listed(missing, quoted=True)),
            said("read.hint.sheets_are", names=listed(names, quoted=True))
            if names
            else said("read.hint.no_named_sheets"),
        )
    return [by_name[n] for n in sheets]


def _no_table(path: Path, raw: RawWorkbook) -> DataError:
    if all(s.grid.empty for s in raw.sheets):
        return fail(path, said("read.empty_cells"))
    return fail(path, said("read.no_header", n=SCAN_ROWS), said("read.hint.inspect_or_map_example"))


def _why_unused(c) -> tuple[str, Severity, str, dict] | None:
    """(code, severity, field, extra params) for a column left out that resembles a field."""
    if c.conflict:
        fid, why = c.conflict
        reasons = {
            "reason": t(f"match.reason.{why}", "zh"),
            "reason_en": t(f"match.reason.{why}", "en"),
        }
        return "column-conflict", Severity.WARNING, fid, reasons
    if c.lookalike:
        return "column-lookalike", Severity.WARNING, c.lookalike, {}
    if c.suggestion:
        return "column-suggestion", Severity.INFO, c.suggestion, {}
    return None


def _column_issues(header: Header, sheet: RawSheet, issues: Issues, vocab: Vocabulary) -> None:
    from indicators.model.issues import column_letter

    def name(fid: str | None) -> str:
        f = vocab.get(fid) if fid else None
        return f.name_zh if f else (fid or "")

    for c in header.columns:
        cell = f"{column_letter(sheet.excel_col(c.index))}{sheet.excel_row(header.rows[-1])}"
        at = {"cell": cell, "header": c.header}
        if c.field is None:
            if c.mapped_ignore:
                continue
            unused = _why_unused(c)
            if unused is not None:
                code, severity, fid, extra = unused
                issues.add(
                    code,
                    severity,
                    sheet.name,
                    **at,
                    field=fid,
                    field_name=name(fid),
                    map=map_line(c.header, name(fid)),
                    **extra,
                )
            else:
                issues.add("column-ignored", Severity.INFO, sheet.name, **at)
        elif c.duplicate_of is not None:
            issues.add(
                "duplicate-column",
                Severity.WARNING,
                sheet.name,
                **at,
                field=c.field,
                other=column_letter(sheet.excel_col(c.duplicate_of)),
            )
        elif not c.unit_ok:
            issues.add(
                "unit-mismatch", Severity.WARNING, sheet.name, **at, unit=c.unit, field=c.field
            )
        if c.field and c.duplicate_of is None and c.confidence == "likely":
            issues.add(
                "column-guessed",
                Severity.WARNING,
                sheet.name,
                **at,
                field=c.field,
                field_name=name(c.field),
                map=map_line(c.header, name(c.field)),
                ignore=map_line(c.header, "-"),
            )
        if c.field and c.duplicate_of is None and c.unit_ok and c.scale != 1.0:
            issues.add(
                "unit-converted",
                Severity.INFO,
                sheet.name,
                **at,
                unit=c.unit,
                scale=f"{c.scale:g}",
            )


def _excluded_issue(part: SheetPart, sheet: str | None, issues: Issues) -> None:
    counts = part.kinds[part.kinds != "data"].value_counts()
    counts = counts.drop("blank", errors="ignore")
    if len(counts):
        summary = ", ".join(f"{k} {v}" for k, v in counts.items())
        issues.add("rows-excluded", Severity.INFO, sheet, count=int(counts.sum()), kinds=summary)


def _combine(parts: list[SheetPart], vocabulary: Vocabulary) -> pd.DataFrame:
    """The sheets' parts in one frame, canonical columns first; the Census gives the
    dtypes (model.census.conform)."""
    frame = pd.concat([p.frame for p in parts], ignore_index=True, sort=False)
    numeric = [c for c in frame.columns if c not in TEXT_COLUMNS]
    order = [c for c in TEXT_COLUMNS if c in frame]
    order += [c for c in vocabulary.fields if c in numeric]
    return frame[order]


STREET_SUFFIXES = ("街道", "街道办", "街道办事处", "办事处", "镇", "乡")


def _is_street_name(name: str | None) -> bool:
    text = "".join((name or "").split())
    return len(text) > 1 and text.endswith(STREET_SUFFIXES)


def _census_year(census: Census, issues: Issues) -> int | None:
    """The year a census is for, from a 统计年度 column when every row agrees."""
    if "census_year" not in census.frame:
        return None
    years = census.frame["census_year"].dropna().unique()
    if len(years) == 1:
        return int(years[0])
    if len(years) > 1:
        shown = ", ".join(str(int(y)) for y in sorted(years))
        issues.add("mixed-years", Severity.WARNING, value=shown)
    return None


INSTRUCTION_SHEETS = {"填表说明", "说明", "instructions", "readme"}


def _is_instructions(name: str | None) -> bool:
    return bool(name) and name.strip().lower() in INSTRUCTION_SHEETS


def _missing_fields(census, found, vocabulary, required, issues, matcher: Matcher) -> None:
    """One error per required field and sheet without it, placed at the sheet's header row
    ("社区基本情况!5") so a clerk knows where the column should go, with the closest unused
    header of the sheet and a `--map` line when one may be the field under another name."""
    for fid in sorted(required):
        f = vocabulary.get(fid)
        name = f.name_zh if f else fid
        if f and f.unit:
            name = f"{name}（{f.unit}）"
        for sheet, header in found:
            if fid in header.by_field():
                continue
            row = sheet.excel_row(header.rows[-1])
            near = _closest_unused(header, fid, matcher)
            issues.add(
                "missing-field",
                Severity.ERROR,
                sheet.name,
                cell=str(row),
                field_name=name,
                field=fid,
                near=near or "",
                map=map_line(near, f.name_zh if f else fid) if near else "",
            )


def _closest_unused(header: Header, fid: str, matcher: Matcher) -> str | None:
    """The unused column of a sheet most like field `fid` (a look-alike or a weak reading
    first), or None when no column resembles it."""
    from indicators.model.fields import normalise_header

    best, score = None, 0.0
    for c in header.columns:
        if c.field is not None or c.mapped_ignore:
            continue
        if fid in (c.lookalike, c.suggestion):
            return c.header
        for part in (c.header, c.header.split(" / ")[-1]):
            got = matcher.index.score_text(normalise_header(part))[0].get(fid)
            if got and got[0] > score:
                best, score = c.header, got[0]
    return best if score >= 0.3 else None


def _unused_mapping(mapping: dict[str, str] | None, matcher: Matcher, issues: Issues) -> None:
    """A --map header that no sheet has is a typo the user should hear about."""
    from indicators.model.fields import normalise_header

    for key, fid in (mapping or {}).items():
        if normalise_header(key) not in matcher.used_keys:
            issues.add("map-unused", Severity.WARNING, header=key, field=fid)


def _duplicates(census: Census, issues: Issues) -> None:
    frame = census.frame
    key = np.zeros(len(frame), dtype=np.int64)
    for column in ("district", "street", "community"):
        codes, folded = _folded(frame[column])
        # one integer per (district, street, community) as folded, renumbered at each step
        key = pd.factorize(key * len(folded) + codes)[0].astype(np.int64)
    named = folded[codes] != ""  # the community's folded name
    dup = pd.Series(key).duplicated(keep=False).to_numpy() & named
    first: dict[int, int] = {}
    for pos in dup.nonzero()[0]:
        k = int(key[pos])
        if k not in first:
            first[k] = pos
            continue
        other_sheet, other_row = census.row_origin[first[k]]
        sheet, cell = census.locate(pos, "community")
        here_sheet = census.row_origin[pos][0]
        other = str(other_row) if other_sheet == here_sheet else f"{other_sheet}!{other_row}"
        names = (frame["district"].iat[pos], frame["street"].iat[pos], frame["community"].iat[pos])
        issues.add(
            "duplicate-community",
            Severity.ERROR,
            sheet,
            cell=cell,
            value=" / ".join(x for x in names if x),
            other_row=other,
        )


def _folded(names: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(code of every row, the distinct folded names): names compared for duplicates are
    NFKC with no white space. The Arrow column is factorised in Arrow and each distinct name
    folded once in plain Python (a national census repeats a few thousand names over
    600,000 rows; unicodedata's quick check makes NFKC of a normal name nearly free); names
    that fold alike share one code."""
    codes, distinct = pd.factorize(names, use_na_sentinel=False)
    folded = ["".join(unicodedata.normalize("NFKC", str(v)).split()) for v in distinct]
    merged, unique = pd.factorize(np.array(folded, dtype=object), use_na_sentinel=False)
    if not len(codes):
        return np.zeros(0, dtype=np.int64), np.array([""], dtype=object)
    return merged[codes].astype(np.int64), np.asarray(unique, dtype=object)

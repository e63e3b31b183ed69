"""Street and district sheets: one row per 街道/乡镇 or per 区县, for facts of the street
office or the district itself.

Such a sheet is read with the same header matching, value coercion, row classification
(totals, notes, blank rows) and findings as a community sheet: the street (district) column
plays the part of the community column (a level vocabulary names it `community`), and the
only other fields matched are those declared `level: street` (`level: district`). Community
sheets never match those fields, so a header such as 社会工作服务站 is read where it belongs.

The sheets may come in the census workbook or as files of their own (`--combine`): either
way they are lined up with the community rows once, on the whole census (`line_up`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from indicators.model.census import KEY_COLUMNS, Census, SourceInfo
from indicators.model.errors import DataError, said
from indicators.model.fields import Vocabulary
from indicators.model.issues import DataIssue, Severity
from indicators.model.levels import LEVELS, PARENTS, level_rows, names_parents, unit_keys
from indicators.read.failure import fail, listed
from indicators.read.formats import RawSheet, RawWorkbook
from indicators.read.headers import Matcher, find_header
from indicators.read.sheet import Issues, SheetPart, SheetReader

# How statistics tables head the column naming each row's unit, whatever the unit: a
# 区县 table is often headed 单位名称 (the reporting unit) rather than 区县.
ROW_NAME_HEADERS = ("单位名称", "填报单位", "地区", "地区名称")  # not 单位: often 计量单位
# Findings that depend on which sheets the whole census has: recomputed after combining files.
LINE_UP_CODES = frozenset(
    code
    for level in LEVELS
    for code in (
        f"{level}-sheet-missing",
        f"{level}-without-communities",
        f"{level}-not-on-{level}-sheet",
        f"duplicate-{level}",
    )
)


@dataclass
class LevelPart:
    level: str  # street | district
    part: SheetPart
    sheet: str | None = None


def level_vocabulary(vocabulary: Vocabulary, level: str) -> Vocabulary | None:
    """The level's parents, its unit as the row key, and its own fields; None without any."""
    own = vocabulary.at_level(level).fields
    if not own or level not in vocabulary or "community" not in vocabulary:
        return None
    unit = vocabulary[level]
    key = replace(
        vocabulary["community"],
        name_zh=unit.name_zh,
        name_en=unit.name_en,
        aliases=(*unit.aliases, *ROW_NAME_HEADERS),
    )
    keep = {p: vocabulary[p] for p in PARENTS[level] if p in vocabulary}
    return Vocabulary({**keep, "community": key, **own})


def read_level_sheet(sheet: RawSheet, vocabulary: Vocabulary, issues: Issues) -> LevelPart | None:
    """The sheet as a street or district sheet, or None when its header reads as neither."""
    if sheet.grid.empty:
        return None
    for level in LEVELS:
        part = _read_as(level, sheet, vocabulary, issues)
        if part is not None:
            return LevelPart(level, part, sheet.name)
    return None


def _read_as(
    level: str, sheet: RawSheet, vocabulary: Vocabulary, issues: Issues
) -> SheetPart | None:
    sheet_vocab = level_vocabulary(vocabulary, level)
    if sheet_vocab is None:
        return None
    header = find_header(sheet, Matcher(sheet_vocab, None), sheet_vocab)
    identity = {"community", *PARENTS[level]}
    if header is None or not (set(header.by_field()) - identity):
        return None
    part = SheetReader(sheet, header, sheet_vocab, issues).read({})
    keep = [*PARENTS[level], "community", *(f for f in sheet_vocab.fields if f not in identity)]
    frame = part.frame[[c for c in keep if c in part.frame]]
    part.frame = frame.rename(columns={"community": level})
    part.field_columns = {
        (s, level if f == "community" else f): c for (s, f), c in part.field_columns.items()
    }
    part.columns = [replace(c, field=level) if c.field == "community" else c for c in part.columns]
    issues.add(f"{level}-sheet", Severity.INFO, sheet.name, count=len(part.frame))
    return part


def level_only(
    path: Path,
    raw: RawWorkbook,
    parts: list[LevelPart],
    issues: Issues,
    attachable: bool,
) -> Census:
    """A file whose only tables are street or district sheets: a census with no community
    rows to attach to the other files of a combined census; on its own, a clear error."""
    if not attachable:
        what = listed([said(f"read.level_sheet.{p.level}", sheet=p.sheet) for p in parts])
        raise fail(
            path, said("read.level_only", what=what), said("read.hint.combine", file=path.name)
        )
    frame = pd.DataFrame({k: pd.Series(dtype="string") for k in KEY_COLUMNS})
    census = Census(
        frame=frame,
        source=SourceInfo(
            path=path,
            sha256=raw.sha256,
            format=raw.format,
            sheets=tuple(s.name for s in raw.sheets if s.name is not None),
        ),
        issues=issues.items,
    )
    _put(census, parts)
    return census


def no_communities(paths: list[Path]) -> DataError:
    """The error for a combined census whose files are all street or district sheets."""
    names = "、".join(p.name for p in paths)
    return DataError(
        said("read.no_community_file", names=names), hint=said("read.hint.add_community_file")
    )


def attach_levels(
    census: Census,
    parts: list[LevelPart],
    vocabulary: Vocabulary,
    required: set[str],
    issues: Issues,
) -> None:
    """Put the street and district rows on the census, and say which do not line up."""
    _put(census, parts)
    census.issues[:] = [i for i in census.issues if i.code not in LINE_UP_CODES]
    census.issues.extend(line_up(census, vocabulary, required, issues.file))


def _put(census: Census, parts: list[LevelPart]) -> None:
    """The level sheets' rows on the census, and how their columns were read (`inspect`)."""
    for level in LEVELS:
        mine = [p.part for p in parts if p.level == level]
        if mine:
            frame = pd.concat([p.frame for p in mine], ignore_index=True, sort=False)
            set_level(census, level, frame, [o for p in mine for o in p.origin])
            census.field_columns.update({k: v for p in mine for k, v in p.field_columns.items()})
            census.columns.extend(c for p in mine for c in p.columns)
            census.excluded_rows.extend(e for p in mine for e in p.excluded)


def set_level(census: Census, level: str, frame: pd.DataFrame, origin: list) -> None:
    """The level's rows on the census: identity columns as text ("" when not given)."""
    frame = frame.reset_index(drop=True)
    for col in (*PARENTS[level], level):
        if col not in frame:
            frame[col] = ""
        frame[col] = frame[col].fillna("").astype(object)
    if level == "street":
        census.streets, census.street_origin = frame, origin
    else:
        census.districts, census.district_origin = frame, origin


def combine_levels(census: Census, censuses: list[Census], label) -> None:
    """A combined census's street and district rows: every file's, each row keeping its file
    (`label(path, sheet)`), lined up once against all the communities (a street sheet sent as
    a file of its own lines up with the other files' communities)."""
    for level in LEVELS:
        frames, origin = [], []
        for c in censuses:
            rows, where = level_rows(c, level)
            if rows is not None:
                frames.append(rows)
                origin += [(label(c.source.path, s), r) for s, r in where]
        if frames:
            set_level(census, level, pd.concat(frames, ignore_index=True, sort=False), origin)
    # Per-file line-up findings said "no street sheet" of a file whose street sheet is
    # another file: keep one "missing" per level the whole census lacks, redo the rest.
    missing: dict[str, DataIssue] = {}
    for issue in census.issues:
        level = issue.code.removesuffix("-sheet-missing")
        if level in LEVELS and level_rows(census, level)[0] is None:
            missing.setdefault(level, replace(issue, file=str(census.source.path)))
    census.issues[:] = [i for i in census.issues if i.code not in LINE_UP_CODES]
    census.issues.extend(missing.values())
    census.issues.extend(_line_up_all(census, str(census.source.path)))


def line_up(census: Census, vocabulary: Vocabulary, required: set[str], file: str) -> list:
    """Findings: a level the plan needs with no sheet; units on a level sheet with no
    community rows, listed twice, or communities' units missing from the sheet."""
    out = Issues(file)
    for level in LEVELS:
        if level_rows(census, level)[0] is not None:
            continue
        wanted = sorted(f for f in required if (v := vocabulary.get(f)) and v.level == level)
        if wanted:
            names = "、".join(vocabulary[f].name_zh for f in wanted)
            out.add(f"{level}-sheet-missing", Severity.WARNING, fields=names)
    return out.items + _line_up_all(census, file)


def _line_up_all(census: Census, file: str) -> list[DataIssue]:
    out = Issues(file)
    for level in LEVELS:
        if level_rows(census, level)[0] is not None:
            _line_up(census, level, out)
    return out.items


def _line_up(census: Census, level: str, issues: Issues) -> None:
    """Units on the level's sheet with no community rows, and units of community rows missing
    from it: each a warning naming the sheet and row."""
    rows, origin = level_rows(census, level)
    by_parent = names_parents(rows, level)
    keys = unit_keys(rows, level, by_parent)

    def cell(pos: int) -> tuple[str | None, str]:
        sheet, row = origin[pos]
        return sheet, f"{census.field_columns.get((sheet, level), '')}{row}"

    listed: dict[tuple[str, ...], int] = {}
    for pos, k in enumerate(keys):
        if k in listed:
            sheet, at = cell(pos)
            value = " / ".join(x for x in k if x)
            other = origin[listed[k]][1]
            issues.add(
                f"duplicate-{level}", Severity.WARNING, sheet, cell=at, value=value, other_row=other
            )
            continue
        listed[k] = pos
    frame = census.frame
    if level not in frame or not len(frame):
        return
    first: dict[tuple[str, ...], int] = {}  # each unit's first community row
    for pos, k in enumerate(unit_keys(frame, level, by_parent)):
        if k[-1]:
            first.setdefault(k, pos)
    seen = set(first)
    for k, pos in listed.items():
        if k not in seen:
            sheet, at = cell(pos)
            value = " / ".join(x for x in k if x)
            issues.add(
                f"{level}-without-communities", Severity.WARNING, sheet, cell=at, value=value
            )
    for k in sorted(seen - set(listed)):
        value = " / ".join(x for x in k if x)
        sheet, at = census.locate(first[k], level)  # where the community rows name it
        code = f"{level}-not-on-{level}-sheet"
        issues.add(code, Severity.WARNING, sheet, cell=at, value=value)

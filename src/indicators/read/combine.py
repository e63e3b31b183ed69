"""Many census files, one census: a city's street returns read as one.

Each file is read on its own (its own header detection, mapping, issues); `combine` then
stacks the communities. Where a value came from stays known: a combined census's sheet
names are Excel's external-reference form, `[东城街道.xlsx]社区基本情况`, so every cell in
every finding and report reads `[东城街道.xlsx]社区基本情况!F17`.

Two things only a combined census can show:
  - the same file sent twice (same SHA-256): read once, reported (`duplicate-file`);
  - one community in two files (two streets submitted it, or a re-sent file under a new
    name): reported naming both places (`community-in-two-files`). With the same figures
    it is counted once (the first file's row) and the finding is a warning; with different
    figures nobody can tell which is right, so it is an error.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from indicators.model.census import TEXT_COLUMNS, Census, ColumnMatch, ExcludedRow, SourceInfo
from indicators.model.issues import DataIssue, Severity
from indicators.read.streets import combine_levels

KEYS = ("district", "street", "community")

# Suffixes a folder argument contributes (what read_census reads).
CENSUS_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".ods", ".csv", ".tsv", ".parquet", ".pq")


# What only a combined census can find; the CLI lists these right under its summary line.
FINDINGS = (
    "duplicate-file",
    "community-in-two-files",
    "community-in-two-files-differ",
    "community-name-in-two-files",
    "street-not-reported",
    "file-unreadable",
)


@dataclass(frozen=True)
class Part:
    """One file of a combined census, for the report's About and the summary."""

    source: SourceInfo
    rows: int  # community rows read from it (0 for a duplicate file)
    duplicate_of: Path | None = None  # the identical file that was read instead


def expand_inputs(paths: list[Path]) -> list[Path]:
    """Files as given; a folder stands for the census files in it and its subfolders
    (sorted; Office lock files `~$…` and hidden files left out)."""
    out: list[Path] = []
    for path in paths:
        if not path.is_dir():
            out.append(path)
            continue
        found = sorted(
            p
            for p in path.rglob("*")
            if p.is_file()
            and p.suffix.lower() in CENSUS_SUFFIXES
            and not p.name.startswith(("~$", "."))
        )
        out.extend(found)
    seen: set[Path] = set()
    unique = []
    for p in out:  # the same path given twice (a file and its folder) is one input
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def identical_files(paths: list[Path]) -> dict[Path, Path]:
    """Each path whose bytes equal an earlier path's -> that earlier path."""
    first: dict[str, Path] = {}
    out: dict[Path, Path] = {}
    for p in paths:
        digest = file_sha256(p)
        if digest in first:
            out[p] = first[digest]
        else:
            first[digest] = p
    return out


def label(path: Path, sheet: str | None) -> str:
    """How a sheet of one file of a combined census is named: `[file.xlsx]Sheet`."""
    return f"[{path.name}]{sheet}" if sheet else path.name


def combined_path(paths: list[Path]) -> Path:
    """A name for the combined census: the folder the files share."""
    for parents in ({p.parent for p in paths}, {p.resolve().parent for p in paths}):
        if len(parents) == 1:
            return next(iter(parents))  # as the user gave it when it can be
    common = Path(*_common_prefix([p.resolve().parts for p in paths]))
    return common if str(common) not in ("", "/") else Path("combined")


def _common_prefix(parts: list[tuple[str, ...]]) -> list[str]:
    out = []
    for items in zip(*parts, strict=False):
        if len(set(items)) != 1:
            break
        out.append(items[0])
    return out or [""]


def combine(
    censuses: list[Census],
    duplicates: dict[Path, Path] | None = None,
    path: Path | None = None,
    expected: set[tuple[str, str, str]] | None = None,
) -> Census:
    """One census from several read files (in the order given). `duplicates` lists files
    left unread because an identical file was read (see `identical_files`). `expected`:
    the roster's (district, street, community) keys (`roster_keys`); a community in two
    files with the same figures is counted where the roster puts it, else where first seen."""
    duplicates = duplicates or {}
    issues: list[DataIssue] = []
    for dup, original in duplicates.items():
        issues.append(
            DataIssue(
                code="duplicate-file",
                severity=Severity.WARNING,
                file=str(dup),
                value=str(dup),
                params={"other": str(original)},
            )
        )
    frames, origin, columns, excluded = [], [], [], []
    field_columns: dict[tuple[str | None, str], str] = {}
    row_file: list[int] = []
    for k, c in enumerate(censuses):
        p = c.source.path
        # Every finding names its file: [file]sheet!cell, as for the rows.
        issues.extend(
            replace(i, sheet=label(p, i.sheet)) if (i.sheet or i.cell) else i for i in c.issues
        )
        frames.append(c.frame)
        origin += [(label(p, s), r) for s, r in c.row_origin] or [
            (label(p, None), r + 2) for r in range(len(c.frame))
        ]
        row_file += [k] * len(c.frame)
        columns += [
            ColumnMatch(label(p, m.sheet), m.column, m.header, m.field, m.unit, m.scale)
            for m in c.columns
        ]
        excluded += [ExcludedRow(label(p, e.sheet), e.row, e.kind, e.text) for e in c.excluded_rows]
        field_columns.update({(label(p, s), f): v for (s, f), v in c.field_columns.items()})
    frame = _concat(frames)
    drop = _communities_in_two_files(
        frame, origin, row_file, censuses, field_columns, expected or set(), issues
    )
    keep = np.ones(len(frame), dtype=bool)
    keep[drop] = False
    frame = frame[keep].reset_index(drop=True)
    origin = [o for o, k in zip(origin, keep, strict=True) if k]
    kept_files = [f for f, k in zip(row_file, keep, strict=True) if k]
    parts = [Part(c.source, kept_files.count(k)) for k, c in enumerate(censuses)]
    parts += [
        Part(SourceInfo(d, file_sha256(d), d.suffix.lstrip(".").lower()), 0, o)
        for d, o in duplicates.items()
    ]
    years = {c.year for c in censuses if c.year is not None}
    source_path = path or combined_path([c.source.path for c in censuses])
    digest = hashlib.sha256("".join(sorted(c.source.sha256 for c in censuses)).encode())
    census = Census(
        frame=frame,
        source=SourceInfo(
            path=source_path,
            sha256=digest.hexdigest(),
            format="combined",
            sheets=tuple(label(c.source.path, s) for c in censuses for s in c.source.sheets),
        ),
        issues=issues,
        columns=columns,
        excluded_rows=excluded,
        row_origin=origin,
        field_columns=field_columns,
        year=years.pop() if len(years) == 1 else None,
        parts=parts,
    )
    # street and district sheets travel with their files (or are files of their own)
    combine_levels(census, censuses, label)
    return census


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f.columns)]
    frame = pd.concat(frames, ignore_index=True, sort=False) if frames else pd.DataFrame()
    for col in frame.columns:
        if col in TEXT_COLUMNS:
            frame[col] = frame[col].astype("string")
        else:
            frame[col] = frame[col].astype("float64")
    return frame


def _fold(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    return "".join(unicodedata.normalize("NFKC", str(value)).split())


def _communities_in_two_files(
    frame: pd.DataFrame,
    origin: list[tuple[str, int]],
    row_file: list[int],
    censuses: list[Census],
    field_columns: dict[tuple[str | None, str], str],
    expected: set[tuple[str, str, str]],
    issues: list[DataIssue],
) -> list[int]:
    """Findings for a community name found in two files under one district; the rows to drop.

    Same street: one community sent twice; the same figures count once (a warning), others
    are an error. Different streets: one community submitted by two streets when the figures
    agree (counted once, where the roster puts it); with other figures it may be two
    communities of the same name, so both count and the warning asks to look, unless the
    roster lists the name under both streets."""
    if frame.empty or "community" not in frame.columns:
        return []
    folded = {c: _folded(frame[c]) if c in frame.columns else None for c in KEYS}
    n = len(frame)
    blank = np.full(n, "", dtype=object)
    district, street, name = (folded[c] if folded[c] is not None else blank for c in KEYS)
    pairs = pd.DataFrame({"d": district, "c": name})
    candidates = np.flatnonzero(pairs.duplicated(keep=False).to_numpy() & (name != ""))
    if not len(candidates):
        return []
    numbers = [c for c in frame.columns if c not in TEXT_COLUMNS]
    values = frame[numbers].to_numpy(dtype=float) if numbers else np.empty((n, 0))
    street_text = frame["street"] if "street" in frame.columns else None
    seen: dict[tuple[str, str], list[int]] = {}
    drop: list[int] = []
    for pos in candidates:
        key = (district[pos], name[pos])
        earlier = seen.setdefault(key, [])
        for other in earlier:
            if row_file[other] == row_file[pos] or other in drop:
                continue  # within one file: the reader reports it
            a, b = values[other], values[pos]
            same = bool(np.all((a == b) | (np.isnan(a) & np.isnan(b))))
            one_street = street[other] == street[pos]
            both_listed = {(key[0], street[i], key[1]) for i in (other, pos)} <= expected
            if not one_street and both_listed:
                continue  # the roster has a community of this name in each street
            kept, dropped = other, pos
            first_listed = (key[0], street[other], key[1]) in expected
            if same and not first_listed and (key[0], street[pos], key[1]) in expected:
                kept, dropped = pos, other  # count it where the roster puts it
            if same:
                code, severity = "community-in-two-files", Severity.WARNING
                drop.append(dropped)
            elif one_street:
                code, severity = "community-in-two-files-differ", Severity.ERROR
            else:
                code, severity = "community-name-in-two-files", Severity.WARNING
            here = _where(origin, field_columns, dropped)
            there = _where(origin, field_columns, kept)
            sheet, cell = here.rsplit("!", 1)
            issues.append(
                DataIssue(
                    code=code,
                    severity=severity,
                    file=str(censuses[row_file[dropped]].source.path),
                    sheet=sheet,
                    cell=cell,
                    value=str(frame["community"].iat[dropped]),
                    params={
                        "here": here,
                        "other": there,
                        "street": _text(street_text, dropped),
                        "other_street": _text(street_text, kept),
                        "other_file": str(censuses[row_file[kept]].source.path),
                    },
                )
            )
            break
        earlier.append(pos)
    return drop


def _folded(column: pd.Series) -> np.ndarray:
    """Names as compared: NFKC, no white space; each distinct name folded once."""
    codes, distinct = pd.factorize(column.to_numpy(dtype=object), use_na_sentinel=False)
    folded = np.array([_fold(v) for v in distinct], dtype=object)
    return folded[codes] if len(distinct) else np.array([], dtype=object)


def _where(origin, field_columns, pos: int) -> str:
    sheet, row = origin[pos]
    return f"{sheet}!{field_columns.get((sheet, 'community'), '')}{row}"


def roster_keys(frame: pd.DataFrame) -> set[tuple[str, str, str]]:
    """(district, street, community) of a roster's frame, folded as `combine` compares."""
    cols = [
        frame[c] if c in frame.columns else pd.Series([""] * len(frame))
        for c in ("district", "street", "community")
    ]
    return {tuple(_fold(v) for v in row) for row in zip(*cols, strict=True)}


def _text(column: pd.Series | None, pos: int) -> str:
    if column is None:
        return ""
    value = column.iat[pos]
    return "" if pd.isna(value) else str(value)


def streets_not_reported(comparison) -> list[DataIssue]:
    """Street offices on the roster none of whose communities is in the census: most
    likely the street has not sent its file. One warning per street."""
    roster = comparison.roster
    missing = set(comparison.missing)
    by_street: dict[tuple[str, str], list[int]] = {}
    for i in range(len(roster.community)):
        by_street.setdefault((roster.district[i], roster.street[i]), []).append(i)
    out = []
    for (district, street), rows in by_street.items():
        if street and all(i in missing for i in rows):
            out.append(
                DataIssue(
                    code="street-not-reported",
                    severity=Severity.WARNING,
                    file=roster.file,
                    value=street,
                    params={"district": district, "n": len(rows)},
                )
            )
    return out


def part_lines(census: Census, lang: str) -> list[str]:
    """One line per file of a combined census (name, SHA-256, sheets, rows), for About."""
    from indicators.model.i18n import t

    out = []
    sep = "、" if lang == "zh" else ", "
    for p in census.parts:
        src = p.source
        if p.duplicate_of is not None:
            out.append(
                t("about.file_duplicate", lang, name=src.path.name, sha256=src.sha256,
                  other=p.duplicate_of.name)
            )  # fmt: skip
            continue
        sheets = sep.join(src.sheets) or "—"
        out.append(
            t("about.file_line", lang, name=src.path.name, sha256=src.sha256, sheets=sheets,
              rows=p.rows)
        )  # fmt: skip
    return out

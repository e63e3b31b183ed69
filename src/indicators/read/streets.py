"""Street sheets: one row per 街道/乡镇, for facts of the street office itself.

A street sheet is read with the same header matching, value coercion, row classification
(totals, notes, blank rows) and findings as a community sheet: the street column plays the
part of the community column (a street vocabulary names it `community`), and the only other
fields matched are those declared `level: street`. Community sheets never match street-level
fields, so a header such as 社会工作服务站 is read where it belongs.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from indicators.model.census import Census
from indicators.model.fields import Vocabulary
from indicators.model.issues import Severity
from indicators.read.formats import RawSheet
from indicators.read.headers import Matcher, find_header
from indicators.read.sheet import Issues, SheetPart, SheetReader


def street_vocabulary(vocabulary: Vocabulary) -> Vocabulary | None:
    """District, the street as the row key, and the street-level fields; None without any."""
    own = vocabulary.at_level("street").fields
    if not own or "street" not in vocabulary or "community" not in vocabulary:
        return None
    street = vocabulary["street"]
    key = replace(
        vocabulary["community"],
        name_zh=street.name_zh,
        name_en=street.name_en,
        aliases=street.aliases,
    )
    keep = {"district": vocabulary["district"]} if "district" in vocabulary else {}
    return Vocabulary({**keep, "community": key, **own})


def read_street_sheet(sheet: RawSheet, vocabulary: Vocabulary, issues: Issues) -> SheetPart | None:
    """The sheet as a street sheet, or None when its header does not read as one."""
    streets = street_vocabulary(vocabulary)
    if streets is None or sheet.grid.empty:
        return None
    header = find_header(sheet, Matcher(streets, None), streets)
    if header is None or not (set(header.by_field()) - {"district", "community"}):
        return None
    part = SheetReader(sheet, header, streets, issues).read({})
    frame = part.frame.drop(columns=["street"], errors="ignore")
    part.frame = frame.rename(columns={"community": "street"})
    part.field_columns = {
        (s, "street" if f == "community" else f): c for (s, f), c in part.field_columns.items()
    }
    issues.add("street-sheet", Severity.INFO, sheet.name, count=len(part.frame))
    return part


def attach_streets(
    census: Census,
    parts: list[SheetPart],
    vocabulary: Vocabulary,
    required: set[str],
    issues: Issues,
) -> None:
    """Put the street rows on the census, and say which streets do not line up."""
    wanted = sorted(f for f in required if (v := vocabulary.get(f)) and v.level == "street")
    if not parts:
        if wanted:
            names = "、".join(vocabulary[f].name_zh for f in wanted)
            issues.add("street-sheet-missing", Severity.WARNING, fields=names)
        return
    frame = pd.concat([p.frame for p in parts], ignore_index=True, sort=False)
    for col in ("district", "street"):
        if col not in frame:
            frame[col] = ""
        frame[col] = frame[col].fillna("").astype(object)
    census.streets = frame
    census.street_origin = [o for p in parts for o in p.origin]
    census.field_columns.update({k: v for p in parts for k, v in p.field_columns.items()})
    census.columns.extend(  # for `inspect`: how each column of the street sheet was read
        replace(c, field="street") if c.field == "community" else c
        for p in parts
        for c in p.columns
    )
    _line_up(census, issues)


def _line_up(census: Census, issues: Issues) -> None:
    """Streets on the street sheet with no community rows, and streets of community rows
    missing from the street sheet: each a warning naming the sheet and row."""
    streets = census.streets
    has_district = bool((streets["district"] != "").any())

    def key(district: object, street: object) -> tuple[str, str]:
        d = "".join(str(district).split()) if has_district else ""
        return d, "".join(str(street).split())

    listed: dict[tuple[str, str], int] = {}
    for pos, (d, s) in enumerate(zip(streets["district"], streets["street"], strict=True)):
        k = key(d, s)
        if k in listed:
            sheet, row = census.street_origin[pos]
            issues.add(
                "duplicate-street",
                Severity.WARNING,
                sheet,
                cell=f"{census.field_columns.get((sheet, 'street'), '')}{row}",
                value=" / ".join(x for x in k if x),
                other_row=census.street_origin[listed[k]][1],
            )
            continue
        listed[k] = pos
    frame = census.frame
    seen = {key(d, s) for d, s in zip(frame["district"], frame["street"], strict=True) if s}
    for k, pos in listed.items():
        if k not in seen:
            sheet, row = census.street_origin[pos]
            issues.add(
                "street-without-communities",
                Severity.WARNING,
                sheet,
                cell=f"{census.field_columns.get((sheet, 'street'), '')}{row}",
                value=" / ".join(x for x in k if x),
            )
    for k in sorted(seen - set(listed)):
        issues.add(
            "street-not-on-street-sheet", Severity.WARNING, value=" / ".join(x for x in k if x)
        )

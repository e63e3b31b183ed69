"""Between two consecutive years: communities added, removed or renamed, and stock figures
(households, people, floor areas) that halved or doubled (`implausible-change` warnings)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from indicators.model.issues import DataIssue, Severity
from indicators.plan.model import Plan

if TYPE_CHECKING:
    from indicators.assess.years import YearInput

# Fields whose halving or doubling within a year is implausible (stocks, not flows), the
# factor that counts as a jump and the size below which a jump is ordinary noise.
STOCK_UNITS = ("户", "人", "平方米")
JUMP_FACTOR = 2.0
JUMP_MIN_SIZE = 50.0


@dataclass(frozen=True)
class CommunityChange:
    kind: str  # added | removed | renamed
    year: int
    previous_year: int
    district: str
    street: str
    community: str  # the name in `year` (removed: the name it had)
    previous: str | None = None  # renamed: the earlier name
    matched_by: str | None = None  # renamed: "code" or "size"


def _keys(frame: pd.DataFrame) -> list[tuple[str, str, str]]:
    # identity columns are text, "" where missing (the Census guarantees it)
    cols = [frame[c].str.strip() for c in ("district", "street")]
    names = frame["community"].str.strip()
    # as lists first: zip over Arrow text iterates it cell by cell, slowly
    return list(zip(cols[0].tolist(), cols[1].tolist(), names.tolist(), strict=True))


def community_changes(
    before: YearInput, after: YearInput
) -> tuple[list[CommunityChange], list[tuple[int, int]]]:
    """Communities added, removed and renamed between two years, and the matched row pairs
    (row position before, row position after) for comparing figures."""
    fa, fb = before.census.frame, after.census.frame
    ka, kb = _keys(fa), _keys(fb)
    pos_a = {k: i for i, k in enumerate(ka)}
    pos_b = {k: i for i, k in enumerate(kb)}
    pairs = [(pos_a[k], pos_b[k]) for k in kb if k in pos_a]
    removed = [k for k in ka if k not in pos_b]
    added = [k for k in kb if k not in pos_a]
    renamed: list[tuple[tuple, tuple, str]] = []
    # Same statistical code under a new name.
    if "code" in fa.columns and "code" in fb.columns:
        code_a = {str(c): i for i, c in enumerate(fa["code"]) if pd.notna(c) and str(c).strip()}
        for k in list(added):
            c = fb["code"].iloc[pos_b[k]]
            i = code_a.get(str(c)) if pd.notna(c) else None
            if i is not None and ka[i] in removed:
                renamed.append((ka[i], k, "code"))
                removed.remove(ka[i])
                added.remove(k)
    # Same street, one gone and one new of about the same size (households within 10%).
    if "households" in fa.columns and "households" in fb.columns:
        for k in list(added):
            size = fb["households"].iloc[pos_b[k]]
            near = [
                r
                for r in removed
                if r[:2] == k[:2] and _close(fa["households"].iloc[pos_a[r]], size, 0.10)
            ]
            if len(near) == 1:
                renamed.append((near[0], k, "size"))
                removed.remove(near[0])
                added.remove(k)
    y0, y1 = before.year, after.year
    changes = [CommunityChange("added", y1, y0, *k) for k in added]
    changes += [CommunityChange("removed", y1, y0, *k) for k in removed]
    for old, new, how in renamed:
        changes.append(CommunityChange("renamed", y1, y0, *new, previous=old[2], matched_by=how))
        pairs.append((pos_a[old], pos_b[new]))
    order = {"renamed": 0, "added": 1, "removed": 2}
    changes.sort(key=lambda c: (c.year, order[c.kind], c.district, c.street, c.community))
    return changes, pairs


def _close(a: float, b: float, tolerance: float) -> bool:
    if not (np.isfinite(a) and np.isfinite(b)) or max(a, b) <= 0:
        return False
    return abs(a - b) <= tolerance * max(a, b)


def implausible_changes(
    plan: Plan, before: YearInput, after: YearInput, pairs: list[tuple[int, int]]
) -> list[DataIssue]:
    """Warnings for stock figures (households, people, floor areas) that halved or doubled."""
    fa, fb = before.census.frame, after.census.frame
    vocab = plan.vocabulary
    checked = [
        c
        for c in fb.columns
        if c in fa.columns
        and (f := vocab.get(c)) is not None
        and f.type in ("integer", "number")
        and (f.unit or "") in STOCK_UNITS
    ]
    if not pairs or not checked:
        return []
    ia = np.array([a for a, _ in pairs])
    ib = np.array([b for _, b in pairs])
    headers = {m.field: m.header for m in after.census.columns if m.field}
    issues = []
    names = fb["community"]
    for col in checked:
        old = fa[col].to_numpy(dtype=float)[ia]
        new = fb[col].to_numpy(dtype=float)[ib]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = new / old
        big = np.fmax(old, new) >= JUMP_MIN_SIZE
        jump = big & (old > 0) & ((ratio >= JUMP_FACTOR) | (ratio <= 1 / JUMP_FACTOR))
        for k in np.flatnonzero(jump):
            row = int(ib[k])
            sheet, cell = after.census.locate(row, col)
            f = vocab[col]
            issues.append(
                DataIssue(
                    code="implausible-change",
                    severity=Severity.WARNING,
                    file=after.census.source.path.name,
                    sheet=sheet,
                    cell=cell,
                    header=headers.get(col) or f.name_zh,
                    value=_num(new[k]),
                    expected=_num(old[k]),
                    params={
                        "community": str(names.iloc[row]),
                        "field": f.name_zh,
                        "field_en": f.name_en,
                        "year": after.year,
                        "previous_year": before.year,
                        "factor": f"{ratio[k]:.2f}",
                        "previous_file": before.census.source.path.name,
                    },
                )
            )
    return issues


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"

"""Every column of a found header -> its field: the user's mapping, then scored matching.

`Matcher` answers quickly from a label's text (the header-row search asks it for every
candidate row); `decide_columns` reads each column of the chosen header on all its evidence
(labels, units, a sample of cells) and gives each field to one column (see `matching`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache

import pandas as pd

from indicators.model.fields import Vocabulary, normalise_header
from indicators.read.matching import (
    LIKELY,
    NAME_FIELDS,
    SURE,
    WEAK,
    Candidate,
    Lookalike,
    assign,
    field_index,
    profile_of,
    score_column,
)
from indicators.read.spellings import GROUP_TOTAL, readings
from indicators.read.units import UNITS, scale_for, split_unit
from indicators.read.words import FALSE, MISSING, NA_TEXTS, TRUE

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
    confidence: str = ""  # sure | likely | mapped ("" when no field is used)
    reading: str = ""  # the header text the field was matched on
    lookalike: str | None = None  # a field this column looks like but is not
    suggestion: str | None = None  # a weak reading, not used
    # a field the header names but the evidence rules out: (field, reason code)
    conflict: tuple[str, str] | None = None
    mapped_ignore: bool = False  # the user's mapping says to ignore this column


class Matcher:
    """Header labels -> fields: the user's mapping first, then scored matching."""

    def __init__(self, vocabulary: Vocabulary, mapping: dict[str, str] | None) -> None:
        self.index = field_index(vocabulary)
        self.mapping = {normalise_header(k): v for k, v in (mapping or {}).items()}
        self.used_keys: set[str] = set()
        self._quick: dict[tuple[str, str], str | None] = {}

    def mapped(self, group: str, sub: str) -> tuple[str, str] | None:
        """(field or IGNORE, key) when the user's mapping names this column."""
        if not self.mapping:
            return None
        g, s = normalise_header(group), normalise_header(sub)
        keys = [f"{g}/{s}", g + s, s] if g and s else [g or s]
        if g and s and s in GROUP_TOTAL:
            keys.append(g)
        for key in keys:
            for form in (key, split_unit(key)[0]):
                if form in self.mapping:
                    self.used_keys.add(form)
                    return self.mapping[form], form
        return None

    def quick(self, group: str, sub: str) -> str | None:
        """The best field for a label from its text alone (the header-row search)."""
        key = (group, sub)
        if key in self._quick:
            return self._quick[key]
        hit = self.mapped(group, sub)
        if hit is not None:
            fid = None if hit[0] == IGNORE else hit[0]
        else:
            best, fid = 0.0, None
            for r in readings(group, sub):
                scores = self.index.score_exact(r.text)
                for f, (score, _how) in scores.items():
                    if f in NAME_FIELDS and r.unit is not None and r.unit in UNITS:
                        continue
                    if score * r.weight > best:
                        best, fid = score * r.weight, f
            fid = fid if best >= LIKELY else None
        self._quick[key] = fid
        return fid


def decide_columns(
    sample: pd.DataFrame,
    labels: list[tuple[str, str]],
    units_row: dict[int, str],
    matcher: Matcher,
    vocab: Vocabulary,
) -> list[Column]:
    """The final reading of every column: mapping, scored candidates, one field per column.

    `sample`: the first rows below the header; `labels`: (group, sub-header) per column;
    `units_row`: the unit-row cell per column, when the header has a unit row."""
    yes_no, missing = _yes_no_words(), _missing_words()
    chosen: dict[int, Candidate] = {}
    found: dict[int, tuple[list[Candidate], Lookalike | None]] = {}
    conflicts: dict[int, tuple[str, str]] = {}
    mapped: dict[int, str] = {}
    units: dict[int, str | None] = {}
    for j, (g, s) in enumerate(labels):
        if not (g or s):
            continue
        rs = readings(g, s, units_row.get(j))
        units[j] = rs[0].unit if rs else None
        hit = matcher.mapped(g, s)
        if hit is not None:
            mapped[j] = hit[0]
            continue
        profile = profile_of(sample[j].tolist() if j in sample else [], yes_no, missing)
        cands, look, vetoed = score_column(matcher.index, rs, profile)
        found[j] = (cands, look)
        sure = [(sc, fid, why) for fid, (sc, why) in vetoed.items() if sc >= SURE]
        if sure:
            _, fid, why = max(sure)
            conflicts[j] = (fid, why)
    # the user's mapping wins outright; scored columns share what is left
    taken = {f for f in mapped.values() if f != IGNORE}
    scored = {j: [c for c in cands if c.field not in taken] for j, (cands, _) in found.items()}
    chosen = assign(scored)
    owner = {c.field: j for j, c in chosen.items()}
    for j, f in mapped.items():
        if f != IGNORE:
            owner.setdefault(f, j)
    out: list[Column] = []
    for j, (g, s) in enumerate(labels):
        text = f"{g} / {s}" if g and s else (g or s)
        if not text:
            continue
        unit = units.get(j)
        if j in mapped:
            f = None if mapped[j] == IGNORE else mapped[j]
            dup = owner.get(f) if f and owner.get(f) != j else None
            out.append(
                _with_scale(
                    Column(
                        j,
                        text,
                        f,
                        unit,
                        confidence="mapped",
                        duplicate_of=dup,
                        mapped_ignore=f is None,
                    ),
                    vocab,
                )
            )
            continue
        cands, look = found.get(j, ([], None))
        c = chosen.get(j)
        if c is not None:
            level = "sure" if c.score >= SURE else "likely"
            col = Column(j, text, c.field, unit, confidence=level, reading=c.reading)
            out.append(_with_scale(col, vocab))
            continue
        top = cands[0] if cands else None
        if top is not None and top.score >= SURE and top.field in owner:
            col = Column(
                j,
                text,
                top.field,
                unit,
                confidence="sure",
                reading=top.reading,
                duplicate_of=owner[top.field],
            )
            out.append(_with_scale(col, vocab))
            continue
        suggestion = top.field if top is not None and top.score >= WEAK else None
        out.append(
            Column(
                j,
                text,
                None,
                unit,
                lookalike=look.field if look else None,
                suggestion=None if look and suggestion == look.field else suggestion,
                conflict=conflicts.get(j),
            )
        )
    return out


def _with_scale(c: Column, vocabulary: Vocabulary) -> Column:
    f = vocabulary.get(c.field) if c.field else None
    scale, ok = scale_for(c.unit, f.unit if f else None)
    return replace(c, scale=scale, unit_ok=ok)


@cache
def _yes_no_words() -> frozenset[str]:
    return frozenset(normalise_header(w) for w in TRUE | FALSE)


@cache
def _missing_words() -> frozenset[str]:
    return frozenset(normalise_header(w) for w in MISSING | NA_TEXTS) - {""}

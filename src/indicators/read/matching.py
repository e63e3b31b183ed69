"""Scored header matching: every column against every field, then one field per column.

A column is read from all its evidence at once:
- its header text, in several readings: group + sub-header joined, overlapping words merged
  ("综合服务设施" under "设施面积" is 综合服务设施面积), the sub-header with the group's measure
  word ("居民活动区域" + "面积"), the sub-header alone, the group alone over a "合计";
- how close each reading is to a field's spellings: exact, exact after neutral words
  ("现有", "总数", "合计") are taken off, one containing the other, shared characters;
- the unit written in the header, its group or a unit row ("平方米" is never a yes/no field);
- a sample of the cells below (a column of numbers above 1 is not yes/no; a column of 是/否
  is not an area; a column of numbers is not a name);
- look-alike spellings a field lists ("户籍人口" is not 常住人口): such a column is never given
  that field, only reported.

Scores fall in three bands: sure (used), likely (used and reported with a `--map` line to
confirm it), weak (not used; `inspect` shows it as a suggestion). Fields then go to columns
best score first, so a weaker reading never takes a field from a column that reads better.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from indicators.model.fields import Field, Vocabulary, normalise_header
from indicators.read.spellings import (
    AREA,
    ASK,
    BRACKETED,
    COUNT,
    LEADING_NUMBER,
    NEUTRAL_HEAD,
    NEUTRAL_TAIL,
    PREFIX,
    QUESTION,
    SAFE_HEAD,
    SAFE_TAIL,
    Reading,
    is_number,
    spelling_key,
    unit_base,
)
from indicators.read.units import UNITS

SURE = 0.95
LIKELY = 0.8
WEAK = 0.5
NAME_FIELDS = frozenset({"district", "street", "community", "code"})


@dataclass(frozen=True)
class Candidate:
    field: str
    score: float
    reading: str  # the header text that matched
    how: str  # exact | neutral | contains | similar | mapped


@dataclass(frozen=True)
class Profile:
    """What a sample of a column's cells looks like."""

    filled: int = 0
    numbers: int = 0  # cells that read as numbers
    big: int = 0  # numbers other than 0 and 1
    yes_no: int = 0  # 是/否, √/×, 有/无, 已建/未建 ...
    text: int = 0  # anything else
    words: frozenset[str] = frozenset()  # the distinct texts among them


@dataclass(frozen=True)
class Lookalike:
    fields: tuple[str, ...]  # the fields the spelling resembles (两委成员: workers, committee)
    spelling: str

    @property
    def field(self) -> str:
        return self.fields[0]


class FieldIndex:
    """A vocabulary prepared for scoring: normalised spellings per field and strength."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.sure: dict[str, str] = {}
        self.likely: dict[str, str] = {}
        self.look: dict[str, list[str]] = {}  # one spelling may resemble several fields
        for f in vocabulary.fields.values():
            for s in (f.id, f.name_zh, *f.aliases):
                self.sure.setdefault(spelling_key(s), f.id)
            for s in f.likely:
                self.likely.setdefault(spelling_key(s), f.id)
            for s in f.lookalikes:
                self.look.setdefault(spelling_key(s), []).append(f.id)
            if f.type == "boolean":  # "有无政务服务自助终端" for a field spelt 政务服务自助终端
                for table, spellings in ((self.sure, f.aliases), (self.likely, f.likely)):
                    for s in spellings:
                        base = spelling_key(s)
                        if not QUESTION.search(base):
                            for ask in ASK:
                                table.setdefault(ask + base, f.id)
        # containment is tried with spellings of two characters or more, longest first
        spellings = [(s, fid, 1.0) for s, fid in self.sure.items() if len(s) >= 2]
        spellings += [(s, fid, 0.9) for s, fid in self.likely.items() if len(s) >= 2]
        self.spellings = sorted(spellings, key=lambda x: -len(x[0]))
        self.by_spelling: dict[str, list[tuple[str, str, float]]] = {}
        self._containing: dict[str, list[tuple[str, str, float]]] | None = None
        self.by_char: dict[str, list[tuple[str, str, float]]] = {}
        for entry in self.spellings:
            spelling = entry[0]
            self.by_spelling.setdefault(spelling, []).append(entry)
            for ch in set(spelling):
                self.by_char.setdefault(ch, []).append(entry)
        self.lookalikes = sorted(self.look.items(), key=lambda x: -len(x[0]))
        self.score_text = lru_cache(maxsize=20_000)(self._score_text)
        self.score_exact = lru_cache(maxsize=20_000)(self._score_exact)

    @property
    def containing(self) -> dict[str, list[tuple[str, str, float]]]:
        """Every part (three characters or more) of every spelling -> the spellings holding it;
        built on first use: the header-row search never needs it."""
        if self._containing is None:
            self._containing = {}
            for entry in self.spellings:
                spelling = entry[0]
                n = len(spelling)
                parts = {spelling[i:k] for i in range(n) for k in range(i + 3, n + 1)}
                parts.discard(spelling)
                for part in parts:
                    self._containing.setdefault(part, []).append(entry)
        return self._containing

    def field(self, fid: str) -> Field | None:
        return self.vocabulary.get(fid)

    def _score_exact(self, text: str) -> dict[str, tuple[float, str]]:
        """Only the readings that can reach LIKELY (exact spellings, neutral words off): what
        the header-row search needs, at a dictionary look-up's cost."""
        return self._score_text(text, full=False)[0]

    def _score_text(
        self, text: str, full: bool = True
    ) -> tuple[dict[str, tuple[float, str]], Lookalike | None]:
        """Field -> (score, how) for one normalised header text without its unit, and the
        look-alike it contains, if any. Cached: headers repeat across candidate rows."""
        out: dict[str, tuple[float, str]] = {}

        def put(fid: str, score: float, how: str) -> None:
            if score > out.get(fid, (0.0, ""))[0]:
                out[fid] = (score, how)

        if not text or is_number(text):
            return out, None
        hit = self.sure.get(text)
        if hit:
            put(hit, 1.0, "exact")
        hit = self.likely.get(text)
        if hit:
            put(hit, 0.85, "exact")
        look = None
        hit = self.look.get(text)
        if not full:
            pass
        elif hit:
            look = Lookalike(tuple(hit), text)
        else:
            outside = BRACKETED.sub("", text)  # "常住人口(含外来人口)" is not 外来人口
            for spelling, fids in self.lookalikes:
                if len(spelling) >= 3 and spelling in outside:
                    look = Lookalike(tuple(fids), spelling)
                    break
        for safe in (SAFE_TAIL.sub("", text), SAFE_HEAD.sub("", text)):
            if safe != text and safe in self.sure:
                put(self.sure[safe], 0.96, "exact")
        core = NEUTRAL_TAIL.sub("", NEUTRAL_HEAD.sub("", text))
        variants = {core, NEUTRAL_HEAD.sub("", text), NEUTRAL_TAIL.sub("", text)}
        if text.startswith("社区") and len(text) > 4:
            variants.add(text[2:])
        if "居民区" in text:
            variants.add(text.replace("居民区", "社区"))  # Shanghai's 居民区 is the 社区
        if text.startswith("居民") and len(text) > 4:
            variants.add(text[2:])  # "居民总户数"
        if "总" in text[1:]:
            variants.add(text.replace("总", ""))  # "综合服务设施总建筑面积"
        for variant in variants - {text}:
            if len(variant) < 2:
                continue
            for table, score in ((self.sure, 0.9), (self.likely, 0.8)):
                hit = table.get(variant)
                if hit:
                    put(hit, score, "neutral")
        if full and len(text) <= 24:
            # spellings inside the text: every substring looked up, not every spelling scanned
            for i in range(len(text)):
                for k in range(i + 2, len(text) + 1):
                    for spelling, fid, strength in self.by_spelling.get(text[i:k], ()):
                        if spelling == text:
                            continue
                        extra = len(text) - len(spelling)
                        starts = i == 0
                        score = (0.7 if starts and extra <= 2 else 0.55) * strength
                        put(fid, score + 0.1 * len(spelling) / len(text), "contains")
            # the text inside a longer spelling
            if len(text) >= 3:
                for spelling, fid, strength in self.containing.get(text, ()):
                    put(fid, (0.5 + 0.2 * len(text) / len(spelling)) * strength, "contains")
            if not out:
                self._similar(text, put)
        return out, look

    def _similar(self, text: str, put) -> None:
        """Shared characters (Dice) with spellings of three characters or more: weak only."""
        chars = set(text)
        shared: dict[tuple[str, str, float], int] = {}
        for ch in chars:
            for entry in self.by_char.get(ch, ()):
                shared[entry] = shared.get(entry, 0) + 1
        for (spelling, fid, strength), common in shared.items():
            if len(spelling) < 3:
                continue
            dice = 2 * common / (len(chars) + len(set(spelling)))
            if dice >= 0.6:
                put(fid, 0.55 * dice * strength, "similar")


_INDEXES: dict[tuple[Field, ...], FieldIndex] = {}


def field_index(vocabulary: Vocabulary) -> FieldIndex:
    """The index of a vocabulary, built once: every file and sheet of a run reads with the
    same fields (keyed by the fields themselves: a plan makes new Vocabulary objects)."""
    key = tuple(vocabulary.fields.values())
    index = _INDEXES.get(key)
    if index is None:
        if len(_INDEXES) >= 8:
            _INDEXES.clear()
        index = _INDEXES[key] = FieldIndex(vocabulary)
    return index


def veto(
    f: Field, header: str, unit: str | None, profile: Profile, exact: bool = False
) -> str | None:
    """Why field `f` cannot be this column (a code: unit, measure, count, question, numbers,
    yes-no, text), or None. `header` is the whole normalised header without units."""
    base = unit_base(unit)
    if f.type == "boolean":
        if base is not None:
            return "unit"
        if AREA.search(header) or (COUNT.search(header) and not QUESTION.search(header)):
            return "measure"
        if profile.filled >= 2 and profile.big >= max(1, profile.filled // 5):
            return "numbers"
        return None
    if f.type in ("text", "category"):
        if unit is not None and unit in UNITS:
            return "unit"
        if f.id != "code" and profile.filled and profile.numbers >= 0.8 * profile.filled:
            return "numbers"
        if f.type == "category" and f.values and profile.words:
            known = _categories(f)
            if sum(w in known for w in profile.words) < 0.5 * len(profile.words):
                return "categories"  # 社区类型 written 老旧小区/商品房小区 is not 城市/农村
        return None
    # a number: area, count, money, year ...
    if QUESTION.search(header) and not AREA.search(header):
        return "question"
    if base is not None and f.unit is not None:
        own = unit_base(normalise_header(f.unit))
        if own is not None and base != own:
            return "unit"
    if f.unit == "平方米" and base is None and COUNT.search(header) and not AREA.search(header):
        return "count"
    if profile.filled >= 2 and profile.yes_no >= 0.6 * profile.filled and profile.big == 0:
        return "yes-no"
    if not exact and profile.filled >= 2 and profile.text >= 0.8 * profile.filled:
        return "text"  # (under the field's own name, text cells are errors to show instead)
    return None


@lru_cache(maxsize=64)
def _categories(f: Field) -> frozenset[str]:
    return frozenset(normalise_header(v) for k, vs in f.values.items() for v in (k, *vs))


def profile_of(
    cells: list[object], yes_no: frozenset[str], missing: frozenset[str] = frozenset()
) -> Profile:
    """Counts over a sample of cells; missing markers (不详, 无, -) say nothing and are skipped."""
    filled = numbers = big = yn = text = 0
    words: set[str] = set()
    for v in cells:
        if v is None or (isinstance(v, float) and v != v):
            continue
        if isinstance(v, bool):
            filled += 1
            yn += 1
            continue
        if isinstance(v, (int, float)):
            filled += 1
            numbers += 1
            big += v not in (0, 1)
            continue
        s = "".join(str(v).split())
        if not s:
            continue
        filled += 1
        folded = normalise_header(s)
        if folded in missing and folded not in yes_no:
            filled -= 1
            continue
        m = LEADING_NUMBER.match(folded.replace(",", ""))
        if folded in yes_no and m is None:  # "1" and "0" are numbers: fit yes/no and counts
            yn += 1
            continue
        if m is None:
            text += 1
            words.add(folded)
            continue
        numbers += 1  # "1200", "1200平方米", "3.5万", "85%"
        big += float(m.group(0)) not in (0, 1)
    return Profile(filled, numbers, big, yn, text, frozenset(words))


def score_column(
    index: FieldIndex, rs: tuple[Reading, ...], profile: Profile
) -> tuple[list[Candidate], Lookalike | None, dict[str, tuple[float, str]]]:
    """(candidates best first, look-alike, vetoed field -> (score, reason)) for one column."""
    best: dict[str, Candidate] = {}
    look: Lookalike | None = None
    vetoed: dict[str, tuple[float, str]] = {}
    header = BRACKETED.sub("", rs[0].text) if rs else ""
    exact_fields: set[str] = set()
    for r in rs:
        scores, lk = index.score_text(r.text)
        if lk and look is None and r.weight >= 0.97:
            look = lk
        for fid, (score, how) in scores.items():
            f = index.field(fid)
            if f is None:
                continue
            if fid in NAME_FIELDS and r.unit is not None and r.unit in UNITS:
                continue  # "社区（个）" counts communities (a summary table), not names
            value = score * r.weight
            why = veto(f, header, r.unit, profile, exact=how == "exact" and r.weight >= 0.97)
            if why:
                if value > vetoed.get(fid, (0.0, ""))[0]:
                    vetoed[fid] = (value, why)
                continue
            if how == "exact" and r.weight >= 1.0:
                exact_fields.add(fid)
            if fid not in best or value > best[fid].score:
                best[fid] = Candidate(fid, value, r.text, how)
    if look is not None:
        if exact_fields & set(look.fields):
            look = None  # the header is the field's own spelling, not a look-alike
        else:
            # report the field the header came closest to; none of them is ever used
            near = [best[f] for f in look.fields if f in best]
            first = max(near, key=lambda c: c.score).field if near else look.fields[0]
            for f in look.fields:
                best.pop(f, None)
            look = Lookalike((first, *(f for f in look.fields if f != first)), look.spelling)
    return sorted(best.values(), key=lambda c: -c.score), look, vetoed


def assign(columns: dict[int, list[Candidate]]) -> dict[int, Candidate]:
    """One field per column and one column per field, best score first (ties: leftmost)."""
    pairs = [(c.score, j, c) for j, cands in columns.items() for c in cands if c.score >= LIKELY]
    pairs.sort(key=lambda p: (-p[0], p[1]))
    taken_cols: set[int] = set()
    taken_fields: set[str] = set()
    out: dict[int, Candidate] = {}
    for _, j, c in pairs:
        if j in taken_cols or c.field in taken_fields:
            continue
        out[j] = c
        taken_cols.add(j)
        taken_fields.add(c.field)
    return out


def closest(index: FieldIndex, text: str, limit: int = 3) -> list[str]:
    """Field ids whose spellings are closest to a text (for "did you mean" and suggestions)."""
    scores, _ = index.score_text(PREFIX.sub("", normalise_header(text)))
    ranked = sorted(scores.items(), key=lambda kv: -kv[1][0])
    return [fid for fid, _ in ranked[:limit]]

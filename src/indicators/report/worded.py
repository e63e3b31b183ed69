"""The one worded result table renderers read: per indicator, its city, district and street
rows and its in-scope community rows in one frame (a `level` column tells them apart), each
with its figures as the engine made them and every text worded once by a `Wording`.

Columns (`COLUMNS`): level (code), level_text, district, street, community (text, "" where
a row has none), row (a community's position in the census, -1 on group rows), value,
target (text with unit), unit, gap, status (code), status_text, reason (code), reason_text,
status_full (the status with its reason where not computable, as one cell shows it),
shortfall, shortfall_unit, what_it_takes, shortfall_all, shortfall_all_unit,
share_compliant, n_scope, n_computable, n_met, method (what the row's figure is), inputs
(group rows: the summed inputs, None otherwise), missing_items (community rows of a
checklist), whole (the row's shortfall is a whole number).

Figures are copied, never recomputed, so a number in any format is the engine's. A text
depends on a row only through the values it words and is made once per distinct value.
`Worded.headline` gives the indicator's headline cells likewise. The frames of one report
(`worded(results, lang)`) are kept while the Results live, so each is built once however
many formats are written; a census above `KEEP_ROWS` communities is worded again per format
instead, and then only the rows and columns a format asks for, so memory stays that of one
indicator and a sheet that shows four columns does not word the other twenty.
"""

from __future__ import annotations

import weakref

import numpy as np
import pandas as pd

from indicators.engine.results import NOT_MET, IndicatorResult, Results
from indicators.report.columns import by_codes, by_value, coded, const, factor, isnum, key_text
from indicators.report.summary import headline_cells
from indicators.report.wording import Wording

COLUMNS = (
    "level",
    "level_text",
    "district",
    "street",
    "community",
    "row",
    "value",
    "target",
    "unit",
    "gap",
    "status",
    "status_text",
    "reason",
    "reason_text",
    "status_full",
    "shortfall",
    "shortfall_unit",
    "what_it_takes",
    "shortfall_all",
    "shortfall_all_unit",
    "share_compliant",
    "n_scope",
    "n_computable",
    "n_met",
    "method",
    "inputs",
    "missing_items",
    "whole",
)
TEXT_COLUMNS = tuple(
    c
    for c in COLUMNS
    if c
    not in (
        "row",
        "value",
        "gap",
        "shortfall",
        "shortfall_all",
        "share_compliant",
        "n_scope",
        "n_computable",
        "n_met",
        "whole",
    )
)
ROW_LEVELS = ("city", "district", "street", "community")  # the order of the rows
KEEP_ROWS = 20_000  # communities up to which a report keeps its worded frames


class Worded:
    """The worded frames of one Results in one language."""

    def __init__(self, results: Results, wording: Wording) -> None:
        self.results = results
        self.wording = wording
        self.keep = len(results.census.frame) <= KEEP_ROWS
        self._frames: dict[str, pd.DataFrame] = {}
        self._headlines: dict[str, dict] = {}

    def headline(self, r: IndicatorResult) -> dict:
        """The indicator's headline as every format shows it (`summary.headline_cells`:
        target, actual, gap and their texts), worded once per report."""
        key = r.indicator.id
        if key not in self._headlines:
            self._headlines[key] = headline_cells(r, self.results.year, self.wording)
        return self._headlines[key]

    def frame(
        self,
        r: IndicatorResult,
        missed_only: bool = False,
        levels: tuple[str, ...] = ROW_LEVELS,
        columns: tuple[str, ...] = COLUMNS,
    ) -> pd.DataFrame:
        """Indicator `r`'s rows: city, districts, streets (as the engine orders them), then
        its in-scope communities in census order. A kept frame has them all; a census too
        large to keep its frames words only what the caller asks for: the rows of `levels`
        (with `missed_only`, of the communities only those that miss the target: the
        Shortfalls) and the `columns` (and `level`). So a caller picks rows with
        `level_rows` and columns by name, and never relies on rows it did not ask for."""
        key = r.indicator.id
        if key in self._frames:
            return self._frames[key]
        if not self.keep:
            return _frame(r, self.results, self.wording, missed_only, levels, columns)
        self._frames[key] = _frame(r, self.results, self.wording)
        return self._frames[key]

    def community_types(self, n: int) -> np.ndarray | None:
        """The community type of the census's first `n` rows, worded ("" for none); None
        when the census has no type column."""
        frame = self.results.census.frame
        if "community_type" not in frame:
            return None
        types = frame["community_type"].to_numpy(dtype=object, na_value=None)[:n]
        return by_value(types, self.wording.community_type)


_WORDED: dict[tuple[int, str], Worded] = {}


def worded(results: Results, lang: str) -> Worded:
    """The report's worded frames in `lang`: one per Results and language, dropped with the
    Results."""
    key = (id(results), lang)
    if key not in _WORDED:
        _WORDED[key] = Worded(results, Wording.of(results, lang))
        weakref.finalize(results, _WORDED.pop, key, None)
    return _WORDED[key]


def level_rows(frame: pd.DataFrame, level: str) -> pd.DataFrame:
    """The rows of one level."""
    return frame[(frame["level"] == level).to_numpy()]


def _frame(
    r: IndicatorResult,
    results: Results,
    w: Wording,
    missed_only: bool = False,
    levels: tuple[str, ...] = ROW_LEVELS,
    columns: tuple[str, ...] = COLUMNS,
) -> pd.DataFrame:
    """The rows of `levels`, in `ROW_LEVELS` order, with `columns` (and `level`). Each part
    gives its columns as functions, so a column not asked for is never worded."""
    target = w.target(r.indicator, results.year)
    parts = [_group_part(r, level, w, target) for level in ROW_LEVELS[:-1] if level in levels]
    if "community" in levels:
        parts.append(_community_part(r, results, w, target, missed_only))
    out = {}
    for c in COLUMNS:
        if c != "level" and c not in columns:
            continue
        values = np.concatenate([p[c]() for p in parts])
        # text stays Python objects (None kept as None, not made str/NaN by inference)
        out[c] = pd.Series(values, dtype=object if c in TEXT_COLUMNS else values.dtype)
    return pd.DataFrame(out, copy=False)


def _floats(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame:
        return np.full(len(frame), np.nan)
    return frame[column].to_numpy(dtype="float64")


def _group_part(r: IndicatorResult, level: str, w: Wording, target: str) -> dict:
    g = r.groups[level]
    n = len(g)
    status = g["status"].to_numpy(dtype=object)
    reason = g["reason"].to_numpy(dtype=object)

    def short() -> np.ndarray:
        return _floats(g, "shortfall")

    return {
        "level": lambda: const(level, n),
        "level_text": lambda: const(w.level(level), n),
        "district": lambda: key_text(g, "district"),
        "street": lambda: key_text(g, "street"),
        "community": lambda: const("", n),
        "row": lambda: np.full(n, -1, dtype=np.int64),
        "value": lambda: _floats(g, "value"),
        "target": lambda: const(target, n),
        "unit": lambda: const(w.unit(r.indicator.unit), n),
        "gap": lambda: _floats(g, "gap"),
        "status": lambda: status,
        "status_text": lambda: by_value(status, w.status),
        "reason": lambda: reason,
        "reason_text": lambda: by_value(reason, w.reason),
        "status_full": lambda: _status_full(w, factor(status), factor(reason)),
        "shortfall": short,
        "shortfall_unit": lambda: const(w.group_shortfall_unit(r, level), n),
        "what_it_takes": lambda: by_value(short(), lambda a: w.group_shortfall(r, a, level)),
        "shortfall_all": lambda: _floats(g, "shortfall_all"),
        "shortfall_all_unit": lambda: const(w.community_shortfall_unit(r), n),
        "share_compliant": lambda: _floats(g, "share_compliant"),
        "n_scope": lambda: _floats(g, "n_scope"),
        "n_computable": lambda: _floats(g, "n_computable"),
        "n_met": lambda: _floats(g, "n_met"),
        "method": lambda: const(w.method(r, level), n),
        "inputs": lambda: g["inputs"].to_numpy(dtype=object) if "inputs" in g else const(None, n),
        "missing_items": lambda: const("", n),
        "whole": lambda: np.full(n, r.group_shortfall_whole),
    }


def _community_part(
    r: IndicatorResult, results: Results, w: Wording, target: str, missed_only: bool
) -> dict:
    c = r.communities
    # status and reason are worded by their codes (categoricals: nothing to hash)
    s_codes, s_words = factor(c["status"])
    r_codes, r_words = factor(c["reason"])
    rows = c["in_scope"].to_numpy(dtype=bool)
    if missed_only:
        rows = rows & (s_codes == s_words.index(NOT_MET)) if NOT_MET in s_words else rows & False
    pos = np.flatnonzero(rows)
    n = len(pos)
    keys = results.keys
    s_codes, r_codes = s_codes[pos], r_codes[pos]
    status = _values(c["status"], pos, s_codes, s_words)
    reason = _values(c["reason"], pos, r_codes, r_words)

    def short() -> np.ndarray:
        return c["shortfall"].to_numpy(dtype="float64")[pos]

    def missing() -> np.ndarray:
        return c["missing_items"].to_numpy(dtype=object)[pos]

    def targets() -> np.ndarray:
        frame = results.census.frame
        if not (r.indicator.targets_by_type and "community_type" in frame):
            return const(target, n)
        types = frame["community_type"].to_numpy(dtype=object)[pos]
        return by_value(
            types,
            lambda x: w.target(r.indicator, results.year, x if isinstance(x, str) else None),
        )

    def nan() -> np.ndarray:
        return np.full(n, np.nan)

    return {
        "level": lambda: const("community", n),
        "level_text": lambda: const(w.level("community"), n),
        "district": lambda: keys["district"][pos],
        "street": lambda: keys["street"][pos],
        "community": lambda: keys["community"][pos],
        "row": lambda: pos.astype(np.int64),
        "value": lambda: c["value"].to_numpy(dtype="float64")[pos],
        "target": targets,
        "unit": lambda: const(w.unit(r.indicator.unit), n),
        "gap": lambda: c["gap"].to_numpy(dtype="float64")[pos],
        "status": lambda: status,
        "status_text": lambda: by_codes(
            s_codes, s_words, lambda s: w.status(s) if isinstance(s, str) else ""
        ),
        "reason": lambda: reason,
        "reason_text": lambda: by_codes(r_codes, r_words, w.reason),
        "status_full": lambda: _status_full(w, (s_codes, s_words), (r_codes, r_words)),
        "shortfall": short,
        "shortfall_unit": lambda: const(w.community_shortfall_unit(r), n),
        "what_it_takes": lambda: _community_texts(r, w, status, short(), missing()),
        "shortfall_all": nan,
        "shortfall_all_unit": lambda: const("", n),
        "share_compliant": nan,
        "n_scope": nan,
        "n_computable": nan,
        "n_met": nan,
        "method": lambda: const("", n),
        "inputs": lambda: const(None, n),
        "missing_items": missing,
        "whole": lambda: np.full(n, r.community_shortfall_whole),
    }


def _values(column: pd.Series, pos: np.ndarray, codes: np.ndarray, words: list) -> np.ndarray:
    """A text column's values at `pos` as Python objects (missing as NaN); a categorical's
    from its `codes` and `words`, without copying every row out of Arrow."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return np.asarray([*words, np.nan], dtype=object)[codes]
    return column.to_numpy(dtype=object)[pos]


def _status_full(w: Wording, status: tuple, reason: tuple) -> np.ndarray:
    """`Wording.status_full` once per distinct (status, reason), both given as (codes,
    distinct values) (`factor`)."""
    (s_codes, s_words), (r_codes, r_words) = status, reason
    if not len(s_codes):
        return const("", 0)
    width = len(r_words) + 1
    pairs, firsts = pd.factorize(
        (s_codes.astype(np.int64) + 1) * width + (r_codes.astype(np.int64) + 1)
    )
    s_all, r_all = [*s_words, float("nan")], [*r_words, float("nan")]  # code -1: missing
    texts = [w.status_full(s_all[p // width - 1], r_all[p % width - 1]) for p in firsts.tolist()]
    return np.asarray(texts, dtype=object)[pairs]


def _community_texts(
    r: IndicatorResult, w: Wording, status: np.ndarray, short: np.ndarray, missing: np.ndarray
) -> np.ndarray:
    """What each community must do: "" unless it misses the target; for a checklist it
    depends on the missing items, otherwise on the amount only through its sign and its
    printed figure (`Wording.amount`), so each distinct printed amount is worded once."""
    if r.indicator.checklist:
        codes, texts = coded(
            [status, short, missing],
            lambda s, a, m: w.community_shortfall(r, s, a, m if isinstance(m, str) else ""),
        )
        return np.asarray(texts, dtype=object)[codes] if len(codes) else const("", 0)
    out = const("", len(status))
    missed = status == NOT_MET
    cache: dict[tuple, str] = {}

    def once(a: float) -> str:
        key = (a > 0, a < 0, w.amount(a, r.lever_whole)) if isnum(a) else (None,)
        if key not in cache:
            cache[key] = w.community_shortfall(r, NOT_MET, a, "")
        return cache[key]

    if missed.any():
        out[missed] = by_value(short[missed], once)
    return out

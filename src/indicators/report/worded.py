"""The one worded result table renderers read: per indicator, its city, district and street
rows and its in-scope community rows in one frame (a `level` column tells them apart), each
with its figures as the engine made them and every text worded once by a `Wording`.

Columns (`COLUMNS`): level (code), level_text, district, street, community (text, "" where
a row has none), value, target (text with unit), unit, gap, status (code), status_text,
reason (code), reason_text, shortfall, shortfall_unit, what_it_takes, shortfall_all,
shortfall_all_unit, share_compliant, n_scope, n_computable, n_met, method (what the row's
figure is), inputs (group rows: the summed inputs, None otherwise), missing_items
(community rows of a checklist), whole (the row's shortfall is a whole number).

Figures are copied, never recomputed, so a number in any format is the engine's. A text
depends on a row only through the values it words and is made once per distinct value.
`Worded.headline` gives the indicator's headline cells likewise. The frames of one report (`worded(results, lang)`) are kept while the Results live, so
each is built once however many formats are written; a census above `KEEP_ROWS`
communities is worded again per format instead, so memory stays that of one indicator.
"""

from __future__ import annotations

import weakref

import numpy as np
import pandas as pd

from indicators.engine.results import NOT_MET, IndicatorResult, Results
from indicators.report.columns import by_value, coded, const, isnum, key_text
from indicators.report.summary import headline_cells
from indicators.report.wording import Wording

COLUMNS = (
    "level",
    "level_text",
    "district",
    "street",
    "community",
    "value",
    "target",
    "unit",
    "gap",
    "status",
    "status_text",
    "reason",
    "reason_text",
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

    def frame(self, r: IndicatorResult, missed_only: bool = False) -> pd.DataFrame:
        """Indicator `r`'s rows: city, districts, streets (as the engine orders them), then
        its in-scope communities in census order. `missed_only` asks for the communities
        that miss the target alone (the Shortfalls): a census too large to keep its frames
        then words only those, not every community again."""
        key = r.indicator.id
        if key in self._frames:
            return self._frames[key]
        if not self.keep:
            return _frame(r, self.results, self.wording, missed_only)
        self._frames[key] = _frame(r, self.results, self.wording)
        return self._frames[key]


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
    r: IndicatorResult, results: Results, w: Wording, missed_only: bool = False
) -> pd.DataFrame:
    target = w.target(r.indicator, results.year)
    parts = [_group_part(r, level, w, target) for level in ROW_LEVELS[:-1]]
    parts.append(_community_part(r, results, w, target, missed_only))
    columns = {}
    for c in COLUMNS:
        values = np.concatenate([p[c] for p in parts])
        # text stays Python objects (None kept as None, not made str/NaN by inference)
        columns[c] = pd.Series(values, dtype=object if c in TEXT_COLUMNS else values.dtype)
    return pd.DataFrame(columns, copy=False)


def _floats(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame:
        return np.full(len(frame), np.nan)
    return frame[column].to_numpy(dtype="float64")


def _group_part(r: IndicatorResult, level: str, w: Wording, target: str) -> dict:
    g = r.groups[level]
    n = len(g)
    short = _floats(g, "shortfall")
    status = g["status"].to_numpy(dtype=object)
    reason = g["reason"].to_numpy(dtype=object)
    inputs = g["inputs"].to_numpy(dtype=object) if "inputs" in g else const(None, n)
    return {
        "level": const(level, n),
        "level_text": const(w.level(level), n),
        "district": key_text(g, "district"),
        "street": key_text(g, "street"),
        "community": const("", n),
        "value": _floats(g, "value"),
        "target": const(target, n),
        "unit": const(w.unit(r.indicator.unit), n),
        "gap": _floats(g, "gap"),
        "status": status,
        "status_text": by_value(status, w.status),
        "reason": reason,
        "reason_text": by_value(reason, w.reason),
        "shortfall": short,
        "shortfall_unit": const(w.group_shortfall_unit(r, level), n),
        "what_it_takes": by_value(short, lambda a: w.group_shortfall(r, a, level)),
        "shortfall_all": _floats(g, "shortfall_all"),
        "shortfall_all_unit": const(w.community_shortfall_unit(r), n),
        "share_compliant": _floats(g, "share_compliant"),
        "n_scope": _floats(g, "n_scope"),
        "n_computable": _floats(g, "n_computable"),
        "n_met": _floats(g, "n_met"),
        "method": const(w.method(r, level), n),
        "inputs": inputs,
        "missing_items": const("", n),
        "whole": np.full(n, r.group_shortfall_whole),
    }


def _community_part(
    r: IndicatorResult, results: Results, w: Wording, target: str, missed_only: bool
) -> dict:
    c = r.communities
    rows = c["in_scope"].to_numpy(dtype=bool)
    if missed_only:
        rows = rows & (c["status"].to_numpy(dtype=object) == NOT_MET)
    pos = np.flatnonzero(rows)
    n = len(pos)
    keys = results.keys
    status = c["status"].to_numpy(dtype=object)[pos]
    short = c["shortfall"].to_numpy(dtype="float64")[pos]
    missing = c["missing_items"].to_numpy(dtype=object)[pos]
    reason = c["reason"].to_numpy(dtype=object)[pos]
    frame = results.census.frame
    if r.indicator.targets_by_type and "community_type" in frame:
        types = frame["community_type"].to_numpy(dtype=object)[pos]
        targets = by_value(
            types,
            lambda x: w.target(r.indicator, results.year, x if isinstance(x, str) else None),
        )
    else:
        targets = const(target, n)
    nan = np.full(n, np.nan)
    return {
        "level": const("community", n),
        "level_text": const(w.level("community"), n),
        "district": keys["district"][pos],
        "street": keys["street"][pos],
        "community": keys["community"][pos],
        "value": c["value"].to_numpy(dtype="float64")[pos],
        "target": targets,
        "unit": const(w.unit(r.indicator.unit), n),
        "gap": c["gap"].to_numpy(dtype="float64")[pos],
        "status": status,
        "status_text": by_value(status, lambda s: w.status(s) if isinstance(s, str) else ""),
        "reason": reason,
        "reason_text": by_value(reason, w.reason),
        "shortfall": short,
        "shortfall_unit": const(w.community_shortfall_unit(r), n),
        "what_it_takes": _community_texts(r, w, status, short, missing),
        "shortfall_all": nan,
        "shortfall_all_unit": const("", n),
        "share_compliant": nan,
        "n_scope": nan,
        "n_computable": nan,
        "n_met": nan,
        "method": const("", n),
        "inputs": const(None, n),
        "missing_items": missing,
        "whole": np.full(n, r.community_shortfall_whole),
    }


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

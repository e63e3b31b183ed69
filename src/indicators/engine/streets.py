"""Indicators of a street office's own facts, evaluated on the street sheet's rows.

A plan field with `level: street` is read from the street sheet (one row per 街道/乡镇), not
from community rows: "每个街道(乡镇)要求自有5-10个文体团队" counts the street's own teams, which no
sum of community teams gives. Such an indicator's unit is the street: community rows are out
of its scope; each street is judged on its own row; districts and the city get the streets'
figures combined by the indicator's aggregate (sum, mean, count or share of streets), compared
with the target only where that is meaningful (as for community-based indicators, an
extensive figure only at its own level).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from indicators.engine.community import (
    S_MET,
    S_NO_TARGET,
    S_NOT_COMPUTABLE,
    S_NOT_MET,
    STATUS_WORDS,
    categorical,
)
from indicators.engine.env import Env
from indicators.engine.grouping import count_units_above, grouping
from indicators.engine.methods import method_of
from indicators.engine.results import GROUP_KEYS, GROUP_LEVELS
from indicators.engine.texts import text_column
from indicators.model.census import Census
from indicators.model.fields import Vocabulary
from indicators.plan.model import Indicator, Target

REASON_NO_ROW = "no-street-row"  # the street has communities but no row on the street sheet


def is_street_fact(ind: Indicator, vocab: Vocabulary) -> bool:
    """True when every field of the indicator is a street-level field."""
    fields = ind.fields
    return bool(fields) and all(
        (f := vocab.get(name)) is not None and f.level == "street" for name in fields
    )


def street_values(ind: Indicator, census: Census, keys: pd.DataFrame) -> np.ndarray:
    """The indicator's value for each (district, street) in `keys`; NaN without a row."""
    streets = census.streets
    if streets is None or not len(streets) or ind.formula is None:
        return np.full(len(keys), np.nan)
    missing = [f for f in ind.formula.fields if f not in streets]
    if missing:
        return np.full(len(keys), np.nan)
    env = {f: streets[f].to_numpy(dtype="float64") for f in ind.formula.fields}
    values = np.asarray(ind.formula.evaluate(env, len(streets)).values, dtype="float64")
    # Without a district column on the street sheet, streets are matched by name alone.
    by_district = bool((streets["district"].astype(str).str.strip() != "").any())
    lookup: dict[tuple[str, str], float] = {}
    for d, s, v in zip(streets["district"], streets["street"], values, strict=True):
        key = _key(d if by_district else "", s)
        # a street listed twice is ambiguous: no value rather than a guess
        lookup[key] = np.nan if key in lookup else v
    return np.array(
        [
            lookup.get(_key(d if by_district else "", s), np.nan)
            for d, s in zip(keys["district"], keys["street"], strict=True)
        ],
        dtype="float64",
    )


def _key(district: object, street: object) -> tuple[str, str]:
    return (_fold(district), _fold(street))


def _fold(name: object) -> str:
    import unicodedata

    if name is None or (isinstance(name, float) and math.isnan(name)):
        return ""
    return "".join(unicodedata.normalize("NFKC", str(name)).split())


def evaluate_street_fact(
    ind: Indicator, census: Census, env: Env, target: Target | None
) -> tuple[pd.DataFrame, dict[str, pd.DataFrame], dict[str, np.ndarray], np.ndarray]:
    """(community rows, group rows per level, group status codes, community status codes)."""
    frame = census.frame
    n = len(frame)
    index = frame.index
    status = np.full(n, S_NOT_COMPUTABLE, dtype=np.int8)
    communities = pd.DataFrame(
        {
            "in_scope": np.zeros(n, dtype=bool),
            "value": np.full(n, np.nan),
            "status": categorical(STATUS_WORDS, status, index),
            "gap": np.full(n, np.nan),
            "shortfall": np.full(n, np.nan),
            "reason": categorical(["", "street-fact"], np.ones(n, dtype=np.int32), index),
            "scope_unknown": np.zeros(n, dtype=bool),
            "missing_items": categorical([""], np.zeros(n, dtype=np.int32), index),
        },
        index=index,
    )
    _, street_keys = grouping(env, "street")
    street_keys = street_keys.reset_index(drop=True)
    values = street_values(ind, census, street_keys)
    if ind.is_condition and method_of(ind).share_of_units:
        values = values * 100.0  # a street meeting the condition is 100% of itself
    groups: dict[str, pd.DataFrame] = {}
    codes: dict[str, np.ndarray] = {}
    for level in GROUP_LEVELS:
        groups[level], codes[level] = _level(ind, level, street_keys, values, target)
    count_units_above(ind, groups)
    return communities, groups, codes, status


def _level(ind, level, street_keys, values, target):
    keys = GROUP_KEYS[level]
    if level == "street":
        rows = street_keys[keys]
        value = values
        parts = [np.array([i]) for i in range(len(values))]
    else:
        if keys:
            grouped = street_keys.groupby(keys, sort=True)
            rows = grouped.size().reset_index(name="_n")[keys]
            parts = [np.asarray(ix) for ix in grouped.indices.values()]
        else:
            rows = None
            parts = [np.arange(len(values))]
        value = np.array([_combine(ind, values[p], target) for p in parts], dtype="float64")
    size = len(value)
    compared = target is not None and method_of(ind).compared_at(ind, level)
    ok_value = ~np.isnan(value)
    status = np.full(size, S_NOT_COMPUTABLE, dtype=np.int8)
    gap = np.full(size, np.nan)
    short = np.full(size, np.nan)
    if compared:
        judged = value
        met = target.met(judged)
        status[ok_value] = S_NOT_MET
        status[ok_value & met] = S_MET
        gap = np.where(ok_value, target.gap(judged), np.nan)
        low = target.bounds[0]
        if math.isfinite(low) and level == "street":
            short = np.where(ok_value & ~met & (judged < low), np.ceil(low - judged - 1e-9), 0.0)
            short = np.where(ok_value, short, np.nan)
    else:
        status[ok_value] = S_NO_TARGET
    no_row = ["", REASON_NO_ROW]
    reason = np.where(ok_value, 0, 1)
    zeros = np.zeros(size)
    columns: dict = {} if rows is None else {k: rows[k].reset_index(drop=True) for k in keys}
    columns.update(
        {
            "n_scope": zeros.astype(int),
            "n_computable": zeros.astype(int),
            "n_met": zeros.astype(int),
            "share_compliant": np.full(size, np.nan),
            "shortfall_all": np.full(size, np.nan),
            "value": value,
            "inputs": text_column([""], np.zeros(size, dtype=int)),
            "status": text_column(STATUS_WORDS, status),
            "gap": gap,
            "shortfall": short,
            "reason": text_column(no_row, reason),
            "units_met": np.full(size, np.nan),
            "units_total": np.full(size, np.nan),
        }
    )
    return pd.DataFrame(columns), status


def _combine(ind: Indicator, values: np.ndarray, target: Target | None) -> float:
    """A district's or the city's figure from its streets' values."""
    known = values[~np.isnan(values)]
    if not len(known):
        return math.nan
    return method_of(ind).combine_streets(known, target)

"""Indicators of a street office's or a district's own facts, evaluated on the rows of the
street sheet (one row per 街道/乡镇) or the district sheet (one row per 区县).

A plan field with `level: street` is read from the street sheet (one row per 街道/乡镇), not
from community rows: "每个街道(乡镇)要求自有5-10个文体团队" counts the street's own teams, which no
sum of community teams gives. Such an indicator's unit is the street: community rows are out
of its scope; each street is judged on its own row; districts and the city get the streets'
figures combined by the indicator's aggregate (sum, mean, count or share of streets), compared
with the target only where that is meaningful (as for community-based indicators, an
extensive figure only at its own level). A district's own fact ("建设县(市)、区级不少于3000平方米
…社区公共服务中心") likewise judges each district on its row; it has no street figure.
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
from indicators.model.levels import LEVELS, level_rows, names_parents, unit_keys
from indicators.plan.model import Indicator, Target

REASON_NO_ROW = {  # the unit has communities but no row on its level's sheet
    "street": "no-street-row",
    "district": "no-district-row",
}
_FINER = {"street": (), "district": ("street",)}  # group levels below a fact's own level


def fact_level(ind: Indicator, vocab: Vocabulary) -> str | None:
    """ "street" or "district" when every field of the indicator is a fact of that level's
    own sheet; None otherwise (a community-based indicator)."""
    levels = {(f := vocab.get(name)) and f.level for name in ind.fields}
    level = levels.pop() if len(levels) == 1 else None
    return level if level in LEVELS else None


def unit_values(ind: Indicator, census: Census, level: str, keys: pd.DataFrame) -> np.ndarray:
    """The indicator's value for each unit of `keys` (district[, street]) from the level's
    sheet; NaN for a unit without a row, or listed twice (no value rather than a guess)."""
    rows, _ = level_rows(census, level)
    if rows is None or not len(rows) or ind.formula is None:
        return np.full(len(keys), np.nan)
    if any(f not in rows for f in ind.formula.fields):
        return np.full(len(keys), np.nan)
    env = {f: rows[f].to_numpy(dtype="float64") for f in ind.formula.fields}
    values = np.asarray(ind.formula.evaluate(env, len(rows)).values, dtype="float64")
    by_parent = names_parents(rows, level)  # else streets are matched by name alone
    lookup: dict[tuple[str, ...], float] = {}
    for key, v in zip(unit_keys(rows, level, by_parent), values, strict=True):
        lookup[key] = np.nan if key in lookup else v
    wanted = unit_keys(keys, level, by_parent)
    return np.array([lookup.get(k, np.nan) for k in wanted], dtype="float64")


def evaluate_level_fact(
    ind: Indicator, unit: str, census: Census, env: Env, target: Target | None
) -> tuple[pd.DataFrame, dict[str, pd.DataFrame], dict[str, np.ndarray], np.ndarray]:
    """(community rows, group rows per level, group status codes, community status codes)
    of an indicator read from the `unit` ("street" or "district") sheet."""
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
            "reason": categorical(["", f"{unit}-fact"], np.ones(n, dtype=np.int32), index),
            "scope_unknown": np.zeros(n, dtype=bool),
            "missing_items": categorical([""], np.zeros(n, dtype=np.int32), index),
        },
        index=index,
    )
    _, unit_keys_ = grouping(env, unit)
    unit_keys_ = unit_keys_.reset_index(drop=True)
    values = unit_values(ind, census, unit, unit_keys_)
    if ind.is_condition and method_of(ind).share_of_units:
        values = values * 100.0  # a unit meeting the condition is 100% of itself
    groups: dict[str, pd.DataFrame] = {}
    codes: dict[str, np.ndarray] = {}
    for level in GROUP_LEVELS:
        if level in _FINER[unit]:  # a district's own centre has no street figure
            groups[level], codes[level] = _finer(grouping(env, level)[1], level, unit)
            continue
        groups[level], codes[level] = _level(ind, unit, level, unit_keys_, values, target)
    count_units_above(ind, groups)
    return communities, groups, codes, status


def _level(ind, unit, level, unit_keys_, values, target):
    """One group level's rows: the units themselves, or the groups above them (their units'
    values combined)."""
    keys = GROUP_KEYS[level]
    if level == unit:
        rows = unit_keys_[keys]
        value = values
    else:
        if keys:
            grouped = unit_keys_.groupby(keys, sort=True)
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
        if level == unit and ind.is_condition:
            # the unit itself must meet the condition: one item short, not "100 points"
            short = np.where(ok_value, np.where(met, 0.0, 1.0), np.nan)
        elif math.isfinite(low) and level == unit:
            short = np.where(ok_value & ~met & (judged < low), np.ceil(low - judged - 1e-9), 0.0)
            short = np.where(ok_value, short, np.nan)
    else:
        status[ok_value] = S_NO_TARGET
    no_row = ["", REASON_NO_ROW[unit]]
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


def _finer(keys: pd.DataFrame, level: str, unit: str) -> tuple[pd.DataFrame, np.ndarray]:
    """Rows of a level below the fact's unit (streets, for a district's own fact): listed
    like any indicator's, with no value and no target; the reason says whose fact it is."""
    size = len(keys)
    status = np.full(size, S_NO_TARGET, dtype=np.int8)
    nan = np.full(size, np.nan)
    zeros = np.zeros(size, dtype=int)
    columns: dict = {k: keys[k].reset_index(drop=True) for k in GROUP_KEYS[level]}
    columns.update(
        {
            "n_scope": zeros,
            "n_computable": zeros,
            "n_met": zeros,
            "share_compliant": nan,
            "shortfall_all": nan,
            "value": nan,
            "inputs": text_column([""], zeros),
            "status": text_column(STATUS_WORDS, status),
            "gap": nan,
            "shortfall": nan,
            "reason": text_column(["", f"{unit}-fact"], np.ones(size, dtype=int)),
            "units_met": nan,
            "units_total": nan,
        }
    )
    return pd.DataFrame(columns), status


def _combine(ind: Indicator, values: np.ndarray, target: Target | None) -> float:
    """A district's or the city's figure from its streets' values."""
    known = values[~np.isnan(values)]
    if not len(known):
        return math.nan
    return method_of(ind).combine_streets(known, target)

"""Street, district and city values of one indicator, computed from its community rows.

Each group row carries two answers, named apart in every report:
- `value`: the group's own figure by the indicator's aggregate method (engine.methods: a
  ratio of sums for ratios, the formula applied to the group's summed fields; a share, count,
  sum or mean of community values otherwise), compared with the target;
- `share_compliant`: the % of the group's computable in-scope communities that meet the
  target on their own.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.engine.community import (
    S_MET,
    S_NO_TARGET,
    S_NOT_COMPUTABLE,
    S_NOT_MET,
    STATUS_WORDS,
)
from indicators.engine.env import Env
from indicators.engine.grouping import count_units_above, grouping, levels
from indicators.engine.methods import Method, method_of
from indicators.engine.results import GROUP_KEYS, GROUP_LEVELS
from indicators.engine.texts import text_column
from indicators.model.fields import Vocabulary
from indicators.plan.model import Indicator, Target


def aggregate_all(
    ind: Indicator,
    frame: pd.DataFrame,
    env: Env,
    communities: pd.DataFrame,
    status: np.ndarray,
    target: Target | None,
    lever: str | None,
    vocab: Vocabulary,
) -> tuple[dict[str, pd.DataFrame], dict[str, np.ndarray]]:
    """The group rows of every level, and their status as codes (community.STATUS_WORDS)."""
    method = method_of(ind)
    in_force = target is not None or bool(ind.targets_by_type)
    sums = _level_sums(ind, method, env, communities, status, in_force)
    groups, codes = {}, {}
    for level in GROUP_LEVELS:
        groups[level], codes[level] = aggregate_level(
            ind, method, frame, env, target, lever, vocab, level, sums[level]
        )
    count_units_above(ind, groups)
    return groups, codes


def _level_sums(
    ind: Indicator,
    method: Method,
    env: Env,
    communities: pd.DataFrame,
    status: np.ndarray,
    in_force: bool = True,
) -> dict[str, dict[str, np.ndarray]]:
    """Per level, the group sums every figure is made of: counts of communities in scope,
    computable and meeting the target; the summed shortfall; what the method adds up (the
    summed or mean value; for ratios the summed inputs of the communities that have them
    all)."""
    lv = levels(env)
    scope = communities["in_scope"].to_numpy(dtype=bool)
    computable = scope & (status != S_NOT_COMPUTABLE)
    short = np.where(computable, communities["shortfall"].to_numpy(dtype="float64"), np.nan)
    value = np.where(computable, communities["value"].to_numpy(dtype="float64"), np.nan)
    met = computable & (status == S_MET)
    if ind.is_condition and not in_force:
        # Out of force (from/until) nobody is judged, yet how many communities meet the
        # condition is still the figure shown for information: count it from the values.
        met = computable & (value == (len(ind.checklist) if ind.checklist else 1))
    unknown = communities["scope_unknown"].to_numpy(dtype=bool)
    usable = method.usable(ind, env, scope, unknown)
    masks = [scope, computable, met, usable, ~np.isnan(short), ~np.isnan(value)]
    counts = lv.counts(masks)
    names = ["n_scope", "n_computable", "n_met", "_usable", "_n_short", "_n_value"]
    out = {level: dict(zip(names, counts[level], strict=True)) for level in GROUP_LEVELS}

    def put(name, per_level):
        for level in GROUP_LEVELS:
            out[level][name] = per_level[level]

    put("_short", lv.sums(short))
    for name, per_level in method.level_sums(ind, env, lv, value, usable).items():
        put(name, per_level)
    return out


def aggregate_level(ind, method, frame, env, target, lever, vocab, level, sums):
    """The rows of one level (a frame) and their status as codes."""
    keys = GROUP_KEYS[level]
    _, key_rows = grouping(env, level)
    size = len(key_rows) if keys else 1
    counts = sums["n_computable"]
    n_met = sums["n_met"]
    with np.errstate(divide="ignore", invalid="ignore"):
        share_compliant = np.where(counts > 0, 100.0 * n_met / counts, np.nan)
    shortfall_all = np.where(sums["_n_short"] > 0, sums["_short"], np.nan)

    figure = method.group_figure(ind, sums, share_compliant, size)
    value, reason, words, inputs = figure.value, figure.reason, figure.words, figure.inputs

    compared = target is not None and not ind.targets_by_type and method.compared_at(ind, level)
    computable_value = ~np.isnan(value)
    status = np.full(size, S_NOT_COMPUTABLE, dtype=np.int8)
    if compared:
        ok = target.met(value)
        status[computable_value] = S_NOT_MET
        status[computable_value & ok] = S_MET
        gap = np.where(computable_value, target.gap(value), np.nan)
        short = method.group_shortfall(ind, target, value, sums, lever, vocab)
        # a group without a value has no shortfall either (not 0: nothing was measured)
        group_shortfall = np.where(computable_value, short, np.nan)
    else:
        status[computable_value] = S_NO_TARGET
        gap = np.full(size, np.nan)
        group_shortfall = np.full(size, np.nan)
    absent = [f for f in ind.fields if f not in frame.columns]
    if absent:
        words = ["", f"no-column:{absent[0]}"]
        reason = np.ones(size, dtype=np.int32)
    reason = np.where(computable_value, 0, reason)

    columns = {k: key_rows[k].reset_index(drop=True) for k in keys}
    columns.update(
        {
            "n_scope": sums["n_scope"],
            "n_computable": counts,
            "n_met": n_met,
            "share_compliant": share_compliant
            if method.has_share_compliant
            else np.full(size, np.nan),
            "shortfall_all": shortfall_all,
            "value": value,
            "inputs": inputs if inputs is not None else text_column([""], np.zeros(size, int)),
            "status": text_column(STATUS_WORDS, status),
            "gap": gap,
            "shortfall": group_shortfall,
            "reason": text_column(words, reason),
            "units_met": np.full(size, np.nan),
            "units_total": np.full(size, np.nan),
        }
    )
    return pd.DataFrame(columns), status

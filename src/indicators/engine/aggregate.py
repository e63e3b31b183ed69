"""Street, district and city values of one indicator, computed from its community rows.

Each group row carries two answers, named apart in every report:
- `value`: the group's own figure by the indicator's aggregate method (a ratio of sums for
  ratios: the formula applied to the group's summed fields; a share, count, sum or mean of
  community values otherwise), compared with the target;
- `share_compliant`: the % of the group's computable in-scope communities that meet the
  target on their own.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.engine.community import Env, shortfall
from indicators.engine.results import (
    GROUP_KEYS,
    GROUP_LEVELS,
    MET,
    NO_TARGET,
    NOT_COMPUTABLE,
    NOT_MET,
)
from indicators.fields import Vocabulary
from indicators.plan.model import EXTENSIVE, LEVELS, Indicator, Target

_ORDER = {level: i for i, level in enumerate(LEVELS)}


def aggregate_all(
    ind: Indicator,
    frame: pd.DataFrame,
    env: Env,
    communities: pd.DataFrame,
    target: Target | None,
    lever: str | None,
    vocab: Vocabulary,
) -> dict[str, pd.DataFrame]:
    base = _community_columns(ind, env, communities)
    groups = {
        level: aggregate_level(ind, frame, env, communities, target, lever, vocab, level, base)
        for level in GROUP_LEVELS
    }
    _count_units_above(ind, groups)
    return groups


def grouping(env: Env, level: str) -> tuple[np.ndarray, pd.DataFrame | None]:
    """(group number of every community, key columns of each group) at `level`, sorted by
    key. Computed once per census and level: turning the key columns into strings and
    factorising them is the costly part of a group-by, and it is the same for every
    indicator."""
    cache = env.groupings
    if level not in cache:
        keys = GROUP_KEYS[level]
        frame = env.frame
        if not keys:
            cache[level] = (np.zeros(len(frame), dtype=np.intp), None)
        else:
            data = pd.DataFrame(
                {k: frame[k].astype("string").fillna("") for k in keys}, index=frame.index
            )
            grouped = data.groupby(keys, sort=True, dropna=False)
            codes = grouped.ngroup().to_numpy(dtype=np.intp)
            cache[level] = (codes, grouped.size().reset_index(name="_n")[keys])
    return cache[level]


def _community_columns(ind: Indicator, env: Env, communities: pd.DataFrame) -> pd.DataFrame:
    """The per-community columns every level sums, the same at each level."""
    scope = communities["in_scope"].to_numpy()
    # compared in place: to_numpy() of an Arrow-backed str column copies 100,000s of objects
    status = communities["status"]
    computable = scope & status.ne(NOT_COMPUTABLE).to_numpy(dtype=bool)
    met = status.eq(MET).to_numpy(dtype=bool)
    data = {
        "n_scope": scope.astype(int),
        "n_computable": computable.astype(int),
        "n_met": (computable & met).astype(int),
        "_value": np.where(computable, communities["value"].to_numpy(), np.nan),
        "_short": np.where(computable, communities["shortfall"].to_numpy(), np.nan),
    }
    usable = np.array(scope, dtype=bool)
    if ind.aggregate == "ratio" and ind.formula is not None:
        # A ratio of sums needs every input of a community; one with a zero denominator
        # still counts (its numbers are real, only its own ratio is undefined).
        for f in ind.formula.fields:
            usable = usable & ~np.isnan(env[f])
        # A community that cannot be placed in or out of scope (no community type, or a
        # `where` it cannot answer) is not summed either: it may belong to the other type.
        usable = usable & ~communities["scope_unknown"].to_numpy(dtype=bool)
        for f in ind.formula.fields:
            data[f"_f_{f}"] = np.where(usable, env[f], 0.0)
    data["_usable"] = usable.astype(int)
    # One block per column, as column-wise assignment makes them: pandas sums a consolidated
    # 2-D block with different rounding, and the figures must not move by a last bit.
    out = pd.DataFrame(index=communities.index)
    for name, values in data.items():
        out[name] = values
    return out


def aggregate_level(
    ind, frame, env, communities, target, lever, vocab, level, base=None
) -> pd.DataFrame:
    keys = GROUP_KEYS[level]
    data = _community_columns(ind, env, communities) if base is None else base
    codes, key_rows = grouping(env, level)
    agg = data.groupby(codes, sort=True)
    sums = agg.sum(numeric_only=True, min_count=0)
    out = key_rows.copy() if keys else pd.DataFrame(index=[0])
    counts = sums["n_computable"].to_numpy()
    out["n_scope"] = sums["n_scope"].to_numpy()
    out["n_computable"] = counts
    out["n_met"] = sums["n_met"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        share_compliant = np.where(counts > 0, 100.0 * sums["n_met"].to_numpy() / counts, np.nan)
    out["share_compliant"] = share_compliant if ind.aggregate != "sum" else np.nan
    out["shortfall_all"] = agg["_short"].sum(min_count=1).to_numpy()

    reason = np.full(len(out), "", dtype=object)
    inputs = np.full(len(out), "", dtype=object)
    method = ind.aggregate
    if method == "ratio" and ind.formula is not None:
        group_env = {f: sums[f"_f_{f}"].to_numpy() for f in ind.formula.fields}
        ev = ind.formula.evaluate(group_env)
        any_usable = sums["_usable"].to_numpy() > 0
        value = np.where(any_usable, ev.values, np.nan)
        reason = np.where(any_usable, reason, "no-communities")
        for denominator, mask in ev.zero_division:
            reason = np.where((reason == "") & mask, f"zero:{denominator}", reason)
        inputs = _inputs_text(ind.formula.fields, group_env, len(out))
    elif method == "share":
        value = np.where(counts > 0, share_compliant, np.nan)
        inputs = np.array(
            [f"{int(m)}/{int(c)}" for m, c in zip(sums["n_met"], counts, strict=False)],
            dtype=object,
        )
        reason = np.where(counts == 0, "no-communities", reason)
    elif method == "count":
        value = np.where(counts > 0, sums["n_met"].to_numpy().astype(float), np.nan)
        reason = np.where(counts == 0, "no-communities", reason)
    elif method == "sum":
        value = agg["_value"].sum(min_count=1).to_numpy()
        reason = np.where(np.isnan(value), "no-communities", reason)
    else:  # mean
        value = agg["_value"].mean().to_numpy()
        reason = np.where(np.isnan(value), "no-communities", reason)
    out["value"] = value
    out["inputs"] = inputs

    own_level = ind.level == level
    # Intensive figures (ratios, shares, means) compare at every level; extensive ones
    # (counts, sums) only at the level the plan set them for.
    compared = (
        target is not None and not ind.targets_by_type and (own_level or method not in EXTENSIVE)
    )
    computable_value = ~np.isnan(value)
    if compared:
        ok = target.met(value)
        out["status"] = np.where(computable_value, np.where(ok, MET, NOT_MET), NOT_COMPUTABLE)
        out["gap"] = np.where(computable_value, target.gap(value), np.nan)
        short = _group_shortfall(ind, method, target, value, counts, sums, lever, vocab)
        # a group without a value has no shortfall either (not 0: nothing was measured)
        out["shortfall"] = np.where(computable_value, short, np.nan)
    else:
        out["status"] = np.where(computable_value, NO_TARGET, NOT_COMPUTABLE)
        out["gap"] = np.nan
        out["shortfall"] = np.nan
    absent = [f for f in ind.fields if f not in frame.columns]
    if absent:
        reason = np.full(len(out), f"no-column:{absent[0]}", dtype=object)
    out["reason"] = np.where(computable_value, "", reason)
    out["units_met"] = np.nan
    out["units_total"] = np.nan
    return out.reset_index(drop=True)


def _inputs_text(fields, env, n) -> np.ndarray:
    parts = [
        np.char.add(f"{f}=", np.char.mod("%.10g", np.asarray(env[f], dtype=float))) for f in fields
    ]
    if not parts:
        return np.full(n, "", dtype=object)
    text = parts[0]
    for p in parts[1:]:
        text = np.char.add(np.char.add(text, "; "), p)
    return text.astype(object)


def _group_shortfall(ind, method, target, value, counts, sums, lever, vocab) -> np.ndarray:
    """The group's shortfall in natural units (communities, or units of the lever field)."""
    gap = target.gap(value)
    met = target.met(value)
    if method == "ratio" and lever and ind.formula is not None:
        env = {f: sums[f"_f_{f}"].to_numpy() for f in ind.formula.fields}
        integer = vocab.get(lever) is not None and vocab[lever].type == "integer"
        return shortfall(ind.formula, target, env, lever, integer)
    if method == "share":
        # communities that must newly meet the condition (negative: stop meeting it), with
        # the target's bounds turned from % of the group's computable communities into counts
        n = np.asarray(counts, dtype="float64")
        need = _whole_steps(sums["n_met"].to_numpy(dtype="float64"), target, n / 100.0)
        return np.where(met, 0.0, need)
    if method == "count":
        return np.where(met, 0.0, _whole_steps(value, target, 1.0))
    # A mean or sum of one whole-numbered field (people, organisations) moves in whole units.
    whole = (
        ind.formula is not None
        and lever is not None
        and ind.formula.text.strip() == lever
        and vocab.get(lever) is not None
        and vocab[lever].type == "integer"
    )
    if method == "mean":
        # the group's total must move by gap x n; whole people, rooms... when the lever is
        n = np.asarray(counts, dtype="float64")
        if whole:
            return np.where(met, 0.0, _whole_steps(np.round(value * n, 9), target, n))
        return np.where(met, 0.0, -gap * counts)
    if whole:
        return np.where(met, 0.0, _whole_steps(value, target, 1.0))
    return np.where(met, 0.0, -gap)  # sum: in the formula's own units


def _whole_steps(have: np.ndarray, target: Target, scale) -> np.ndarray:
    """The smallest whole change to a count `have` that meets the target, whose bounds are
    multiplied by `scale` (1 for counts; n/100 for a share of n communities): positive to
    add, negative to remove. Strict bounds need one whole unit beyond them; a range or band
    is reached at its nearer end."""
    low, high, low_strict, high_strict = target.bounds
    with np.errstate(invalid="ignore"):  # inf x 0 in a group with no community: masked later
        lo = low * scale - have  # change needed to reach the low bound (-inf: none)
        hi = high * scale - have  # change allowed before passing the high bound (+inf: none)
        if low_strict:
            below, up = lo >= -1e-9, np.floor(lo + 1e-9) + 1
        else:
            below, up = lo > 0, np.ceil(lo - 1e-9)
        if high_strict:
            above, down = hi <= 1e-9, np.ceil(hi - 1e-9) - 1
        else:
            above, down = hi < 0, np.floor(hi + 1e-9)
        return np.where(below, up, np.where(above, down, 0.0))


def _count_units_above(ind: Indicator, groups: dict[str, pd.DataFrame]) -> None:
    """For targets set at street or district level: how many of those units meet it, per
    higher-level group (e.g. '5 of 7 streets' on a district row)."""
    if ind.level not in ("street", "district"):
        return
    units = groups[ind.level]
    has_status = units["status"].isin([MET, NOT_MET])
    for level in GROUP_LEVELS:
        if _ORDER[level] <= _ORDER[ind.level]:
            continue
        keys = GROUP_KEYS[level]
        frame = units.assign(_met=(units["status"] == MET).astype(int), _has=has_status.astype(int))
        if keys:
            counted = frame.groupby(keys, sort=True)[["_met", "_has"]].sum().reset_index()
            merged = groups[level].merge(counted, on=keys, how="left")
            groups[level]["units_met"] = merged["_met"].to_numpy()
            groups[level]["units_total"] = merged["_has"].to_numpy()
        else:
            groups[level]["units_met"] = frame["_met"].sum()
            groups[level]["units_total"] = frame["_has"].sum()

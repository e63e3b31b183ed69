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

from indicators.engine.community import (
    S_MET,
    S_NO_TARGET,
    S_NOT_COMPUTABLE,
    S_NOT_MET,
    STATUS_WORDS,
    Env,
    shortfall,
)
from indicators.engine.results import GROUP_KEYS, GROUP_LEVELS, MET, NOT_MET
from indicators.model.fields import Vocabulary
from indicators.plan.model import EXTENSIVE, LEVELS, Indicator, Target

_ORDER = {level: i for i, level in enumerate(LEVELS)}
_STR = pd.Series([""], dtype="str").dtype
_EXACT = 2.0**52  # below this a sum of whole numbers is exact in any order


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
    sums = _level_sums(ind, env, communities, status)
    groups, codes = {}, {}
    for level in GROUP_LEVELS:
        groups[level], codes[level] = aggregate_level(
            ind, frame, env, target, lever, vocab, level, sums[level]
        )
    _count_units_above(ind, groups)
    return groups, codes


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


class _Levels:
    """Group numbers of every level, and how the finest groups (streets) roll up into each
    level: counts and sums of whole numbers are taken once per street and then added up
    street by street, which is exact; other sums are taken row by row at every level, in
    the order (and with the compensated summation) pandas uses."""

    def __init__(self, env: Env) -> None:
        self.n = len(env.frame)
        self._keys: dict[str, pd.Categorical] = {}
        self.codes = {}
        self.sizes = {}
        for level in GROUP_LEVELS:
            codes, key_rows = grouping(env, level)
            self.codes[level] = codes
            self.sizes[level] = len(key_rows) if key_rows is not None else 1
        finest = GROUP_LEVELS[0]
        self.fine = self.codes[finest]
        self.n_fine = self.sizes[finest]
        self.starts: dict[str, np.ndarray | None] = {}
        self.up: dict[str, np.ndarray] = {}
        for level in GROUP_LEVELS:
            up = np.zeros(self.n_fine, dtype=np.intp)
            up[self.fine] = self.codes[level]
            # every row of a street must lie in one group of the level (a hierarchy)
            nested = bool(np.array_equal(up[self.fine], self.codes[level]))
            self.up[level] = up
            if not nested:
                self.starts[level] = None
            elif self.n_fine and np.all(up[1:] >= up[:-1]) and up[0] == 0:
                starts = np.flatnonzero(np.r_[True, up[1:] != up[:-1]])
                self.starts[level] = starts if len(starts) == self.sizes[level] else None
            else:
                self.starts[level] = None

    def roll_up(self, fine: np.ndarray, level: str) -> np.ndarray | None:
        """Street figures (whole numbers) added up to `level`; None if the levels do not
        nest."""
        starts = self.starts[level]
        if starts is None:
            return None
        if level == GROUP_LEVELS[0]:
            return fine
        return np.add.reduceat(fine, starts, axis=0)

    def counts(self, masks: list[np.ndarray]) -> dict[str, list[np.ndarray]]:
        """Per level, the number of rows of each group in each mask (int64)."""
        state = np.zeros(self.n, dtype=np.uint8)
        for bit, mask in enumerate(masks):
            state |= np.asarray(mask, dtype=bool).view(np.uint8) << np.uint8(bit)
        present = np.flatnonzero(np.bincount(state, minlength=1 << len(masks)))
        number = np.zeros(1 << len(masks), dtype=np.intp)
        number[present] = np.arange(len(present))
        width = len(present)
        fine = np.bincount(
            self.fine * width + number[state], minlength=self.n_fine * width
        ).reshape(self.n_fine, width)
        out = {}
        for level in GROUP_LEVELS:
            table = self.roll_up(fine, level)
            if table is None:
                table = np.zeros((self.sizes[level], width), dtype=np.int64)
                np.add.at(table, self.up[level], fine)
            out[level] = [
                table[:, (present >> bit) & 1 == 1].sum(axis=1).astype(np.int64)
                for bit in range(len(masks))
            ]
        return out

    def sums(self, values: np.ndarray, whole: bool | None = None) -> dict[str, np.ndarray]:
        """Per level, the sum of each group's non-missing values (0 where none), to the last
        bit as pandas' group-by sum gives it. `whole`: the values are known to be whole
        numbers small enough to add exactly (None: find out)."""
        missing = np.isnan(values)
        clean = np.where(missing, 0.0, values) if missing.any() else values
        if whole is None:
            whole = _whole(clean)
        out = {}
        fine = np.bincount(self.fine, weights=clean, minlength=self.n_fine) if whole else None
        for level in GROUP_LEVELS:
            total = self.roll_up(fine, level) if whole else None
            if total is None:
                total = self.reduce("sum", values, level)
            out[level] = total
        return out

    def means(self, values: np.ndarray, whole: bool | None = None) -> dict[str, np.ndarray]:
        """Per level, each group's mean of its non-missing values (NaN where none)."""
        if whole is None:
            whole = _whole(np.where(np.isnan(values), 0.0, values))
        if whole:
            sums = self.sums(values, whole=True)
            counts = self.counts([~np.isnan(values)])
            out = {}
            for level in GROUP_LEVELS:
                n = counts[level][0]
                with np.errstate(divide="ignore", invalid="ignore"):
                    out[level] = np.where(n > 0, sums[level] / n, np.nan)
            return out
        return {level: self.reduce("mean", values, level) for level in GROUP_LEVELS}

    def reduce(self, how: str, values: np.ndarray, level: str) -> np.ndarray:
        """pandas' group-by sum (min_count=0) or mean of one column at `level`, to the last
        bit, without the cost of pandas.Series.groupby (5 times the summing itself): the
        same numpy or compiled loop pandas picks, called directly while that is checked to
        give the very same figures."""
        if _kernels_agree():
            return _direct(how, values, self.codes[level], self.sizes[level])
        return _public(how, values, self.keys(level))

    def keys(self, level: str) -> pd.Categorical:
        """The group numbers as a Categorical: pandas groups by its codes as they are,
        without hashing the numbers again for every column."""
        if level not in self._keys:
            self._keys[level] = pd.Categorical.from_codes(
                self.codes[level], categories=pd.RangeIndex(self.sizes[level])
            )
        return self._keys[level]


def _direct(how: str, values: np.ndarray, codes: np.ndarray, size: int) -> np.ndarray:
    """What pandas (3.x) does for a group-by sum or mean of float64 values: with the group
    numbers in ascending row order and no missing value, np.add.reduceat over each group's
    rows; otherwise its compiled loop, which skips missing values and compensates rounding
    (Kahan)."""
    values = np.asarray(values, dtype="float64")
    codes = np.asarray(codes, dtype=np.intp)
    if len(codes) and bool(np.all(codes[1:] >= codes[:-1])) and not np.isnan(values).any():
        starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
        seg = np.add.reduceat(values, starts)
        if how == "mean":
            seg = seg / np.diff(starts, append=codes.size).astype(np.float64)
        out = np.zeros(size) if how == "sum" else np.full(size, np.nan)
        out[codes[starts]] = seg
        return out
    return _kernel(how, values, codes, size)


def _kernel(how: str, values: np.ndarray, codes: np.ndarray, size: int) -> np.ndarray:
    from pandas._libs import groupby as libgroupby

    out = np.empty((size, 1), dtype="float64")
    counts = np.zeros(size, dtype=np.int64)
    column = np.asarray(values, dtype="float64").reshape(-1, 1)
    labels = np.asarray(codes, dtype=np.intp)
    if how == "sum":
        libgroupby.group_sum(
            out=out, counts=counts, values=column, labels=labels, mask=None,
            result_mask=None, min_count=0, is_datetimelike=False, initial=0, skipna=True,
        )  # fmt: skip
    else:
        libgroupby.group_mean(
            out=out, counts=counts, values=column, labels=labels, min_count=-1,
            is_datetimelike=False, mask=None, result_mask=None, skipna=True,
        )  # fmt: skip
    return out[:, 0]


def _public(how: str, values: np.ndarray, keys: pd.Categorical) -> np.ndarray:
    grouped = pd.Series(values).groupby(keys, sort=True, observed=True)
    return (grouped.sum(min_count=0) if how == "sum" else grouped.mean()).to_numpy()


_AGREE: list[bool] = []


def _kernels_agree() -> bool:
    """Whether _direct gives what the public group-by gives, bit for bit, on samples that
    take every path (groups in row order or not; gaps, infinities, signed zeros or none) -
    checked once; any difference (another pandas) and the public group-by is used."""
    if not _AGREE:
        try:
            rng = np.random.default_rng(7)
            values = rng.normal(0, 1e6, 5000) / 7
            values[::11] = np.nan
            values[5::97] = np.inf
            values[9::89] = -0.0
            ordered = np.sort(rng.integers(0, 40, 5000))
            ordered[-1] = 40  # a group with one row
            values[-1] = np.nan  # and no value
            samples = [values, np.nan_to_num(values, nan=0.5, posinf=3.0)]
            ok = True
            for codes in (ordered, rng.permutation(ordered), np.zeros(5000, dtype=np.intp)):
                size = int(codes.max()) + 1
                keys = pd.Categorical.from_codes(codes, categories=pd.RangeIndex(size))
                for how in ("sum", "mean"):
                    for v in samples:
                        mine = _direct(how, v, codes, size).view(np.int64)
                        ok = ok and np.array_equal(mine, _public(how, v, keys).view(np.int64))
        except Exception:  # any change in pandas' internals: use the public way
            ok = False
        _AGREE.append(bool(ok))
    return _AGREE[0]


def _whole(values: np.ndarray) -> bool:
    """Whole numbers whose sum, in any order, is exact in float64."""
    if not np.isfinite(values).all():
        return False
    if not np.array_equal(values, np.trunc(values)):
        return False
    return float(np.abs(values).sum()) < _EXACT


def levels(env: Env) -> _Levels:
    if "_levels" not in env.cache:
        env.cache["_levels"] = _Levels(env)
    return env.cache["_levels"]


def _field_is_whole(env: Env, field: str) -> bool:
    key = ("whole", field)
    if key not in env.cache:
        values = env[field]
        env.cache[key] = _whole(np.where(np.isnan(values), 0.0, values))
    return env.cache[key]


def _level_sums(
    ind: Indicator, env: Env, communities: pd.DataFrame, status: np.ndarray
) -> dict[str, dict[str, np.ndarray]]:
    """Per level, the group sums every figure is made of: counts of communities in scope,
    computable and meeting the target; the summed shortfall; the summed or mean value; for
    ratios the summed inputs of the communities that have them all."""
    lv = levels(env)
    scope = communities["in_scope"].to_numpy(dtype=bool)
    computable = scope & (status != S_NOT_COMPUTABLE)
    met = computable & (status == S_MET)
    short = np.where(computable, communities["shortfall"].to_numpy(dtype="float64"), np.nan)
    value = np.where(computable, communities["value"].to_numpy(dtype="float64"), np.nan)
    usable = np.array(scope, dtype=bool)
    ratio = ind.aggregate == "ratio" and ind.formula is not None
    if ratio:
        # A ratio of sums needs every input of a community; one with a zero denominator
        # still counts (its numbers are real, only its own ratio is undefined).
        for f in ind.formula.fields:
            usable = usable & ~np.isnan(env[f])
        # A community that cannot be placed in or out of scope (no community type, or a
        # `where` it cannot answer) is not summed either: it may belong to the other type.
        usable = usable & ~communities["scope_unknown"].to_numpy(dtype=bool)
    masks = [scope, computable, met, usable, ~np.isnan(short), ~np.isnan(value)]
    counts = lv.counts(masks)
    names = ["n_scope", "n_computable", "n_met", "_usable", "_n_short", "_n_value"]
    out = {level: dict(zip(names, counts[level], strict=True)) for level in GROUP_LEVELS}

    def put(name, per_level):
        for level in GROUP_LEVELS:
            out[level][name] = per_level[level]

    put("_short", lv.sums(short))
    if ind.aggregate == "sum":
        put("_value", lv.sums(value))
    elif ind.aggregate == "mean":
        put("_mean", lv.means(value))
    if ratio:
        for f in ind.formula.fields:
            whole = _field_is_whole(env, f)
            put(f"_f_{f}", lv.sums(np.where(usable, env[f], 0.0), whole=whole or None))
    return out


def text_column(words, codes: np.ndarray):
    """A column of the words `codes` point at, of pandas' string dtype (as a column of
    Python strings would become), built without a Python string per row."""
    if getattr(_STR, "storage", None) == "pyarrow":
        import pyarrow as pa
        from pandas.arrays import ArrowStringArray

        table = pa.array(list(words), type=pa.large_string())
        return ArrowStringArray(table.take(pa.array(codes)), dtype=_STR)
    return pd.array(np.asarray(words, dtype=object)[codes], dtype=_STR)


def aggregate_level(ind, frame, env, target, lever, vocab, level, sums):
    """The rows of one level (a frame) and their status as codes."""
    keys = GROUP_KEYS[level]
    _, key_rows = grouping(env, level)
    size = len(key_rows) if keys else 1
    counts = sums["n_computable"]
    n_met = sums["n_met"]
    with np.errstate(divide="ignore", invalid="ignore"):
        share_compliant = np.where(counts > 0, 100.0 * n_met / counts, np.nan)
    shortfall_all = np.where(sums["_n_short"] > 0, sums["_short"], np.nan)

    words = [""]
    reason = np.zeros(size, dtype=np.int32)
    inputs = None
    method = ind.aggregate
    no_communities = 1
    if method == "ratio" and ind.formula is not None:
        words.append("no-communities")
        group_env = {f: sums[f"_f_{f}"] for f in ind.formula.fields}
        ev = ind.formula.evaluate(group_env)
        any_usable = sums["_usable"] > 0
        value = np.where(any_usable, ev.values, np.nan)
        reason = np.where(any_usable, reason, no_communities)
        for denominator, mask in ev.zero_division:
            words.append(f"zero:{denominator}")
            reason = np.where((reason == 0) & mask, len(words) - 1, reason)
        inputs = _inputs_text(ind.formula.fields, group_env, size)
    elif method == "share":
        words.append("no-communities")
        value = np.where(counts > 0, share_compliant, np.nan)
        inputs = _fractions(n_met, counts)
        reason = np.where(counts == 0, no_communities, reason)
    elif method == "count":
        words.append("no-communities")
        value = np.where(counts > 0, n_met.astype(float), np.nan)
        reason = np.where(counts == 0, no_communities, reason)
    elif method == "sum":
        words.append("no-communities")
        value = np.where(sums["_n_value"] > 0, sums["_value"], np.nan)
        reason = np.where(np.isnan(value), no_communities, reason)
    else:  # mean
        words.append("no-communities")
        value = sums["_mean"]
        reason = np.where(np.isnan(value), no_communities, reason)

    own_level = ind.level == level
    # Intensive figures (ratios, shares, means) compare at every level; extensive ones
    # (counts, sums) only at the level the plan set them for.
    compared = (
        target is not None and not ind.targets_by_type and (own_level or method not in EXTENSIVE)
    )
    computable_value = ~np.isnan(value)
    status = np.full(size, S_NOT_COMPUTABLE, dtype=np.int8)
    if compared:
        ok = target.met(value)
        status[computable_value] = S_NOT_MET
        status[computable_value & ok] = S_MET
        gap = np.where(computable_value, target.gap(value), np.nan)
        short = _group_shortfall(ind, method, target, value, counts, sums, lever, vocab)
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
            "share_compliant": share_compliant if method != "sum" else np.full(size, np.nan),
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


def _fractions(met: np.ndarray, counts: np.ndarray):
    """The text "met/computable" of each group, one text per distinct pair."""
    met = np.asarray(met, dtype=np.int64)
    counts = np.asarray(counts, dtype=np.int64)
    if len(counts) == 0:
        return text_column([""], np.zeros(0, dtype=np.intp))
    lowest = min(int(met.min()), int(counts.min()), 0)
    base = max(int(met.max()), int(counts.max())) - lowest + 1
    pairs, codes = np.unique((met - lowest) * base + (counts - lowest), return_inverse=True)
    words = [f"{int(p // base + lowest)}/{int(p % base + lowest)}" for p in pairs]
    return text_column(words, np.asarray(codes).reshape(-1))


def _inputs_text(fields, env, n):
    """ "households=1234; facility_area=5678.5" per group ("%.10g" of each summed input)."""
    if not fields:
        return text_column([""], np.zeros(n, dtype=np.intp))
    if getattr(_STR, "storage", None) != "pyarrow":
        parts = [
            np.char.add(f"{f}=", np.char.mod("%.10g", np.asarray(env[f], dtype=float)))
            for f in fields
        ]
        text = parts[0]
        for p in parts[1:]:
            text = np.char.add(np.char.add(text, "; "), p)
        return pd.array(text.astype(object), dtype=_STR)
    import pyarrow as pa
    import pyarrow.compute as pc
    from pandas.arrays import ArrowStringArray

    parts = [
        pc.binary_join_element_wise(f"{f}=", _g10(np.asarray(env[f], dtype=float)), "")
        for f in fields
    ]
    text = parts[0] if len(parts) == 1 else pc.binary_join_element_wise(*parts, "; ")
    return ArrowStringArray(text.cast(pa.large_string()), dtype=_STR)


def _g10(values: np.ndarray):
    """ "%.10g" % v for every value, as an Arrow string array: whole numbers of up to ten
    digits are written by Arrow (the same digits); other values are formatted one per
    distinct value."""
    import pyarrow as pa

    finite = np.isfinite(values)
    whole = finite.all() and np.array_equal(values, np.trunc(values))
    negative_zero = bool(np.any((values == 0) & np.signbit(values)))
    if whole and not negative_zero and float(np.abs(values).max(initial=0.0)) < 1e10:
        return pa.array(values.astype(np.int64)).cast(pa.string())
    bits, codes = np.unique(values.view(np.int64), return_inverse=True)
    words = pa.array([f"{float(v):.10g}" for v in bits.view(np.float64)], type=pa.string())
    return words.take(pa.array(np.asarray(codes, dtype=np.int64).reshape(-1)))


def _group_shortfall(ind, method, target, value, counts, sums, lever, vocab) -> np.ndarray:
    """The group's shortfall in natural units (communities, or units of the lever field)."""
    gap = target.gap(value)
    met = target.met(value)
    if method == "ratio" and lever and ind.formula is not None:
        env = {f: sums[f"_f_{f}"] for f in ind.formula.fields}
        integer = vocab.get(lever) is not None and vocab[lever].type == "integer"
        return shortfall(ind.formula, target, env, lever, integer)
    if method == "share":
        # communities that must newly meet the condition (negative: stop meeting it), with
        # the target's bounds turned from % of the group's computable communities into counts
        n = np.asarray(counts, dtype="float64")
        need = _whole_steps(np.asarray(sums["n_met"], dtype="float64"), target, n / 100.0)
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

"""Which group every community falls in at each level, and sums and counts per group.

Group numbers are computed once per census and level, by the Census itself
(`Census.grouping`: factorising the key columns is the costly part of a group-by, and it is
the same for every indicator and every evaluation). Counts and sums of whole numbers are
taken once per street and then added up street by street, which is exact; other sums are taken row by row at every level, in the
order (and with the compensated summation) pandas' group-by uses, so every figure is the one
`Series.groupby(...).sum()` would give, to the last bit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.compat import group_reduce
from indicators.engine.env import Env
from indicators.engine.results import GROUP_KEYS, GROUP_LEVELS, MET, NOT_MET
from indicators.plan.model import LEVELS, Indicator

_ORDER = {level: i for i, level in enumerate(LEVELS)}
_EXACT = 2.0**52  # below this a sum of whole numbers is exact in any order


def grouping(env: Env, level: str) -> tuple[np.ndarray, pd.DataFrame | None]:
    """(group number of every community, key columns of each group) at `level`, sorted by
    key; the city is one group with no key columns (None). The census numbers its groups
    once (`Census.grouping`); every evaluation of it reads them from there."""
    return env.census.grouping(level)


class Levels:
    """Group numbers of every level, and how the finest groups (streets) roll up into each
    level."""

    def __init__(self, env: Env) -> None:
        self.n = len(env.frame)
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
            whole = is_whole(clean)
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
            whole = is_whole(np.where(np.isnan(values), 0.0, values))
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
        """pandas' group-by sum (min_count=0) or mean of one column at `level`."""
        return group_reduce(how, values, self.codes[level], self.sizes[level])


def is_whole(values: np.ndarray) -> bool:
    """Whole numbers whose sum, in any order, is exact in float64."""
    if not np.isfinite(values).all():
        return False
    if not np.array_equal(values, np.trunc(values)):
        return False
    return float(np.abs(values).sum()) < _EXACT


def levels(env: Env) -> Levels:
    """The census's Levels, built once and shared by every indicator."""
    if "_levels" not in env.cache:
        env.cache["_levels"] = Levels(env)
    return env.cache["_levels"]


def field_is_whole(env: Env, field: str) -> bool:
    """Whether a census field holds whole numbers that add up exactly (asked once)."""
    key = ("whole", field)
    if key not in env.cache:
        values = env[field]
        env.cache[key] = is_whole(np.where(np.isnan(values), 0.0, values))
    return env.cache[key]


def count_units_above(ind: Indicator, groups: dict[str, pd.DataFrame]) -> None:
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

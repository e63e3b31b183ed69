"""The Shortfalls table: every unmet target, ranked by size, in natural units.

Built column by column (one sort per indicator and level, each sentence worded once per
distinct amount) so that national-size censuses stay fast. Numbers come from Results as
they are; this module only chooses, orders and words them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.engine.results import (
    NOT_MET,
    IndicatorResult,
    Results,
)
from indicators.model.i18n import t
from indicators.report.columns import by_value, const, isnum, key_text
from indicators.report.wording import Wording

SHORTFALL_COLUMNS = (
    "rank",
    "indicator",
    "level",
    "district",
    "street",
    "community",
    "actual",
    "target",
    "gap",
    "status",
    "shortfall",
    "unit",
    "what_it_takes",
    "shortfall_all",
)


class ShortfallTable:
    """The Shortfalls rows as columns (numpy arrays, one entry per row), in report order:
    per indicator the city, district and street rows, then the communities, each ranked
    largest first. `total` is the number of rows before any limit or cap."""

    TEXT = (
        "indicator",
        "level",
        "district",
        "street",
        "community",
        "target",
        "status",
        "unit",
        "what_it_takes",
        "shortfall_all_unit",
    )
    NUMBER = ("rank", "actual", "gap", "shortfall", "shortfall_all")

    def __init__(self, parts: list[dict], results: list[IndicatorResult], total: int) -> None:
        self.results = results
        self.total = total
        keys = (*self.TEXT, *self.NUMBER, "result", "is_community")
        if parts:
            self.cols = {k: np.concatenate([p[k] for p in parts]) for k in keys}
        else:
            self.cols = {k: np.empty(0, dtype=object) for k in keys}
        self.capped = 0  # community rows left out by a per-indicator cap
        self.cap: int | None = None

    def __len__(self) -> int:
        return len(self.cols["rank"])

    def head(self, n: int | None) -> ShortfallTable:
        if n is None or n >= len(self):
            return self
        out = ShortfallTable([], self.results, self.total)
        out.cols = {k: v[:n] for k, v in self.cols.items()}
        out.capped, out.cap = self.capped, self.cap
        return out

    def dicts(self) -> list[dict]:
        cols = self.cols
        out = []
        for i in range(len(self)):
            row = {k: cols[k][i] for k in self.TEXT}
            for k in self.NUMBER:
                v = cols[k][i]
                row[k] = None if k != "rank" and not isnum(v) else float(v)
            row["rank"] = int(cols["rank"][i])
            row["result"] = self.results[int(cols["result"][i])]
            out.append(row)
        return out


def shortfall_table(
    results: Results, w: Wording, per_indicator: int | None = None
) -> ShortfallTable:
    """Every unmet target, per indicator from the city down to communities, largest first
    within each level, indicators whose headline misses its target first; group rows also carry their communities' summed shortfall.
    `per_indicator` keeps only that many rows (the largest) per indicator and level."""
    lang = w.lang
    frame = results.census.frame
    rows_of = None
    parts: list[dict] = []
    total = capped = 0
    # missed targets first (in plan order), then the targets met where some units still
    # fall short on their own
    order = sorted(
        range(len(results.indicators)),
        key=lambda j: results.indicators[j].headline.status != NOT_MET,
    )
    for j in order:
        r = results.indicators[j]
        ind = r.indicator
        target = w.target(ind, results.year)
        name = ind.name(lang)
        g_unit = w.group_shortfall_unit(r)
        c_unit = w.community_shortfall_unit(r)
        for level in ("city", "district", "street"):
            g = r.groups[level]
            short_all = g["shortfall_all"].to_numpy(dtype="float64")
            keep = (g["status"] == NOT_MET).to_numpy() | (
                (ind.level == "community") & (np.nan_to_num(short_all, nan=0.0) != 0)
            )
            if not keep.any():
                continue
            sel = g[keep]
            sel = sel.iloc[_rank_order(sel["shortfall"], sel["shortfall_all"])]
            total += len(sel)
            if per_indicator is not None and len(sel) > per_indicator:
                capped += len(sel) - per_indicator
                sel = sel.iloc[:per_indicator]
            n = len(sel)
            short = sel["shortfall"].to_numpy(dtype="float64")
            parts.append(
                {
                    "rank": np.arange(1, n + 1, dtype="float64"),
                    "result": np.full(n, j),
                    "is_community": np.zeros(n, dtype=bool),
                    "indicator": const(name, n),
                    "level": const(t(f"level.{level}", lang), n),
                    "district": key_text(sel, "district") if level != "city" else const("", n),
                    "street": key_text(sel, "street") if level == "street" else const("", n),
                    "community": const("", n),
                    "actual": sel["value"].to_numpy(dtype="float64"),
                    "target": const(target, n),
                    "gap": sel["gap"].to_numpy(dtype="float64"),
                    "status": sel["status"].to_numpy(dtype=object),
                    "shortfall": short,
                    "unit": const(g_unit, n),
                    "what_it_takes": by_value(short, lambda a, r=r: w.group_shortfall(r, a)),
                    "shortfall_all": sel["shortfall_all"].to_numpy(dtype="float64"),
                    "shortfall_all_unit": const(c_unit, n),
                }
            )
        c = r.communities
        failing = np.flatnonzero((c["status"] == NOT_MET).to_numpy() & c["in_scope"].to_numpy())
        if not len(failing):
            continue
        total += len(failing)
        short = c["shortfall"].to_numpy(dtype="float64")[failing]
        a = np.abs(short)
        order = np.argsort(-np.where(np.isnan(a), -1.0, a), kind="stable")
        if per_indicator is not None and len(order) > per_indicator:
            capped += len(order) - per_indicator
            order = order[:per_indicator]
        pos = failing[order]
        short = short[order]
        n = len(pos)
        # only the rows listed become Python objects (a national census has 600k per column)
        if rows_of is None:
            rows_of = (
                np.arange(len(frame))
                if c.index.equals(frame.index)
                else frame.index.get_indexer(c.index)
            )
        at = rows_of[pos]
        keys = {k: results.keys[k][at] for k in ("district", "street", "community")}
        types = (
            frame["community_type"].iloc[at].to_numpy(dtype=object)
            if "community_type" in frame
            else None
        )
        if ind.targets_by_type and types is not None:
            tgt = by_value(
                types,
                lambda x, ind=ind: w.target(ind, results.year, x if isinstance(x, str) else None),
            )
        else:
            tgt = const(target, n)
        missing = c["missing_items"].iloc[pos].to_numpy(dtype=object)
        if ind.checklist:
            what = np.array(
                [
                    w.community_shortfall(r, NOT_MET, a, m)
                    for a, m in zip(short.tolist(), missing.tolist(), strict=True)
                ],
                dtype=object,
            )
        else:
            what = _amount_texts(
                short, lambda a, r=r: w.community_shortfall(r, NOT_MET, a, ""), w, r.lever_whole
            )
        parts.append(
            {
                "rank": np.arange(1, n + 1, dtype="float64"),
                "result": np.full(n, j),
                "is_community": np.ones(n, dtype=bool),
                "indicator": const(name, n),
                "level": const(t("level.community", lang), n),
                "district": keys["district"],
                "street": keys["street"],
                "community": keys["community"],
                "actual": c["value"].to_numpy(dtype="float64")[pos],
                "target": tgt,
                "gap": c["gap"].to_numpy(dtype="float64")[pos],
                "status": c["status"].iloc[pos].to_numpy(dtype=object),
                "shortfall": short,
                "unit": const(c_unit, n),
                "what_it_takes": what,
                "shortfall_all": np.full(n, np.nan),
                "shortfall_all_unit": const("", n),
            }
        )
    table = ShortfallTable(parts, results.indicators, total)
    table.capped, table.cap = capped, per_indicator
    return table


def shortfall_rows(results: Results, lang: str, limit: int | None = None) -> tuple[list[dict], int]:
    """The first `limit` rows of `shortfall_table` as dicts; returns (rows, total rows)."""
    table = shortfall_table(results, Wording.of(results, lang))
    return table.head(limit).dicts(), table.total


def _rank_order(primary: pd.Series, secondary: pd.Series | None) -> np.ndarray:
    """Positions sorted by |primary| (then |secondary|) descending; missing values last."""
    a = np.abs(primary.to_numpy(dtype="float64"))
    a = np.where(np.isnan(a), -1.0, a)
    if secondary is not None:
        b = np.abs(secondary.to_numpy(dtype="float64"))
        b = np.where(np.isnan(b), -1.0, b)
        return np.lexsort((-b, -a))
    return np.argsort(-a, kind="stable")


def _amount_texts(values: np.ndarray, fn, w: Wording, whole: bool) -> np.ndarray:
    """Like `by_value` for a text that depends on an amount only through its sign and its
    printed figure (`Wording.amount`): fn runs once per distinct printed amount."""
    cache: dict[tuple, str] = {}

    def once(a: float) -> str:
        key = (a > 0, a < 0, w.amount(a, whole)) if isnum(a) else (None,)
        if key not in cache:
            cache[key] = fn(a)
        return cache[key]

    return by_value(values, once)

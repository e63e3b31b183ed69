"""The Shortfalls table: every unmet target, ranked by size, in natural units.

Built column by column (one sort per indicator and level) from the worded frame every
format reads (report/worded.py), so that national-size censuses stay fast and a row says
here what it says in the CSV and JSON. This module only chooses and orders rows.
"""

from __future__ import annotations

import numpy as np

from indicators.engine.results import NOT_MET, IndicatorResult, Results
from indicators.report.columns import const, isnum
from indicators.report.worded import level_rows, worded
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
        "status_text",
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
    within each level, indicators whose headline misses its target first; group rows also
    carry their communities' summed shortfall. Rows, figures and texts are those of the
    worded frame (report/worded.py), chosen and ordered here.
    `per_indicator` keeps only that many rows (the largest) per indicator and level."""
    table = worded(results, w.lang)
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
        frame = table.frame(r, missed_only=True)  # community rows that are not kept anyway
        name = r.indicator.name(w.lang)
        for level in ("city", "district", "street", "community"):
            rows = level_rows(frame, level)
            failing = (rows["status"] == NOT_MET).to_numpy()
            short = rows["shortfall"].to_numpy(dtype="float64")
            if level == "community":
                keep = failing
                a = np.abs(short[keep])
                rank = np.argsort(-np.where(np.isnan(a), -1.0, a), kind="stable")
            else:
                short_all = rows["shortfall_all"].to_numpy(dtype="float64")
                keep = failing | (
                    (r.indicator.level == "community") & (np.nan_to_num(short_all, nan=0.0) != 0)
                )
                rank = _rank_order(short[keep], short_all[keep])
            if not keep.any():
                continue
            total += int(keep.sum())
            if per_indicator is not None and len(rank) > per_indicator:
                capped += len(rank) - per_indicator
                rank = rank[:per_indicator]
            pos = np.flatnonzero(keep)[rank]
            n = len(pos)

            def col(k: str, pos=pos, rows=rows) -> np.ndarray:
                return rows[k].to_numpy()[pos]

            parts.append(
                {
                    "rank": np.arange(1, n + 1, dtype="float64"),
                    "result": np.full(n, j),
                    "is_community": np.full(n, level == "community"),
                    "indicator": const(name, n),
                    "level": col("level_text"),
                    "district": col("district"),
                    "street": col("street"),
                    "community": col("community"),
                    "actual": col("value"),
                    "target": col("target"),
                    "gap": col("gap"),
                    "status": col("status"),
                    "status_text": col("status_text"),
                    "shortfall": col("shortfall"),
                    "unit": col("shortfall_unit"),
                    "what_it_takes": col("what_it_takes"),
                    "shortfall_all": col("shortfall_all"),
                    "shortfall_all_unit": col("shortfall_all_unit"),
                }
            )
    out = ShortfallTable(parts, results.indicators, total)
    out.capped, out.cap = capped, per_indicator
    return out


def shortfall_rows(results: Results, lang: str, limit: int | None = None) -> tuple[list[dict], int]:
    """The first `limit` rows of `shortfall_table` as dicts; returns (rows, total rows)."""
    table = shortfall_table(results, Wording.of(results, lang))
    return table.head(limit).dicts(), table.total


def _rank_order(primary: np.ndarray, secondary: np.ndarray) -> np.ndarray:
    """Positions sorted by |primary|, then |secondary|, descending; missing values last."""
    a = np.abs(primary)
    a = np.where(np.isnan(a), -1.0, a)
    b = np.abs(secondary)
    b = np.where(np.isnan(b), -1.0, b)
    return np.lexsort((-b, -a))

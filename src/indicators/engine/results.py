"""Results: what the engine returns and every renderer reads. Renderers compute nothing.

Per indicator, one frame of community rows (aligned with the census frame) and one frame per
aggregate level (street, district, city). The identity of each community row (district,
street, community as text) is converted once, in `Results.keys`, for every renderer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from indicators.files import run_time
from indicators.model.census import Census
from indicators.plan.model import Indicator, Plan, Target

if TYPE_CHECKING:
    from indicators.engine.methods import Method  # methods uses these records

# Status words are stable codes; their labels in each language live in the catalogue.
MET = "met"
NOT_MET = "not_met"
NOT_COMPUTABLE = "not_computable"
NOT_ASSESSED = "not_assessed"
NO_TARGET = "no_target"  # a value shown for information; the target is set at another level
STATUSES = (MET, NOT_MET, NOT_COMPUTABLE, NO_TARGET, NOT_ASSESSED)

GROUP_LEVELS = ("street", "district", "city")
GROUP_KEYS = {"street": ["district", "street"], "district": ["district"], "city": []}
KEY_COLUMNS = ("district", "street", "community")
WHOLE_TYPES = ("integer", "boolean")  # field types whose amounts are whole numbers


PER_UNIT_LEVELS = ("community", "street", "district")


@dataclass
class Headline:
    """The Summary row of one indicator: one definition every format shows.

    A target set for the city is judged on the city's figure (`value`, `gap`). A target
    every community, street or district must meet is judged on those units: its headline is
    "87/120 communities meet it" and its gap the units that do not (`units_failing`); the
    city's figure is shown beside it for reference only.
    """

    value: float  # the city-wide aggregate (NaN when not computable)
    status: str
    gap: float  # value - target bound at city level (NaN where not meaningful)
    units_level: str  # level whose units the target applies to
    units_total: int  # units at that level with a status (computable)
    units_failing: int
    communities_in_scope: int
    communities_failing: int
    communities_not_computable: int
    reason: str = ""
    units_met: int = 0
    # The one share: % of the judged units the target applies to that meet it (NaN when
    # none can be judged). For a target every unit must meet it is units_met/units_total;
    # for a city target (one unit) it counts the in-scope communities instead, which is
    # what `assess` follows for a city target set by community type.
    share_met: float = float("nan")

    @property
    def per_unit(self) -> bool:
        """Every unit of `units_level` must meet the target (not one city figure). A target
        not in force this year judges no unit: its city figure is shown for information."""
        return self.units_level in PER_UNIT_LEVELS and self.status != NO_TARGET

    @property
    def shown_value(self) -> float:
        """The headline figure: the share of units meeting it, or the city's value."""
        return self.share_met if self.per_unit else self.value

    @property
    def shown_gap(self) -> float:
        """The headline gap: the units short (a positive count), or the city's value minus
        its target (NaN when met and not measurable)."""
        return float(self.units_failing) if self.per_unit else self.gap


def completion(ind: Indicator, target: Target | None, value: float) -> float:
    """完成进度 (%): (value - baseline) / (target - baseline) x 100, for a city figure with a
    usable printed baseline; NaN otherwise (no baseline, a doubtful one, no distance)."""
    b = ind.baseline
    if b is None or ind.baseline_doubtful or target is None or target.headline is None:
        return float("nan")
    span = target.headline - b.value
    if span == 0 or value != value:
        return float("nan")
    return 100.0 * (value - b.value) / span


def time_elapsed(plan: Plan, ind: Indicator, target: Target | None, year: int | None) -> float:
    """时间进度 (%): the share of the time from the base year to the target year that has
    passed by the census year (NaN when the census year is not known)."""
    if year is None:
        return float("nan")
    start = (ind.baseline.year if ind.baseline else None) or plan.baseline_year
    start = start if start is not None else plan.period[0] - 1
    end = target.year if target is not None and target.year is not None else plan.period[1]
    if end <= start:
        return float("nan")
    return 100.0 * min(max(year - start, 0), end - start) / (end - start)


@dataclass
class IndicatorResult:
    indicator: Indicator
    target: Target | None
    # community rows, index aligned with census.frame; columns:
    #   in_scope (bool), value, status, gap, shortfall, reason, missing_items (checklists)
    communities: pd.DataFrame
    # level -> rows with key columns, value, status, gap, shortfall, shortfall_all,
    #   n_scope, n_computable, n_met, share_compliant, units_met, units_total, inputs, reason
    groups: dict[str, pd.DataFrame]
    headline: Headline
    method: Method  # the aggregate method object; also its plan name ("ratio", ...)
    lever: str | None = None  # field the shortfall is expressed in
    lever_unit: str | None = None
    lever_type: str | None = None  # the lever field's type: integer, boolean, number ...
    # "street" or "district": a fact of that level's own sheet, not of community values
    fact_level: str | None = None

    def method_key(self, level: str) -> str:
        """The message key naming what a `level` row's figure is (Method.label_key_at)."""
        return self.method.label_key_at(level, self.fact_level, self.target is not None)

    @property
    def lever_whole(self) -> bool:
        """The one whole-number rule: amounts of the lever field are whole numbers when the
        field counts (integer) or is a condition (boolean)."""
        return self.lever_type in WHOLE_TYPES

    @property
    def lever_boolean(self) -> bool:
        return bool(self.lever) and self.lever_type == "boolean"

    @property
    def community_shortfall_whole(self) -> bool:
        """A community's shortfall is whole: checklist items, or whole amounts of the lever."""
        return bool(self.indicator.checklist) or self.lever_whole

    @property
    def group_shortfall_whole(self) -> bool:
        """A group's own shortfall is whole: communities to bring up, or whole amounts of the
        lever."""
        return self.method.counts_communities or self.lever_whole


@dataclass
class Results:
    plan: Plan
    census: Census
    indicators: list[IndicatorResult]
    not_assessed: list[Indicator]
    year: int | None = None
    generated_at: datetime = field(default_factory=run_time)  # SOURCE_DATE_EPOCH wins

    def get(self, indicator_id: str) -> IndicatorResult:
        for r in self.indicators:
            if r.indicator.id == indicator_id:
                return r
        raise KeyError(indicator_id)

    @property
    def any_gap(self) -> bool:
        return any(r.headline.status == NOT_MET for r in self.indicators)

    @property
    def any_binding_gap(self) -> bool:
        return any(r.headline.status == NOT_MET and r.indicator.binding for r in self.indicators)

    @cached_property
    def keys(self) -> dict[str, np.ndarray]:
        """District, street and community of each census row as text ('' when missing),
        aligned with census.frame: converted here once, for every renderer. Each distinct
        name is one Python string shared by its rows (600k rows at national size)."""
        frame = self.census.frame
        out = {}
        for k in KEY_COLUMNS:
            text = np.empty(len(frame), dtype=object)
            if k not in frame:
                text.fill("")
            elif len(frame):
                codes, uniques = pd.factorize(frame[k])  # text, "" for missing: Census
                text = np.asarray(uniques, dtype=object)[codes]
            out[k] = text
        return out

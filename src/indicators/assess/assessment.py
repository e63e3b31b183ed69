"""Annual assessment: one census per year, evaluated and followed from baseline to target.

`assess(plan, [(year, census), ...])` evaluates the plan on each census (`engine.evaluate`),
then builds, per indicator, the yearly series of its tracked value, the expected linear
trajectory and a progress status (`progress.assess`); per street and district, the same
series for every unit; and between consecutive years, the communities added, removed or
renamed and the implausible jumps in their figures (DataIssue warnings, code
"implausible-change"). Renderers (report/assessment_*.py) read the `Assessment`; they
compute nothing. Year detection for input files is `assess.years.resolve_years`; changes
between years are `assess.changes`.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from datetime import datetime

from indicators.assess import progress
from indicators.assess.changes import CommunityChange, community_changes, implausible_changes
from indicators.assess.years import YearInput
from indicators.engine import evaluate
from indicators.engine.methods import method_of
from indicators.engine.results import IndicatorResult
from indicators.files import run_time
from indicators.model.census import Census
from indicators.model.issues import DataIssue
from indicators.plan.model import Indicator, Plan, Target

VALUE = "value"  # the tracked number is the indicator's city-wide value
SHARE_MEETING = "share_meeting"  # ... the % of units (communities, streets...) meeting it
ALL_MEET = Target(op=">=", value=100.0)


@dataclass
class IndicatorSeries:
    """One indicator followed over the years (the Overview row and its chart)."""

    indicator: Indicator
    measure: str  # VALUE or SHARE_MEETING
    unit: str
    target: Target  # what the tracked number is measured against (final target)
    target_year: int
    baseline: tuple[int, float] | None
    values: dict[int, float]  # year -> tracked number (NaN when not computable)
    statuses: dict[int, str]  # year -> engine status against the target due that year
    trajectory: dict[int, float]  # year -> expected value on the linear path
    chart_years: list[int]
    progress: progress.Progress
    results: dict[int, IndicatorResult] = field(default_factory=dict, repr=False)
    # year -> the indicator's figure as `check` reports it (the engine headline value)
    figures: dict[int, float] = field(default_factory=dict)
    # year -> why there is no figure (e.g. "missing:辅警人数": the census lacks the field)
    no_data: dict[int, str] = field(default_factory=dict)
    # the plan's printed baseline when it is recorded as doubtful (left out of progress)
    doubtful_baseline: tuple[int, float] | None = None
    # census years outside the target's from/until: shown for information, never judged
    # (no tracked value, no progress); `in_force_years` says why, once
    not_in_force: tuple[int, ...] = ()

    @property
    def in_force_years(self) -> str:
        """The years the target applies, as the plan states them ("2018", "2024–")."""
        return self.indicator.years_text()

    @property
    def binding_off_track(self) -> bool:
        return self.indicator.binding and self.progress.off_track

    @property
    def expected_now(self) -> float | None:
        """The trajectory's value in the latest observed year."""
        if self.progress.year is None:
            return None
        return self.trajectory.get(self.progress.year)


@dataclass
class UnitSeries:
    """One street or district, one indicator, over the years."""

    indicator: Indicator
    level: str
    keys: dict[str, str]  # district (and street)
    values: dict[int, float]
    statuses: dict[int, str]
    progress: progress.Progress | None  # None where the target does not apply to the unit


@dataclass
class Assessment:
    plan: Plan
    inputs: list[YearInput]
    indicators: list[IndicatorSeries]
    units: dict[str, list[UnitSeries]]  # "district" / "street" -> series
    changes: list[CommunityChange]
    issues: list[DataIssue]  # year-over-year findings
    generated_at: datetime = field(default_factory=run_time)  # SOURCE_DATE_EPOCH wins

    @property
    def years(self) -> list[int]:
        return [i.year for i in self.inputs]

    @property
    def not_assessed(self) -> list[Indicator]:
        return self.plan.not_checkable

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in progress.STATUSES}
        for s in self.indicators:
            out[s.progress.status] += 1
        return out

    @property
    def binding_off_track(self) -> list[IndicatorSeries]:
        return [s for s in self.indicators if s.binding_off_track]


# --------------------------------------------------------------------------- assessment


def assess(plan: Plan, inputs: list[tuple[int, Census]]) -> Assessment:
    """Evaluate the plan on each year's census and follow every indicator over the years."""
    years = sorted(inputs, key=lambda pair: pair[0])
    yearly = [YearInput(y, c, evaluate(plan, c, year=y)) for y, c in years]
    series = [_indicator_series(plan, ind, yearly) for ind in plan.checkable]
    units = {level: _unit_series(plan, level, yearly) for level in ("district", "street")}
    changes: list[CommunityChange] = []
    issues: list[DataIssue] = []
    for before, after in itertools.pairwise(yearly):
        found, pairs = community_changes(before, after)
        changes += found
        issues += implausible_changes(plan, before, after, pairs)
    return Assessment(plan, yearly, series, units, changes, issues)


def tracks_value(ind: Indicator) -> bool:
    """City targets are followed by their value; targets on every community (street,
    district) or by community type are followed by the share of units meeting them."""
    return ind.level == "city" and ind.target is not None and not ind.targets_by_type


def target_year(plan: Plan, ind: Indicator) -> int:
    if ind.target is not None and ind.target.year is not None:
        return ind.target.year
    return plan.period[1]


def _indicator_series(plan: Plan, ind: Indicator, yearly: list[YearInput]) -> IndicatorSeries:
    results = {y.year: y.results.get(ind.id) for y in yearly}
    due_year = target_year(plan, ind)
    # The indicator's figure and the share of units meeting it come from the engine's
    # headline, the very numbers `check` shows: one number per indicator, census and year.
    figures = {y: r.headline.value for y, r in results.items()}
    no_data = {
        y: r.headline.reason or "not computable"
        for y, r in results.items()
        if not math.isfinite(r.headline.value)
    }
    if tracks_value(ind):
        measure, unit, target = VALUE, ind.unit, ind.target
        values = dict(figures)
        baseline = doubtful = None
        if ind.baseline is not None:
            b_year = ind.baseline.year or plan.baseline_year or plan.period[0] - 1
            baseline = (b_year, ind.baseline.value)
            if baseline_doubtful(ind):  # progress runs from the first census instead
                baseline, doubtful = None, baseline
        milestones = [(m.year, m.headline) for m in ind.milestones if m.year is not None]
    else:
        measure, unit, target = SHARE_MEETING, "%", ALL_MEET
        values = {y: r.headline.share_met for y, r in results.items()}
        baseline = doubtful = None
        milestones = [(m.year, 100.0) for m in ind.milestones if m.year is not None]
    statuses = {y: r.headline.status for y, r in results.items()}
    # A target not in force in a year (until: 2020 for a 2023 census) is not judged there:
    # its figures stay, for information, but progress is measured on in-force years only.
    not_in_force = tuple(y for y in results if not ind.in_force(y))
    judged = {y: v for y, v in values.items() if y not in not_in_force}
    clip = (0.0, 100.0) if unit == "%" else None
    prog = progress.assess(judged, target, due_year, baseline, clip=clip)
    obs = progress.observations(judged)
    start = baseline or (obs[0] if obs else None)
    if start is not None and progress.meets(target, start[1]):
        start = (start[0], target.headline)  # already there: the expectation is to stay
    points = progress.trajectory_points(start, milestones, (due_year, target.headline))
    first = min([p[0] for p in points] + [y.year for y in yearly])
    chart_years = list(range(first, max(due_year, yearly[-1].year) + 1))
    return IndicatorSeries(
        indicator=ind,
        measure=measure,
        unit=unit,
        target=target,
        target_year=due_year,
        baseline=baseline,
        values=values,
        statuses=statuses,
        trajectory=progress.trajectory(points, chart_years),
        chart_years=chart_years,
        progress=prog,
        results=results,
        figures=figures,
        no_data=no_data,
        doubtful_baseline=doubtful,
        not_in_force=not_in_force,
    )


def baseline_doubtful(ind: Indicator) -> bool:
    """The plan records its printed baseline as doubtful (e.g. 236 for 23.6 m² per 100
    households)."""
    return ind.baseline_doubtful


def _unit_series(plan: Plan, level: str, yearly: list[YearInput]) -> list[UnitSeries]:
    keys = ["district"] if level == "district" else ["district", "street"]
    out: list[UnitSeries] = []
    for ind in plan.checkable:
        rows: dict[tuple, tuple[dict, dict]] = {}
        for y in yearly:
            g = y.results.get(ind.id).groups[level]
            # whole columns as lists: iterating Arrow text row by row (itertuples) was most
            # of an assessment's time (3 years x 100k communities: 3 of 11 s)
            columns = [g[c].tolist() for c in (*keys, "value", "status")]
            for *names, value, status in zip(*columns, strict=True):
                key = tuple(str(v) for v in names)
                values, statuses = rows.setdefault(key, ({}, {}))
                values[y.year] = float(value)
                statuses[y.year] = str(status)
        applies = (
            ind.target is not None
            and not ind.targets_by_type
            and method_of(ind).compared_at(ind, level)
        )
        clip = (0.0, 100.0) if ind.unit == "%" else None
        for key, (values, statuses) in sorted(rows.items()):
            prog = None
            if applies:  # judged in the years the target is in force only (from/until)
                judged = {y: v for y, v in values.items() if ind.in_force(y)}
                prog = progress.assess(judged, ind.target, target_year(plan, ind), clip=clip)
            out.append(
                UnitSeries(ind, level, dict(zip(keys, key, strict=True)), values, statuses, prog)
            )
    return out

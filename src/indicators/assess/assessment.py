"""Annual assessment: one census per year, evaluated and followed from baseline to target.

`assess(plan, [(year, census), ...])` evaluates the plan on each census (`engine.evaluate`),
then builds, per indicator, the yearly series of its tracked value, the expected linear
trajectory and a progress status (`progress.assess`); per street and district, the same
series for every unit; and between consecutive years, the communities added, removed or
renamed and the implausible jumps in their figures (DataIssue warnings, code
"implausible-change"). Renderers (report/assessment_*.py) read the `Assessment`; they
compute nothing. Year detection for input files is `resolve_years`.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from indicators.assess import progress
from indicators.engine import Results, evaluate
from indicators.engine.methods import method_of
from indicators.engine.results import IndicatorResult
from indicators.files import run_time
from indicators.model.census import Census
from indicators.model.errors import UsageError
from indicators.model.issues import DataIssue, Severity
from indicators.plan.model import Indicator, Plan, Target

VALUE = "value"  # the tracked number is the indicator's city-wide value
SHARE_MEETING = "share_meeting"  # ... the % of units (communities, streets...) meeting it
ALL_MEET = Target(op=">=", value=100.0)

# Fields whose halving or doubling within a year is implausible (stocks, not flows), the
# factor that counts as a jump and the size below which a jump is ordinary noise.
STOCK_UNITS = ("户", "人", "平方米")
JUMP_FACTOR = 2.0
JUMP_MIN_SIZE = 50.0

YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


@dataclass
class YearInput:
    year: int
    census: Census
    results: Results | None = None


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


@dataclass(frozen=True)
class CommunityChange:
    kind: str  # added | removed | renamed
    year: int
    previous_year: int
    district: str
    street: str
    community: str  # the name in `year` (removed: the name it had)
    previous: str | None = None  # renamed: the earlier name
    matched_by: str | None = None  # renamed: "code" or "size"


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


# --------------------------------------------------------------------------- years


def year_from_name(path: Path, plan: Plan | None = None) -> int | None:
    """A 4-digit year (19xx/20xx) in the file name, ignoring the plan id and period.

    Raises UsageError when the name holds several different years.
    """
    name = path.stem
    if plan is not None:
        name = name.replace(plan.id, " ")
        a, b = plan.period
        name = re.sub(rf"{a}\s*[-–—~至到]\s*{b}", " ", name)
    found = sorted({int(m) for m in YEAR_RE.findall(name)})
    if len(found) > 1:
        raise UsageError(
            f"{path.name}: the file name holds several years ({', '.join(map(str, found))}); "
            "cannot tell which year this census is for",
            hint=f"give it with --year-of {path.name}=YEAR",
        )
    return found[0] if found else None


def parse_year_of(pairs: list[str] | None, paths: list[Path]) -> dict[Path, int]:
    """--year-of FILE=YEAR (repeatable); FILE may be the path as given or its name."""
    out: dict[Path, int] = {}
    for pair in pairs or []:
        name, sep, year = pair.rpartition("=")
        if not sep or not name.strip():
            raise UsageError(f'--year-of expects "FILE=YEAR", e.g. census.xlsx=2023; got {pair!r}')
        matches = [p for p in paths if str(p) == name.strip() or p.name == name.strip()]
        if not matches:
            raise UsageError(f"--year-of {pair}: {name.strip()} is not one of the census files")
        for p in matches:
            out[p] = _year(year, f"--year-of {pair}")
    return out


def parse_years(text: str | None, paths: list[Path]) -> dict[Path, int]:
    """--years 2021,2022,2023: one year per file, in the order the files are given."""
    if not text:
        return {}
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) != len(paths):
        raise UsageError(
            f"--years gives {len(parts)} years for {len(paths)} census files; give one per file, "
            "in the same order"
        )
    return {p: _year(y, f"--years {text}") for p, y in zip(paths, parts, strict=True)}


def _year(text: str, where: str) -> int:
    text = text.strip()
    if not re.fullmatch(r"(19|20)\d{2}", text):
        raise UsageError(f"{where}: {text!r} is not a year like 2023")
    return int(text)


def resolve_years(
    paths: list[Path],
    given: dict[Path, int],
    census_years: dict[Path, int | None] | None = None,
    plan: Plan | None = None,
) -> dict[Path, int]:
    """The year of each file: from the options, else the census's year column, else the name.

    Raises UsageError naming the file when no year can be told, and when two files are of
    the same year.
    """
    census_years = census_years or {}
    out: dict[Path, int] = {}
    for path in paths:
        year = given.get(path) or census_years.get(path) or year_from_name(path, plan)
        if year is None:
            raise UsageError(
                f"{path}: cannot tell which year this census is for (no --year-of, no year "
                "column, no year in the file name)",
                hint=f"give it with --year-of {path.name}=2023, or --years in file order",
            )
        out[path] = year
    seen: dict[int, Path] = {}
    for path, year in out.items():
        if year in seen:
            raise UsageError(
                f"{seen[year]} and {path} are both for {year}; give one census per year",
                hint="check the file names or --year-of",
            )
        seen[year] = path
    return out


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
            for rec in g[[*keys, "value", "status"]].itertuples(index=False):
                key = tuple(str(v) for v in rec[: len(keys)])
                values, statuses = rows.setdefault(key, ({}, {}))
                values[y.year] = float(rec.value)
                statuses[y.year] = str(rec.status)
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


# --------------------------------------------------------------------------- year over year


def _keys(frame: pd.DataFrame) -> list[tuple[str, str, str]]:
    cols = [frame[c].astype("string").fillna("").str.strip() for c in ("district", "street")]
    names = frame["community"].astype("string").fillna("").str.strip()
    return list(zip(cols[0], cols[1], names, strict=True))


def community_changes(
    before: YearInput, after: YearInput
) -> tuple[list[CommunityChange], list[tuple[int, int]]]:
    """Communities added, removed and renamed between two years, and the matched row pairs
    (row position before, row position after) for comparing figures."""
    fa, fb = before.census.frame, after.census.frame
    ka, kb = _keys(fa), _keys(fb)
    pos_a = {k: i for i, k in enumerate(ka)}
    pos_b = {k: i for i, k in enumerate(kb)}
    pairs = [(pos_a[k], pos_b[k]) for k in kb if k in pos_a]
    removed = [k for k in ka if k not in pos_b]
    added = [k for k in kb if k not in pos_a]
    renamed: list[tuple[tuple, tuple, str]] = []
    # Same statistical code under a new name.
    if "code" in fa.columns and "code" in fb.columns:
        code_a = {str(c): i for i, c in enumerate(fa["code"]) if pd.notna(c) and str(c).strip()}
        for k in list(added):
            c = fb["code"].iloc[pos_b[k]]
            i = code_a.get(str(c)) if pd.notna(c) else None
            if i is not None and ka[i] in removed:
                renamed.append((ka[i], k, "code"))
                removed.remove(ka[i])
                added.remove(k)
    # Same street, one gone and one new of about the same size (households within 10%).
    if "households" in fa.columns and "households" in fb.columns:
        for k in list(added):
            size = fb["households"].iloc[pos_b[k]]
            near = [
                r
                for r in removed
                if r[:2] == k[:2] and _close(fa["households"].iloc[pos_a[r]], size, 0.10)
            ]
            if len(near) == 1:
                renamed.append((near[0], k, "size"))
                removed.remove(near[0])
                added.remove(k)
    y0, y1 = before.year, after.year
    changes = [CommunityChange("added", y1, y0, *k) for k in added]
    changes += [CommunityChange("removed", y1, y0, *k) for k in removed]
    for old, new, how in renamed:
        changes.append(CommunityChange("renamed", y1, y0, *new, previous=old[2], matched_by=how))
        pairs.append((pos_a[old], pos_b[new]))
    order = {"renamed": 0, "added": 1, "removed": 2}
    changes.sort(key=lambda c: (c.year, order[c.kind], c.district, c.street, c.community))
    return changes, pairs


def _close(a: float, b: float, tolerance: float) -> bool:
    if not (np.isfinite(a) and np.isfinite(b)) or max(a, b) <= 0:
        return False
    return abs(a - b) <= tolerance * max(a, b)


def implausible_changes(
    plan: Plan, before: YearInput, after: YearInput, pairs: list[tuple[int, int]]
) -> list[DataIssue]:
    """Warnings for stock figures (households, people, floor areas) that halved or doubled."""
    fa, fb = before.census.frame, after.census.frame
    vocab = plan.vocabulary
    checked = [
        c
        for c in fb.columns
        if c in fa.columns
        and (f := vocab.get(c)) is not None
        and f.type in ("integer", "number")
        and (f.unit or "") in STOCK_UNITS
    ]
    if not pairs or not checked:
        return []
    ia = np.array([a for a, _ in pairs])
    ib = np.array([b for _, b in pairs])
    headers = {m.field: m.header for m in after.census.columns if m.field}
    issues = []
    names = fb["community"].astype("string").fillna("")
    for col in checked:
        old = fa[col].to_numpy(dtype=float)[ia]
        new = fb[col].to_numpy(dtype=float)[ib]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = new / old
        big = np.fmax(old, new) >= JUMP_MIN_SIZE
        jump = big & (old > 0) & ((ratio >= JUMP_FACTOR) | (ratio <= 1 / JUMP_FACTOR))
        for k in np.flatnonzero(jump):
            row = int(ib[k])
            sheet, cell = after.census.locate(row, col)
            f = vocab[col]
            issues.append(
                DataIssue(
                    code="implausible-change",
                    severity=Severity.WARNING,
                    file=after.census.source.path.name,
                    sheet=sheet,
                    cell=cell,
                    header=headers.get(col) or f.name_zh,
                    value=_num(new[k]),
                    expected=_num(old[k]),
                    params={
                        "community": str(names.iloc[row]),
                        "field": f.name_zh,
                        "field_en": f.name_en,
                        "year": after.year,
                        "previous_year": before.year,
                        "factor": f"{ratio[k]:.2f}",
                        "previous_file": before.census.source.path.name,
                    },
                )
            )
    return issues


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"

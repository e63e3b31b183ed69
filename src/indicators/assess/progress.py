"""Progress toward a target: the expected trajectory and a status, from a few yearly numbers.

Pure functions over numbers (no pandas). The status follows the progress measure of
Statistics Canada's Sustainable Development Goals data hub and Open SDG:

  observed rate  = (x_t / x_0) ^ (1 / (t - t0)) - 1    compound annual growth rate (CAGR) so far
  required rate  = (goal / x_0) ^ (1 / (T - t0)) - 1   CAGR that reaches the goal in the target year
  ratio          = observed / required

  target achieved       the latest value meets the target
  on track              ratio >= 0.95
  acceleration needed   0.60 <= ratio < 0.95
  limited progress      0 <= ratio < 0.60
  deterioration         ratio < 0 (moving away from the target)
  not enough data       no value, or a single point and no baseline to compare it with

x_0 is the plan's baseline (year t0), or the first observed year when the plan gives none.
The goal is the bound of the target the series has to reach: the value of an at-least target,
the value of an at-most target (the direction is reversed: both rates are negative when the
series falls as it should, so the ratio stays positive), the nearer end of a range or band.

Edge cases, each named by `basis` so reports can say which rule applied:
  cagr               the measure above
  linear_gap         base, latest value or goal is zero or negative, where growth rates are
                     undefined: the same ratio of annual changes, (x_t - x_0)/(t - t0) over
                     (goal - x_0)/(T - t0)
  met_at_baseline    the target was already met at the base year: achieved while it still is,
                     deterioration once it is not (a growth rate toward it means nothing)
  single_point       one value and no baseline: not enough data (unless it meets the target)
  no_data            no value at all
The projection is the value in the target year if the observed pace continues (compound for
cagr, straight line for linear_gap), clipped to `clip` (0-100 for percentages).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from indicators.plan.model import Target

ACHIEVED = "achieved"
ON_TRACK = "on_track"
ACCELERATION_NEEDED = "acceleration_needed"
LIMITED_PROGRESS = "limited_progress"
DETERIORATION = "deterioration"
NOT_ENOUGH_DATA = "not_enough_data"
STATUSES = (
    ACHIEVED,
    ON_TRACK,
    ACCELERATION_NEEDED,
    LIMITED_PROGRESS,
    DETERIORATION,
    NOT_ENOUGH_DATA,
)
# Statuses a planner must act on.
OFF_TRACK = (ACCELERATION_NEEDED, LIMITED_PROGRESS, DETERIORATION)

CAGR = "cagr"
LINEAR_GAP = "linear_gap"
MET_AT_BASELINE = "met_at_baseline"
SINGLE_POINT = "single_point"
NO_DATA = "no_data"
BASES = (CAGR, LINEAR_GAP, MET_AT_BASELINE, SINGLE_POINT, NO_DATA)

ON_TRACK_RATIO = 0.95
ACCELERATION_RATIO = 0.60


@dataclass(frozen=True)
class Progress:
    status: str
    basis: str
    base_year: int | None = None
    base_value: float | None = None
    year: int | None = None  # latest observed year
    value: float | None = None  # latest observed value
    goal: float | None = None  # the bound to reach
    target_year: int | None = None
    observed_rate: float | None = None  # CAGR (cagr) or change per year (linear_gap)
    required_rate: float | None = None
    ratio: float | None = None
    projected: float | None = None  # value in the target year at the observed pace
    direction: int = 0  # +1 the series must rise, -1 fall, 0 already inside the target

    @property
    def off_track(self) -> bool:
        return self.status in OFF_TRACK


def _finite(x: float | None) -> bool:
    return x is not None and isinstance(x, (int, float)) and math.isfinite(x)


def meets(target: Target, value: float) -> bool:
    """Whether one value meets the target (a relative 1e-9 tolerance at the bounds)."""
    low, high, low_strict, high_strict = target.bounds
    eps_low = 1e-9 * max(1.0, abs(low)) if math.isfinite(low) else 0.0
    eps_high = 1e-9 * max(1.0, abs(high)) if math.isfinite(high) else 0.0
    ok_low = value > low if low_strict else value >= low - eps_low
    ok_high = value < high if high_strict else value <= high + eps_high
    return ok_low and ok_high


def goal_for(target: Target, start: float) -> tuple[float, int]:
    """(goal, direction): the bound a series starting at `start` has to reach.

    At-least targets rise to their value, at-most targets fall to theirs; for ranges, bands
    and exact values the direction depends on which side the start is (0 when inside).
    """
    low, high, _, _ = target.bounds
    wants = target.wants_increase
    if wants is True:
        return low, 1
    if wants is False:
        return high, -1
    if start < low:
        return low, 1
    if start > high:
        return high, -1
    return (target.headline if target.headline is not None else start), 0


def observations(values: Mapping[int, float | None]) -> list[tuple[int, float]]:
    """Year-sorted (year, value) pairs, missing and NaN values left out."""
    return sorted((int(y), float(v)) for y, v in values.items() if _finite(v))


def assess(
    values: Mapping[int, float | None],
    target: Target,
    target_year: int,
    baseline: tuple[int, float] | None = None,
    clip: tuple[float, float] | None = None,
) -> Progress:
    """The status of a series against a target due in `target_year` (see the module doc)."""
    obs = observations(values)
    if not obs:
        return Progress(NOT_ENOUGH_DATA, NO_DATA, target_year=target_year)
    t, xt = obs[-1]
    if baseline is not None and _finite(baseline[1]) and baseline[0] < t:
        t0, x0 = int(baseline[0]), float(baseline[1])
    else:
        t0, x0 = obs[0]
    goal, direction = goal_for(target, x0)
    common = dict(
        base_year=t0,
        base_value=x0,
        year=t,
        value=xt,
        goal=goal,
        target_year=target_year,
        direction=direction,
    )
    met_now = meets(target, xt)
    if t == t0:
        status = ACHIEVED if met_now else NOT_ENOUGH_DATA
        return Progress(status, SINGLE_POINT, projected=xt if met_now else None, **common)
    if meets(target, x0):
        # Nothing to grow toward: it stays achieved or it has slipped.
        status = ACHIEVED if met_now else DETERIORATION
        return Progress(status, MET_AT_BASELINE, projected=xt, **common)
    elapsed = t - t0
    horizon = max(target_year - t0, 1)
    if x0 > 0 and xt > 0 and goal > 0:
        basis = CAGR
        observed = (xt / x0) ** (1 / elapsed) - 1
        required = (goal / x0) ** (1 / horizon) - 1
        projected = xt * (1 + observed) ** max(target_year - t, 0)
    else:
        basis = LINEAR_GAP
        observed = (xt - x0) / elapsed
        required = (goal - x0) / horizon
        projected = xt + observed * max(target_year - t, 0)
    ratio = observed / required if required else math.nan
    if clip is not None:
        projected = min(max(projected, clip[0]), clip[1])
    status = ACHIEVED if met_now else classify(ratio)
    return Progress(
        status,
        basis,
        observed_rate=observed,
        required_rate=required,
        ratio=ratio,
        projected=projected,
        **common,
    )


def classify(ratio: float) -> str:
    """Status from the ratio of observed to required progress."""
    if not _finite(ratio):
        return NOT_ENOUGH_DATA
    if ratio >= ON_TRACK_RATIO:
        return ON_TRACK
    if ratio >= ACCELERATION_RATIO:
        return ACCELERATION_NEEDED
    if ratio >= 0:
        return LIMITED_PROGRESS
    return DETERIORATION


def trajectory(points: Iterable[tuple[int, float]], years: Iterable[int]) -> dict[int, float]:
    """Linear interpolation between (year, value) points, for each of `years`.

    Years before the first point get no value; years after the last keep the last value
    (a target, once due, stays the expectation).
    """
    pts = sorted({int(y): float(v) for y, v in points if _finite(v)}.items())
    out: dict[int, float] = {}
    if not pts:
        return out
    for year in years:
        if year < pts[0][0]:
            continue
        if year >= pts[-1][0]:
            out[year] = pts[-1][1]
            continue
        for (y0, v0), (y1, v1) in itertools.pairwise(pts):
            if y0 <= year <= y1:
                out[year] = v0 + (v1 - v0) * (year - y0) / (y1 - y0)
                break
    return out


def trajectory_points(
    start: tuple[int, float] | None,
    milestones: Iterable[tuple[int, float]],
    target: tuple[int, float],
) -> list[tuple[int, float]]:
    """Baseline (or first observation), milestones after it, and the final target."""
    pts: list[tuple[int, float]] = []
    if start is not None and _finite(start[1]):
        pts.append((int(start[0]), float(start[1])))
    first = pts[0][0] if pts else -math.inf
    for year, value in milestones:
        if year > first and year < target[0] and _finite(value):
            pts.append((int(year), float(value)))
    if target[0] > first and _finite(target[1]):
        pts.append((int(target[0]), float(target[1])))
    return sorted(pts)

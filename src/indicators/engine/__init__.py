"""The engine: compute every indicator of a plan over a census, at every level."""

from __future__ import annotations

import numpy as np

from indicators.census import Census
from indicators.engine.aggregate import aggregate_all
from indicators.engine.community import Env, evaluate_communities
from indicators.engine.results import (
    MET,
    NO_TARGET,
    NOT_COMPUTABLE,
    NOT_MET,
    Headline,
    IndicatorResult,
    Results,
)
from indicators.plan.model import Indicator, Plan

__all__ = ["Results", "evaluate"]


def evaluate(plan: Plan, census: Census, *, year: int | None = None) -> Results:
    """Evaluate every checkable indicator. `year` picks the milestone due by then."""
    frame = census.frame
    env = Env(frame)
    out = []
    for ind in plan.checkable:
        target = ind.target_for(year)
        communities, lever = evaluate_communities(ind, frame, env, plan.vocabulary, target)
        groups = aggregate_all(ind, frame, env, communities, target, lever, plan.vocabulary)
        lever_field = plan.vocabulary.get(lever) if lever else None
        out.append(
            IndicatorResult(
                indicator=ind,
                target=target,
                communities=communities,
                groups=groups,
                headline=_headline(ind, communities, groups),
                lever=lever,
                lever_unit=lever_field.unit if lever_field else None,
                method=ind.aggregate,
            )
        )
    return Results(plan, census, out, plan.not_checkable, year=year)


def _headline(ind: Indicator, communities, groups) -> Headline:
    city = groups["city"].iloc[0]
    scope = communities["in_scope"].to_numpy()
    status = communities["status"].to_numpy()
    in_scope = int(scope.sum())
    failing = int((scope & (status == NOT_MET)).sum())
    not_computable = int((scope & (status == NOT_COMPUTABLE)).sum())
    units = status[scope] if ind.level == "community" else groups[ind.level]["status"].to_numpy()
    judged = units[(units == MET) | (units == NOT_MET)]
    units_failing = int((judged == NOT_MET).sum())
    reason = str(city["reason"])
    if ind.level == "city":
        headline_status = str(city["status"])
    elif len(judged) == 0:
        headline_status = NO_TARGET if (units == NO_TARGET).any() else NOT_COMPUTABLE
    elif units_failing:
        headline_status = NOT_MET
    elif (units == NOT_COMPUTABLE).any():
        # Every unit that could be judged meets the target, but some could not be judged:
        # "met" would claim more than the data shows.
        headline_status = NOT_COMPUTABLE
        reason = f"incomplete:{int((units == NOT_COMPUTABLE).sum())}"
    else:
        headline_status = MET
    # A gap is one number only where the target is one city-wide figure; elsewhere the
    # summary counts the units that fall short instead.
    gap = float(city["gap"]) if ind.level == "city" else np.nan
    return Headline(
        value=float(city["value"]),
        status=headline_status,
        gap=gap,
        units_level=ind.level,
        units_total=len(judged),
        units_failing=units_failing,
        communities_in_scope=in_scope,
        communities_failing=failing,
        communities_not_computable=not_computable,
        reason=reason,
    )

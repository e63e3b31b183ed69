"""The engine: compute every indicator of a plan over a census, at every level."""

from __future__ import annotations

import numpy as np

from indicators.engine.aggregate import aggregate_all
from indicators.engine.community import (
    S_MET,
    S_NO_TARGET,
    S_NOT_COMPUTABLE,
    S_NOT_MET,
    evaluate_communities,
)
from indicators.engine.env import Env
from indicators.engine.judgement import judge_communities
from indicators.engine.methods import method_of
from indicators.engine.results import (
    MET,
    NO_TARGET,
    NOT_COMPUTABLE,
    NOT_MET,
    Headline,
    IndicatorResult,
    Results,
)
from indicators.engine.streets import evaluate_level_fact, fact_level
from indicators.model.census import Census
from indicators.plan.model import Indicator, Plan

__all__ = ["Results", "evaluate"]


def evaluate(plan: Plan, census: Census, *, year: int | None = None) -> Results:
    """Evaluate every checkable indicator. `year` picks the milestone (or stage) due by then;
    a target not in force that year (from/until) is shown for information, with no target."""
    frame = census.frame
    env = Env(census)
    out = []
    for planned in plan.checkable:
        ind = planned.for_year(year)
        target = ind.target_for(year)
        unit = fact_level(ind, plan.vocabulary)
        if unit:  # read from the street/district sheet
            communities, groups, group_status, status = evaluate_level_fact(
                ind, unit, census, env, target
            )
            lever = ind.lever
        else:
            communities, lever, status = evaluate_communities(
                ind, frame, env, plan.vocabulary, target
            )
            groups, group_status = aggregate_all(
                ind, frame, env, communities, status, target, lever, plan.vocabulary
            )
            status = judge_communities(ind, target, env, communities, status, group_status)
        lever_field = plan.vocabulary.get(lever) if lever else None
        out.append(
            IndicatorResult(
                indicator=ind,
                target=target,
                communities=communities,
                groups=groups,
                headline=_headline(ind, communities, status, groups, group_status),
                lever=lever,
                lever_unit=lever_field.unit if lever_field else None,
                lever_type=lever_field.type if lever_field else None,
                method=method_of(ind),
                fact_level=unit,
            )
        )
    return Results(plan, census, out, plan.not_checkable, year=year)


def _headline(ind: Indicator, communities, status, groups, group_status) -> Headline:
    """The Summary row; `status` and `group_status` are the status codes of the community
    and group rows (community.STATUS_WORDS)."""
    city = groups["city"].iloc[0]
    scope = communities["in_scope"].to_numpy(dtype=bool)
    in_scope = int(scope.sum())
    failing = int((scope & (status == S_NOT_MET)).sum())
    not_computable = int((scope & (status == S_NOT_COMPUTABLE)).sum())
    units = status[scope] if ind.level == "community" else group_status[ind.level]
    judged = units[(units == S_MET) | (units == S_NOT_MET)]
    units_failing = int((judged == S_NOT_MET).sum())
    reason = str(city["reason"])
    if ind.level == "city":
        headline_status = str(city["status"])
    elif len(judged) == 0:
        headline_status = NO_TARGET if (units == S_NO_TARGET).any() else NOT_COMPUTABLE
    elif units_failing:
        headline_status = NOT_MET
    elif (units == S_NOT_COMPUTABLE).any():
        # Every unit that could be judged meets the target, but some could not be judged:
        # "met" would claim more than the data shows.
        headline_status = NOT_COMPUTABLE
        reason = f"incomplete:{int((units == S_NOT_COMPUTABLE).sum())}"
    else:
        headline_status = MET
    # A gap is one number only where the target is one city-wide figure; elsewhere the
    # summary counts the units that fall short instead.
    gap = float(city["gap"]) if ind.level == "city" else np.nan
    share_units = status[scope] if ind.level in ("community", "city") else units
    share_judged = int(((share_units == S_MET) | (share_units == S_NOT_MET)).sum())
    share = 100.0 * int((share_units == S_MET).sum()) / share_judged if share_judged else np.nan
    return Headline(
        value=float(city["value"]),
        status=headline_status,
        gap=gap,
        units_level=ind.level,
        units_total=len(judged),
        units_failing=units_failing,
        units_met=int((judged == S_MET).sum()),
        communities_in_scope=in_scope,
        communities_failing=failing,
        communities_not_computable=not_computable,
        reason=reason,
        share_met=share,
    )

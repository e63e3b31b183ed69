"""What each community is judged on: itself, or only shown for reference under a street,
district or count target (so no community is told to act on a group's target)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.engine.community import (
    S_MET,
    S_NO_TARGET,
    S_NOT_MET,
    STATUS_WORDS,
    categorical,
)
from indicators.engine.env import Env
from indicators.engine.grouping import grouping
from indicators.engine.methods import method_of
from indicators.plan.model import Indicator, Target


def judge_communities(
    ind: Indicator,
    target: Target | None,
    env: Env,
    communities: pd.DataFrame,
    status: np.ndarray,
    group_codes: dict[str, np.ndarray],
) -> np.ndarray:
    """The status each community shows, as the plan judges it (codes, STATUS_WORDS).

    `status` says whether a community meets the condition (or the target) on its own; the
    group figures are made from that. What a community is *judged* on depends on the
    target's level and kind:
    - a community-level target, or a city-level ratio/share/mean: the community on its own;
    - a count capped from above ("zero villages without broadband", "at most 3 ..."): the
      communities that add to the count are the problem, flagged where their unit (the
      level the target is set for) misses it, shown for reference where it meets it; the
      others meet the target;
    - any other count ("each street at least one station", "at least N communities") and
      every street- or district-level target: the streets or districts are judged, their
      communities are shown for reference only (never told to act on a group's target).
    Reference rows lose their gap and shortfall: they are not instructions.
    """
    if ind.level == "community" or target is None or ind.targets_by_type:
        return status
    holds = status == S_MET
    judged = (status == S_MET) | (status == S_NOT_MET)
    low, high, _, _ = target.bounds
    by_unit = method_of(ind).judged_by_unit
    capped = by_unit and np.isfinite(high) and not low > 0
    if capped:
        codes, _ = grouping(env, ind.level)
        unit_fails = group_codes[ind.level][codes] == S_NOT_MET
        out = np.where(judged, S_MET, status).astype(np.int8)
        out[holds & unit_fails] = S_NOT_MET
        out[holds & ~unit_fails] = S_NO_TARGET
    elif by_unit or ind.level in ("street", "district"):
        out = np.where(judged, S_NO_TARGET, status).astype(np.int8)
    else:
        return status
    reference = out == S_NO_TARGET
    communities["status"] = categorical(STATUS_WORDS, out, communities.index)
    for col in ("gap", "shortfall"):
        communities[col] = np.where(reference, np.nan, communities[col].to_numpy(dtype=float))
    return out

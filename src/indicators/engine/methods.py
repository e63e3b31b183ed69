"""Aggregate methods: how a street's, district's or the city's own figure is made of its
communities, one small class per method the plan format allows (`plan.model.AGGREGATES`).

A method is looked up once per indicator (`method_of`) and asked, never compared by name: an
unknown name is an error here (the plan loader has already refused it), never a silent
`else`. A method is also its plan name (a `str`), so reports, JSON and CSV keep writing
"ratio", "share"...; what renderers branch on is an attribute:

- `label_key`, `explain_key`: its name and explanation in the message catalogue;
- `extensive`: the figure adds up across units (count, sum), so a target set for one level
  says nothing about the level above: compared only at the plan's own level;
- `counts_communities`: the group figure and its shortfall count communities (whole numbers);
- `share_of_units`: the figure is the % of units (communities, streets) meeting the target;
- `has_share_compliant`: the group rows carry a meaningful "% of communities compliant";
- `shortfall_in`: what a group's shortfall is counted in: "communities", "lever" (units of
  the lever field) or "indicator" (the indicator's own unit);
- `needs_condition`: the formula must say yes or no per community;
- `adds_values`: the figure is the total of community values, so one community's value says
  nothing against a group's target;
- `judged_by_unit`: communities add to their unit's count and are judged through it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from indicators.engine.env import Env
from indicators.engine.grouping import Levels, field_is_whole
from indicators.engine.shortfall import shortfall, whole_steps
from indicators.engine.texts import fractions, inputs_text
from indicators.model.fields import Vocabulary
from indicators.plan.model import AGGREGATES, Indicator, Target

NO_COMMUNITIES = "no-communities"  # a group with no community that can be counted


@dataclass
class GroupFigure:
    """A level's own figures by the method: `value` per group (NaN: not computable),
    `reason` codes into `words` (0 is "") and the `inputs` text column (None: none)."""

    value: np.ndarray
    reason: np.ndarray
    words: list[str]
    inputs: object = None


class Method(str):
    """One aggregate method; the instance is its plan name."""

    name: ClassVar[str]
    extensive: ClassVar[bool] = False
    counts_communities: ClassVar[bool] = False
    share_of_units: ClassVar[bool] = False
    has_share_compliant: ClassVar[bool] = True
    shortfall_in: ClassVar[str] = "indicator"
    needs_condition: ClassVar[bool] = False
    adds_values: ClassVar[bool] = False
    judged_by_unit: ClassVar[bool] = False

    def __new__(cls) -> Method:
        return super().__new__(cls, cls.name)

    def __reduce__(self):
        # copies and pickles (a process pool) are the one instance of the method
        return method_named, (self.name,)

    @property
    def label_key(self) -> str:
        return f"method.{self.name}"

    @property
    def explain_key(self) -> str:
        return f"method.explain.{self.name}"

    def label_key_at(self, level: str, fact: str | None, has_target: bool) -> str:
        """What a `level` row's own figure is, as a message key: the method for an indicator
        of community values; for a street's or district's own fact (`fact`, read from its
        sheet) the unit's own figure at its level, nothing below it, and above it the units'
        figures combined as `combine_streets` does (`method.fact.*` take `level`, `units`)."""
        if fact is None:
            return self.label_key
        if level == fact:
            return "method.fact.own"
        if level == "street":  # below a district's own fact: no figure
            return "method.fact.finer"
        return f"method.fact.{self.combines(has_target)}"

    def combines(self, has_target: bool) -> str:
        """How `combine_streets` makes a district's or the city's figure of its units'."""
        return "share" if has_target else "mean"

    def compared_at(self, ind: Indicator, level: str) -> bool:
        """Whether a group figure at `level` is compared with the target (intensive figures
        at every level; extensive ones only at the level the plan set them for)."""
        return ind.level == level or not self.extensive

    def usable(self, ind: Indicator, env: Env, scope: np.ndarray, unknown: np.ndarray):
        """The communities whose inputs the group figure adds up (in scope by default)."""
        return np.array(scope, dtype=bool)

    def level_sums(
        self, ind: Indicator, env: Env, lv: Levels, value: np.ndarray, usable: np.ndarray
    ) -> dict[str, dict[str, np.ndarray]]:
        """Sums the method needs beyond the counts every method has: name -> level -> array."""
        return {}

    def group_figure(self, ind: Indicator, sums: dict, share_compliant: np.ndarray, size: int):
        """The level's own figures from its sums (`Levels` counts and `level_sums`)."""
        raise NotImplementedError

    def group_shortfall(
        self,
        ind: Indicator,
        target: Target,
        value: np.ndarray,
        sums: dict,
        lever: str | None,
        vocab: Vocabulary,
    ) -> np.ndarray:
        """The group's shortfall in natural units (see `shortfall_in`); 0 where met."""
        raise NotImplementedError

    def combine_streets(self, known: np.ndarray, target: Target | None) -> float:
        """A district's or the city's figure from its streets' own values (street facts),
        none of them NaN and at least one."""
        if target is None:
            return float(known.mean())
        return float(target.met(known).mean() * 100.0)  # share of streets meeting the target


def _no_communities(has: np.ndarray, value: np.ndarray) -> tuple[np.ndarray, list[str]]:
    reason = np.where(has, np.zeros(len(value), dtype=np.int32), 1)
    return reason, ["", NO_COMMUNITIES]


def _lever_is_integer(lever: str | None, vocab: Vocabulary) -> bool:
    return lever is not None and vocab.get(lever) is not None and vocab[lever].type == "integer"


def _counts_whole_lever(ind: Indicator, lever: str | None, vocab: Vocabulary) -> bool:
    """A mean or sum of one whole-numbered field (people, organisations) moves in whole
    units."""
    return (
        ind.formula is not None
        and lever is not None
        and ind.formula.text.strip() == lever
        and _lever_is_integer(lever, vocab)
    )


def _total_shortfall(ind, target, value, lever, vocab) -> np.ndarray:
    """A total's shortfall in the formula's own units (whole units for a whole lever)."""
    met = target.met(value)
    if _counts_whole_lever(ind, lever, vocab):
        return np.where(met, 0.0, whole_steps(value, target, 1.0))
    return np.where(met, 0.0, -target.gap(value))


class Ratio(Method):
    """The formula applied to the group's summed inputs (a ratio of sums)."""

    name = "ratio"
    shortfall_in = "lever"

    def usable(self, ind, env, scope, unknown):
        usable = np.array(scope, dtype=bool)
        # A ratio of sums needs every input of a community; one with a zero denominator
        # still counts (its numbers are real, only its own ratio is undefined).
        for f in ind.formula.fields:
            usable = usable & ~np.isnan(env[f])
        # A community that cannot be placed in or out of scope (no community type, or a
        # `where` it cannot answer) is not summed either: it may belong to the other type.
        return usable & ~unknown

    def level_sums(self, ind, env, lv, value, usable):
        out = {}
        for f in ind.formula.fields:
            whole = field_is_whole(env, f)
            out[f"_f_{f}"] = lv.sums(np.where(usable, env[f], 0.0), whole=whole or None)
        return out

    def group_figure(self, ind, sums, share_compliant, size):
        group_env = {f: sums[f"_f_{f}"] for f in ind.formula.fields}
        ev = ind.formula.evaluate(group_env)
        any_usable = sums["_usable"] > 0
        value = np.where(any_usable, ev.values, np.nan)
        reason, words = _no_communities(any_usable, value)
        for denominator, mask in ev.zero_division:
            words.append(f"zero:{denominator}")
            reason = np.where((reason == 0) & mask, len(words) - 1, reason)
        return GroupFigure(value, reason, words, inputs_text(ind.formula.fields, group_env, size))

    def group_shortfall(self, ind, target, value, sums, lever, vocab):
        if lever:
            env = {f: sums[f"_f_{f}"] for f in ind.formula.fields}
            return shortfall(ind.formula, target, env, lever, _lever_is_integer(lever, vocab))
        return _total_shortfall(ind, target, value, lever, vocab)


class Share(Method):
    """% of the group's computable in-scope communities meeting the condition."""

    name = "share"
    counts_communities = True
    share_of_units = True
    shortfall_in = "communities"
    needs_condition = True

    def group_figure(self, ind, sums, share_compliant, size):
        counts = sums["n_computable"]
        value = np.where(counts > 0, share_compliant, np.nan)
        reason, words = _no_communities(counts > 0, value)
        return GroupFigure(value, reason, words, fractions(sums["n_met"], counts))

    def group_shortfall(self, ind, target, value, sums, lever, vocab):
        # communities that must newly meet the condition (negative: stop meeting it), with
        # the target's bounds turned from % of the group's computable communities into counts
        n = np.asarray(sums["n_computable"], dtype="float64")
        need = whole_steps(np.asarray(sums["n_met"], dtype="float64"), target, n / 100.0)
        return np.where(target.met(value), 0.0, need)


class Count(Method):
    """Number of the group's communities meeting the condition."""

    name = "count"
    extensive = True
    counts_communities = True
    shortfall_in = "communities"
    needs_condition = True
    judged_by_unit = True

    def group_figure(self, ind, sums, share_compliant, size):
        counts = sums["n_computable"]
        value = np.where(counts > 0, sums["n_met"].astype(float), np.nan)
        reason, words = _no_communities(counts > 0, value)
        return GroupFigure(value, reason, words)

    def group_shortfall(self, ind, target, value, sums, lever, vocab):
        return np.where(target.met(value), 0.0, whole_steps(value, target, 1.0))

    def combine_streets(self, known, target):
        if target is None:
            return float(known.mean())
        return float(target.met(known).sum())  # streets meeting the target

    def combines(self, has_target):
        return "count" if has_target else "mean"


class Sum(Method):
    """Total of the community values."""

    name = "sum"
    extensive = True
    has_share_compliant = False
    adds_values = True

    def level_sums(self, ind, env, lv, value, usable):
        return {"_value": lv.sums(value)}

    def group_figure(self, ind, sums, share_compliant, size):
        value = np.where(sums["_n_value"] > 0, sums["_value"], np.nan)
        reason, words = _no_communities(~np.isnan(value), value)
        return GroupFigure(value, reason, words)

    def group_shortfall(self, ind, target, value, sums, lever, vocab):
        return _total_shortfall(ind, target, value, lever, vocab)

    def combine_streets(self, known, target):
        return float(known.sum())

    def combines(self, has_target):
        return "sum"


class Mean(Method):
    """Unweighted mean of the community values (each community counts once)."""

    name = "mean"

    def level_sums(self, ind, env, lv, value, usable):
        return {"_mean": lv.means(value)}

    def group_figure(self, ind, sums, share_compliant, size):
        value = sums["_mean"]
        reason, words = _no_communities(~np.isnan(value), value)
        return GroupFigure(value, reason, words)

    def group_shortfall(self, ind, target, value, sums, lever, vocab):
        # the group's total must move by gap x n; whole people, rooms... when the lever is
        met = target.met(value)
        counts = sums["n_computable"]
        n = np.asarray(counts, dtype="float64")
        if _counts_whole_lever(ind, lever, vocab):
            return np.where(met, 0.0, whole_steps(np.round(value * n, 9), target, n))
        return np.where(met, 0.0, -target.gap(value) * counts)

    def combine_streets(self, known, target):
        return float(known.mean())

    def combines(self, has_target):
        return "mean"


METHODS: dict[str, Method] = {m.name: m for m in (Ratio(), Share(), Count(), Sum(), Mean())}


def method_of(ind: Indicator) -> Method:
    """The indicator's aggregate method."""
    return method_named(ind.aggregate)


def method_named(name: str) -> Method:
    """The method of a plan name; an unknown name is a defect (the plan loader refuses it)."""
    try:
        return METHODS[name]
    except KeyError:
        raise ValueError(
            f"unknown aggregate method {name!r}; expected one of {AGGREGATES}"
        ) from None

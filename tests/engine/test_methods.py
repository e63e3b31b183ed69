"""Aggregate methods as objects: every method the plan format allows has a class, words in
the message catalogue and a README row; the loader refuses what a method cannot compute; the
attributes reports branch on say what the engine does."""

from __future__ import annotations

import copy
import math
import pickle
import re
from pathlib import Path

import pytest

from helpers import census, plan_from_indicators
from indicators.engine import evaluate
from indicators.engine.methods import METHODS, Method, method_named, method_of
from indicators.engine.results import NO_TARGET
from indicators.model.errors import PlanError
from indicators.model.i18n import catalogue
from indicators.plan.model import AGGREGATES

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_plan_method_has_a_class_and_nothing_else() -> None:
    assert tuple(METHODS) == AGGREGATES
    for name, method in METHODS.items():
        assert isinstance(method, Method)
        assert method == name and method.name == name  # still reads as its plan name


def test_a_method_survives_copies_and_pickles_as_itself() -> None:
    for method in METHODS.values():
        assert copy.deepcopy(method) is method
        assert pickle.loads(pickle.dumps(method)) is method


def test_an_unknown_method_is_an_error_not_a_fallback() -> None:
    with pytest.raises(ValueError, match="median"):
        method_named("median")


@pytest.mark.parametrize("name", AGGREGATES)
def test_every_method_has_words_in_both_languages(name: str) -> None:
    method = METHODS[name]
    for key in (method.label_key, method.explain_key):
        texts = catalogue().get(key)
        assert texts is not None, key
        assert texts.get("zh") and texts.get("en"), key


@pytest.mark.parametrize("name", AGGREGATES)
def test_every_method_has_a_row_in_the_readme_table(name: str) -> None:
    rows = [
        line for line in README.read_text(encoding="utf-8").splitlines() if line.startswith("|")
    ]
    assert any(re.search(rf"\(`{name}`\)", row) for row in rows), name


CONDITION = "households >= 500"
NUMBER = "households"


def _indicator(formula_or_checklist: str, aggregate: str, level: str = "city", target=None):
    target = target or '{op: ">=", value: 1}'
    return f"""
- id: x
  name: {{zh: 指标}}
  level: {level}
  {formula_or_checklist}
  aggregate: {aggregate}
  target: {target}
  cite: {{section: s, quote: q}}
"""


@pytest.mark.parametrize("name", AGGREGATES)
def test_the_loader_asks_for_a_condition_exactly_where_the_method_needs_one(name: str) -> None:
    needs = METHODS[name].needs_condition
    plan_from_indicators(_indicator(f"formula: {CONDITION}", name))  # a condition always loads
    if needs:
        with pytest.raises(PlanError) as err:
            plan_from_indicators(_indicator(f"formula: {NUMBER}", name))
        assert any("aggregate" in p and "condition" in p for p in err.value.problems)
    else:
        plan_from_indicators(_indicator(f"formula: {NUMBER}", name))


def test_a_ratio_of_a_checklist_is_refused_at_load() -> None:
    # It used to load and then stop the check with a traceback (KeyError '_mean').
    items = "checklist: [has_service_facility, has_self_service_terminal]"
    with pytest.raises(PlanError) as err:
        plan_from_indicators(_indicator(items, "ratio"))
    assert any("aggregate" in p and "ratio" in p for p in err.value.problems)
    for name in ("share", "count", "sum", "mean"):
        plan_from_indicators(_indicator(items, name))


ROWS = [
    {"district": "甲区", "street": "一街道", "households": 600, "population": 1500},
    {"district": "甲区", "street": "一街道", "households": 400, "population": 1100},
    {"district": "甲区", "street": "二街道", "households": 900, "population": 2000},
    {"district": "乙区", "street": "三街道", "households": 300, "population": 800},
]


# What the README's method table says each group figure is, independently of the classes:
# counts and sums add up across units (so a street target says nothing about a district);
# a total has no "% of communities compliant" beside it.
EXTENSIVE = {"count", "sum"}
NO_SHARE_COMPLIANT = {"sum"}


@pytest.mark.parametrize("name", AGGREGATES)
def test_extensive_methods_are_compared_only_at_their_own_level(name: str) -> None:
    formula = f"formula: {CONDITION}" if METHODS[name].needs_condition else "formula: households"
    plan = plan_from_indicators(_indicator(formula, name, level="street"))
    r = evaluate(plan, census(ROWS)).get("x")
    assert r.method is method_of(r.indicator)
    assert r.method.extensive == (name in EXTENSIVE)
    assert set(r.groups["street"]["status"]) != {NO_TARGET}  # its own level: judged
    for level in ("district", "city"):
        statuses = set(r.groups[level]["status"])
        assert (statuses == {NO_TARGET}) == (name in EXTENSIVE), (name, level, statuses)
        assert r.method.compared_at(r.indicator, level) == (name not in EXTENSIVE)


@pytest.mark.parametrize("name", AGGREGATES)
def test_share_compliant_is_shown_where_the_method_says(name: str) -> None:
    formula = f"formula: {CONDITION}" if METHODS[name].needs_condition else "formula: households"
    plan = plan_from_indicators(_indicator(formula, name))
    city = evaluate(plan, census(ROWS)).get("x").groups["city"].iloc[0]
    shown = name not in NO_SHARE_COMPLIANT
    assert METHODS[name].has_share_compliant == shown
    # the condition holds in 2 of the 4 communities (600 and 900 households); every one has
    # at least 1 household
    expected = 50.0 if METHODS[name].needs_condition else 100.0
    assert city["share_compliant"] == expected if shown else math.isnan(city["share_compliant"])


def test_counting_methods_count_communities() -> None:
    # 2 of the 4 communities have at least 500 households (600 and 900)
    for name, expected in (("share", 50.0), ("count", 2.0)):
        plan = plan_from_indicators(_indicator(f"formula: {CONDITION}", name))
        city = evaluate(plan, census(ROWS)).get("x").groups["city"].iloc[0]
        assert METHODS[name].counts_communities and METHODS[name].shortfall_in == "communities"
        assert city["value"] == expected
    assert {n for n, m in METHODS.items() if m.counts_communities} == {"share", "count"}
    assert {n for n, m in METHODS.items() if m.share_of_units} == {"share"}

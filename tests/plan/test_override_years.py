"""An extending plan's `overrides:` may date an inherited target (issue 16): from, until and
superseded_by, checked as on an indicator of its own."""

from __future__ import annotations

import pytest
from tests.plan.test_inherit import CITE, child, problems_of

from indicators.plan import load_plan_file
from indicators.plan.dump import plan_data


def test_an_override_can_end_an_inherited_target_and_name_its_successor(tmp_path):
    path = child(
        tmp_path,
        f"""
        overrides:
          - id: area
            until: 2022
            superseded_by: own_area
            cite: {CITE}
          - id: coverage
            from: 2023
            cite: {CITE}
        """,
        indicators="""\
- id: own_area
  name: {zh: 区级面积, en: District area}
  formula: facility_area / households * 100
  target: {op: ">=", value: 40}
  from: 2023
  cite: {section: 二、目标, quote: 区级原文}
""",
    )
    plan = load_plan_file(path)
    by_id = {ind.id: ind for ind in plan.indicators}
    area, coverage = by_id["area"], by_id["coverage"]
    assert (area.in_until, area.superseded_by, area.origin) == (2022, "own_area", "district")
    assert area.target == area.replaces.target  # the target itself is inherited unchanged
    assert area.in_force(2022) and not area.in_force(2023)
    assert coverage.in_from == 2023 and not coverage.in_force(2022)
    dumped = {d["id"]: d for d in plan_data(plan)["indicators"]}
    assert (dumped["area"]["until"], dumped["area"]["superseded_by"]) == (2022, "own_area")
    assert dumped["coverage"]["from"] == 2023


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (f"overrides:\n  - {{id: area, superseded_by: coverage, cite: {CITE}}}",
         "until: a superseded target needs until"),
        (f"overrides:\n  - {{id: area, until: 2022, superseded_by: nothing, cite: {CITE}}}",
         "superseded_by: no indicator 'nothing' in this plan"),
        (f"overrides:\n  - {{id: area, from: 2024, until: 2022, cite: {CITE}}}",
         "until: is before from"),
        (f"overrides:\n  - {{id: area, until: '2022', cite: {CITE}}}",
         "until: expected a year such as 2018"),
    ],
)  # fmt: skip
def test_override_years_are_checked(tmp_path, body, expected):
    found = problems_of(child(tmp_path, body))
    assert any(expected in p for p in found), found


def test_an_override_that_changes_nothing_lists_the_dates_too(tmp_path):
    found = problems_of(child(tmp_path, f"overrides:\n  - {{id: area, note: x, cite: {CITE}}}"))
    assert any("give target, milestones, baseline, from, until, superseded_by" in p for p in found)

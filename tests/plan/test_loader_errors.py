"""The loader reports every problem with file:line and key, and refuses unsafe YAML."""

from __future__ import annotations

import re

import pytest
from tests.plan.plantext import indicator, plan_text

from indicators.model.errors import ExitCode, PlanError
from indicators.plan import load_plan_text


def problems(text: str) -> list[str]:
    with pytest.raises(PlanError) as info:
        load_plan_text(text, "p.yaml")
    assert info.value.exit_code == ExitCode.PLAN_INVALID
    return info.value.problems


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_a_valid_plan_loads():
    plan = load_plan_text(plan_text(), "p.yaml")
    assert plan.indicators[0].target.value == 30


def test_unknown_key_names_the_key_and_the_line():
    text = plan_text(indicator(colour="red"))
    [msg] = problems(text)
    assert msg.startswith(f"p.yaml:{line_of(text, 'colour')}: (x) indicators[0].colour:")
    assert "unknown key" in msg and "formula" in msg  # lists the expected keys


def test_unknown_top_level_key():
    text = plan_text(head="sponsor: 民政局")
    [msg] = problems(text)
    assert msg.startswith(f"p.yaml:{line_of(text, 'sponsor')}: sponsor: unknown key")


def test_wrong_type():
    text = plan_text(indicator(binding="'yes'"))
    [msg] = problems(text)
    assert re.match(r"p\.yaml:\d+: \(x\) indicators\[0\]\.binding: expected true", msg)


def test_period_must_be_two_years():
    [msg] = problems(plan_text().replace("period: [2021, 2025]", "period: 2021"))
    assert "period: expected [first year, last year]" in msg


def test_bad_operator():
    text = plan_text(indicator(target="{op: '=>', value: 30}"))
    [msg] = problems(text)
    assert f"p.yaml:{line_of(text, 'target:')}:" in msg
    assert "indicators[0].target.op: unknown operator '=>'" in msg


def test_range_needs_min_and_max_in_order():
    [msg] = problems(plan_text(indicator(target="{op: range, min: 9, max: 5}")))
    assert "range min is greater than max" in msg


def test_unknown_field_with_suggestion_and_position():
    text = plan_text(indicator(formula="facility_areaa / households * 100"))
    [msg] = problems(text)
    assert f"p.yaml:{line_of(text, 'facility_areaa')}: (x) indicators[0].formula:" in msg
    assert "unknown field 'facility_areaa' (did you mean 'facility_area'?)" in msg
    assert "(at position 1)" in msg


def test_duplicate_indicator_ids():
    text = plan_text(indicator() + indicator())
    [msg] = problems(text)
    assert "indicators[1].id: duplicate indicator id 'x'" in msg


def test_every_problem_is_reported_at_once():
    text = plan_text(indicator(level="town", scope="suburb", formula="households ** 2"))
    found = problems(text)
    assert len(found) == 3
    assert all(m.startswith("p.yaml:") for m in found)


def test_not_checkable_needs_target_text():
    text = plan_text(indicator(checkable="false", formula=None, target=None, unit=None))
    [msg] = problems(text)
    assert "needs target_text" in msg


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: &x [1, 2]\nb: *x\n", "anchors and aliases"),
        (
            "a: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
            "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n",
            "anchors and aliases",
        ),
        ("id: !!python/object/apply:os.system ['echo hi']\n", "is not allowed"),
        ("id: !!python/name:os.system\n", "is not allowed"),
        ("base: {a: 1}\nother:\n  <<: {a: 1}\n  b: 2\n", "merge keys"),
        ("id: a\nid: b\n", "appears twice"),
        ("id: [unclosed\n", "not valid YAML"),
    ],
    ids=["alias", "alias-bomb", "python-object", "python-name", "merge-key", "dup-key", "syntax"],
)
def test_unsafe_or_broken_yaml_is_refused(text, expected):
    [msg] = problems(text)
    assert re.match(r"p\.yaml:\d+: ", msg), msg
    assert expected in msg

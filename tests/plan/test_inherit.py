"""Plans that extend plans: overrides, additions, not applicable, cycles, loosened targets."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from tests.plan.plantext import indicator, plan_text

from indicators.model.errors import PlanError
from indicators.plan import load_plan, load_plan_file
from indicators.plan.lint import INFO, WARNING, lint_file

CITE = "{section: 二、目标, quote: 区级原文}"
PARENT = plan_text(
    indicator(id="coverage", formula="has_service_facility", aggregate="share", unit="'%'",
              target="{op: '>=', value: 80}", binding="true",
              milestones="[{year: 2023, op: '>=', value: 70}]")
    + indicator(id="area", target="{op: '>=', value: 30}")
    + indicator(id="meetings", checkable="false", formula=None, unit=None, target=None,
                target_text="每季度1次"),
    plan_id="city",
)  # fmt: skip


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def child(tmp_path: Path, body: str, indicators: str = "") -> Path:
    write(tmp_path, "city.yaml", PARENT)
    head = f"extends: city\n{textwrap.dedent(body).strip()}"
    return write(tmp_path, "district.yaml", plan_text(indicators, head=head, plan_id="district"))


def problems_of(path: Path) -> list[str]:
    with pytest.raises(PlanError) as info:
        load_plan_file(path)
    return info.value.problems


def test_override_addition_and_not_applicable(tmp_path):
    path = child(
        tmp_path,
        f"""
        overrides:
          - id: coverage
            target: {{op: ">=", value: 90}}
            cite: {CITE}
        not_applicable:
          - id: meetings
            cite: {CITE}
        """,
        indicators=indicator(id="own", target="{op: '>=', value: 40}"),
    )
    plan = load_plan_file(path)
    assert plan.extends == "city"
    assert [i.id for i in plan.indicators] == ["coverage", "area", "own"]
    by_id = {i.id: i for i in plan.indicators}
    assert by_id["coverage"].target.value == 90
    assert by_id["coverage"].origin == "district"
    assert by_id["coverage"].replaces.target.value == 80
    assert by_id["coverage"].milestones[0].value == 70  # not overridden: inherited
    assert by_id["coverage"].binding is True
    assert by_id["coverage"].cite.quote == "区级原文"
    assert by_id["area"].origin == "city" and by_id["area"].replaces is None
    assert by_id["own"].origin == "district"
    [excluded] = plan.not_applicable
    assert excluded.indicator.id == "meetings" and excluded.plan == "district"
    assert plan.period == (2021, 2025)
    assert lint_file(path).findings == []


def test_extends_by_path_and_period_inherited(tmp_path):
    write(tmp_path, "city.yaml", PARENT)
    (tmp_path / "sub").mkdir()
    path = write(
        tmp_path / "sub",
        "district.yaml",
        "id: district\nextends: ../city.yaml\ntitle: 区\n"
        f"overrides:\n  - {{id: area, target: {{op: '>=', value: 35}}, cite: {CITE}}}\n",
    )
    plan = load_plan_file(path)
    assert plan.period == (2021, 2025)
    assert {i.id: i.target.value for i in plan.indicators if i.target}["area"] == 35


def test_grandparent_origin_is_kept(tmp_path):
    child(tmp_path, f"overrides:\n  - {{id: area, target: {{op: '>=', value: 35}}, cite: {CITE}}}")
    path = write(tmp_path, "street.yaml", "id: street\nextends: district\ntitle: 街道\n")
    origins = {i.id: i.origin for i in load_plan_file(path).indicators}
    assert origins == {"coverage": "city", "area": "district", "meetings": "city"}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (f"overrides:\n  - {{id: coverag, target: {{op: '>=', value: 90}}, cite: {CITE}}}",
         "unknown indicator 'coverag': city has no such indicator (did you mean 'coverage'?)"),
        (f"not_applicable:\n  - {{id: nothing, cite: {CITE}}}", "unknown indicator 'nothing'"),
        ("overrides:\n  - {id: coverage, target: {op: '>=', value: 90}}", "cite: expected"),
        (f"overrides:\n  - {{id: coverage, cite: {CITE}}}", "changes nothing"),
        (f"overrides:\n  - {{id: meetings, target: {{op: '>=', value: 1}}, cite: {CITE}}}",
         "is not checkable"),
        (f"overrides:\n  - {{id: area, binding: true, cite: {CITE}}}\n"
         f"not_applicable:\n  - {{id: area, cite: {CITE}}}", "both overridden and not applicable"),
        (f"overrides:\n  - {{id: area, colour: red, binding: true, cite: {CITE}}}", "unknown key"),
    ],
)  # fmt: skip
def test_override_errors(tmp_path, body, expected):
    found = problems_of(child(tmp_path, body))
    assert any(expected in p for p in found), found
    assert all(p.startswith(str(tmp_path / "district.yaml") + ":") for p in found)


def test_own_indicator_may_not_reuse_an_inherited_id(tmp_path):
    found = problems_of(child(tmp_path, "", indicators=indicator(id="area")))
    assert any("'area' is inherited from city" in p for p in found)


def test_overrides_without_extends():
    from indicators.plan import load_plan_text

    with pytest.raises(PlanError) as info:
        load_plan_text(plan_text(head=f"overrides: [{{id: x, cite: {CITE}}}]"), "p.yaml")
    assert any("only a plan that extends another" in p for p in info.value.problems)


def test_cycle_is_an_error(tmp_path):
    write(tmp_path, "a.yaml", "id: a\nextends: b\ntitle: A\nperiod: [2021, 2025]\n")
    write(tmp_path, "b.yaml", "id: b\nextends: a.yaml\ntitle: B\nperiod: [2021, 2025]\n")
    found = problems_of(tmp_path / "a.yaml")
    assert any("extends cycle: a.yaml -> b.yaml -> a.yaml" in p for p in found), found
    [finding, *_] = lint_file(tmp_path / "a.yaml").errors
    assert finding.line == 2


def test_self_cycle(tmp_path):
    write(tmp_path, "a.yaml", "id: a\nextends: a\ntitle: A\n")
    assert any("extends cycle: a.yaml -> a.yaml" in p for p in problems_of(tmp_path / "a.yaml"))


def test_missing_parent(tmp_path):
    write(tmp_path, "a.yaml", "id: a\nextends: no-such-plan-anywhere\ntitle: A\n")
    assert any(
        "no plan with id 'no-such-plan-anywhere'" in p for p in problems_of(tmp_path / "a.yaml")
    )


@pytest.mark.parametrize(
    ("override", "code", "severity"),
    [
        ("target: {op: '>=', value: 75}", "loosened-binding", WARNING),
        ("target: {op: '>=', value: 85}", None, None),
        ("milestones: [{year: 2023, op: '>=', value: 60}]", "loosened-binding", WARNING),
        ("binding: false", "binding-dropped", WARNING),
        ("target: {op: '>', value: 80}", None, None),
    ],
)
def test_loosened_binding_target_warns(tmp_path, override, code, severity):
    path = child(tmp_path, f"overrides:\n  - {{id: coverage, {override}, cite: {CITE}}}")
    found = [(f.code, f.severity) for f in lint_file(path).findings]
    assert found == ([(code, severity)] if code else [])


def test_loosened_expected_target_is_a_note(tmp_path):
    path = child(
        tmp_path, f"overrides:\n  - {{id: area, target: {{op: '>=', value: 20}}, cite: {CITE}}}"
    )
    [f] = lint_file(path).findings
    assert (f.code, f.severity) == ("loosened", INFO)
    assert "≥ 20 (was ≥ 30)" in f.message("en")


def test_the_shipped_example():
    plan = load_plan("example-district-extends-hengshui")
    parent = load_plan("hengshui-2021-2025")
    assert plan.extends == parent.id
    by_id = {i.id: i for i in plan.indicators}
    overridden = {i.id for i in plan.indicators if i.replaces is not None}
    assert overridden == {"rural_facility_coverage", "workers_per_10k_urban_residents"}
    for ind_id in overridden:  # both stricter than the city's
        assert by_id[ind_id].target.value > by_id[ind_id].replaces.target.value
    assert "resettlement_facility_coverage" not in by_id
    assert by_id["volunteer_share_of_residents"].origin == plan.id
    assert len(plan.indicators) == len(parent.indicators) - 1 + 1
    assert "HYPOTHETICAL" in (plan.notes or "") and "示例" in plan.title


def test_not_applicable_with_a_plain_reason_instead_of_a_cite(tmp_path):
    """A city narrowing a plan to the fields its census collects has no clause to quote."""
    (tmp_path / "city.yaml").write_text(
        "id: city-census\ntitle: 本市普查口径\nperiod: [2021, 2025]\n"
        "extends: hengshui-2021-2025\n"
        "not_applicable:\n"
        "  - id: special_needs_elderly_monthly_visit_rate\n"
        "    reason: 本市普查不采集当月已探访特殊困难老年人数\n",
        encoding="utf-8",
    )
    plan = load_plan(str(tmp_path / "city.yaml"))
    [excluded] = plan.not_applicable
    assert excluded.cite is None
    assert excluded.reason == "本市普查不采集当月已探访特殊困难老年人数"
    assert "special_needs_elderly_monthly_visit_rate" not in {i.id for i in plan.indicators}


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("{id: special_needs_elderly_monthly_visit_rate}", "give cite"),
        ("{id: special_needs_elderly_monthly_visit_rate, reason: '  '}", "expected a sentence"),
        ("{id: special_needs_elderly_monthly_visit_rate, reason: [a]}", "expected text"),
    ],
)
def test_not_applicable_needs_a_cite_or_a_reason(tmp_path, entry, message):
    (tmp_path / "city.yaml").write_text(
        "id: city-census\ntitle: 本市普查口径\nperiod: [2021, 2025]\n"
        f"extends: hengshui-2021-2025\nnot_applicable:\n  - {entry}\n",
        encoding="utf-8",
    )
    with pytest.raises(PlanError) as info:
        load_plan(str(tmp_path / "city.yaml"))
    assert message in str(info.value) + " ".join(info.value.problems)

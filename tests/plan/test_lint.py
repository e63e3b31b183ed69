"""Each class of lint finding, on a small plan that has exactly that mistake."""

from __future__ import annotations

import pytest
from tests.plan.plantext import indicator, plan_text

from indicators.plan.lint import ERROR, INFO, WARNING, lint_text

FIELDS = """\
fields:
  - id: unused_thing
    type: integer
    name: {zh: 没用的字段, en: Unused}
  - id: households
    type: text
    name: {zh: 户数, en: Households}
"""


def findings(text: str) -> list:
    result = lint_text(text, "p.yaml")
    return result.findings


def codes(text: str, severity: str = WARNING) -> list[str]:
    return [f.code for f in findings(text) if f.severity == severity]


def test_a_clean_plan_has_no_findings():
    assert findings(plan_text()) == []


def test_schema_errors_carry_line_and_indicator():
    text = plan_text(indicator(formula="facility_areaa / households * 100"))
    [f] = findings(text)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "facility_areaa" in t)
    assert (f.severity, f.code, f.indicator, f.line) == (ERROR, "schema", "x", line)
    assert "did you mean 'facility_area'" in f.message("en")


@pytest.mark.parametrize(
    ("keys", "code", "severity"),
    [
        ({"baseline": "{year: 2020, value: 236}"}, "baseline-meets-target", WARNING),
        ({"baseline": "{year: 2020, value: 30}"}, "baseline-at-target", INFO),
        (
            {"baseline": "{year: 2020, value: 700}", "level": "community",
             "formula": "facility_area", "unit": "平方米", "target": "{op: '>=', value: 600}"},
            "baseline-meets-target-on-average",
            INFO,
        ),
        ({"baseline": "{year: 2023, value: 10}"}, "baseline-year", WARNING),
        ({"target": "{op: '>=', value: 30, year: 2030}"}, "target-year-out-of-period", WARNING),
        ({"milestones": "[{year: 2019, op: '>=', value: 20}]"}, "milestone-out-of-period", WARNING),
        ({"milestones": "[{year: 2025, op: '>=', value: 20}]"}, "milestone-after-target", WARNING),
        ({"milestones": "[{year: 2023, op: '>=', value: 40}]"}, "milestones-not-monotone", WARNING),
        ({"milestones": "[{year: 2023, op: '<=', value: 20}]"}, "milestone-direction", WARNING),
        ({"unit": "'%'", "formula": "facility_area / households"}, "unit-percent-no-100", WARNING),
        ({"unit": "平方米/百户", "formula": "facility_area / households"}, "unit-per-n", WARNING),
        (
            {"unit": "人/万人", "formula": "facility_area / population * 1000"},
            "unit-per-n",
            WARNING,
        ),
        ({"unit": "平方米"}, "unit-scaled-by-100", WARNING),
        (
            {"formula": "has_service_facility", "aggregate": "share", "unit": "个"},
            "unit-share-not-percent",
            WARNING,
        ),
        (
            {"formula": "has_service_facility", "aggregate": "count", "unit": "'%'",
             "target": "{op: '>=', value: 1}"},
            "unit-count-percent",
            WARNING,
        ),
        ({"where": "households"}, "where-not-condition", WARNING),
        ({"oddities": "[baseline-exceeds-target]", "note": "likely 23.6"}, "oddity", WARNING),
    ],
)  # fmt: skip
def test_warning_classes(keys, code, severity):
    found = [f for f in findings(plan_text(indicator(**keys))) if f.severity != ERROR]
    assert code in [f.code for f in found if f.severity == severity], [
        (f.code, f.severity) for f in found
    ]
    hit = next(f for f in found if f.code == code)
    assert hit.indicator == "x" and hit.line is not None
    assert hit.message("en") != f"lint.{code}" and hit.message("zh") != f"lint.{code}"


def test_oddity_message_includes_the_note():
    text = plan_text(indicator(oddities="[baseline-exceeds-target]", note="likely 23.6"))
    [f] = [f for f in findings(text) if f.code == "oddity"]
    assert "baseline-exceeds-target" in f.message("en") and "likely 23.6" in f.message("en")


def test_not_checkable_with_a_target_but_no_target_text():
    ind = indicator(checkable="false", formula=None, unit=None)
    assert "no-target-text" in codes(plan_text(ind))


def test_plan_fields_unused_and_shadowing_a_shared_field():
    text = plan_text(head=FIELDS, indicators=indicator(formula="facility_area * 100",
                                                       unit="'%'"))  # fmt: skip
    found = findings(text)
    assert {(f.code, f.params.get("field")) for f in found if f.severity == WARNING} >= {
        ("field-unused", "unused_thing"),
        ("field-shadows-shared", "households"),
    }


def test_plan_id_differs_from_file_name(tmp_path):
    path = tmp_path / "other-name.yaml"
    path.write_text(plan_text(), encoding="utf-8")
    from indicators.plan.lint import lint_file

    [f] = lint_file(path).findings
    assert f.code == "id-not-file-name" and f.line == 1


def test_duplicate_ids_are_an_error():
    [f] = findings(plan_text(indicator() + indicator()))
    assert f.severity == ERROR and "duplicate indicator id 'x'" in f.message()


def test_at_most_target_direction():
    ind = indicator(formula="households", unit="户", target="{op: '<=', value: 100}",
                    baseline="{year: 2020, value: 50}",
                    milestones="[{year: 2023, op: '<=', value: 90}]")  # fmt: skip
    assert set(codes(plan_text(ind))) == {"baseline-meets-target", "milestones-not-monotone"}

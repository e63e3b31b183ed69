"""Plan problems are records (file, line, indicator, key, code, message); lint reads them and
the loader's line map instead of parsing message text and the YAML again."""

from __future__ import annotations

import pytest
from tests.plan.plantext import indicator, plan_text
from tests.plan.test_inherit import CITE, child

from indicators.model.errors import PlanError
from indicators.plan import load_plan_file, load_plan_text, safe_yaml
from indicators.plan.lint import ERROR, lint_file, lint_text
from indicators.plan.parse import Problem


def _line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_each_problem_is_a_record_and_prints_as_before():
    text = plan_text(indicator(colour="red", unit="[1]"))
    with pytest.raises(PlanError) as info:
        load_plan_text(text, "p.yaml")
    records = info.value.records
    assert [(r.file, r.line, r.indicator, r.key, r.code) for r in records] == [
        ("p.yaml", _line(text, "colour"), "x", "indicators[0].colour", "schema"),
        ("p.yaml", _line(text, "unit:"), "x", "indicators[0].unit", "schema"),
    ]
    assert records[1].message == "expected text, e.g. '%' or '平方米/百户'"
    assert info.value.problems == [str(r) for r in records]
    assert info.value.problems[1] == (
        f"p.yaml:{_line(text, 'unit:')}: (x) indicators[0].unit: expected text, e.g. '%' or "
        "'平方米/百户'"
    )


def test_a_problem_without_a_key_prints_without_the_indicator():
    problem = Problem("p.yaml", 3, "x", "", "whole file is wrong")
    assert str(problem) == "p.yaml:3: whole file is wrong"


def test_problems_of_the_parent_are_nested_records(tmp_path):
    path = child(tmp_path, f"overrides:\n  - {{id: area, binding: true, cite: {CITE}}}")
    parent = tmp_path / "city.yaml"
    parent.write_text(parent.read_text("utf-8").replace("has_service_facility", "has_servic"),
                      encoding="utf-8")  # fmt: skip
    with pytest.raises(PlanError) as info:
        load_plan_file(path)
    outer, inner = info.value.records
    assert (outer.file, outer.key, outer.depth) == (str(path), "extends", 0)
    assert (inner.file, inner.indicator, inner.depth) == (str(parent), "coverage", 1)
    assert str(inner).startswith(f"  {parent}:")
    [first, f2] = lint_file(path).findings
    assert (first.line, first.params["text"].split(":")[0]) == (outer.line, "extends")
    assert (f2.file, f2.line, f2.indicator) == (str(parent), inner.line, "coverage")
    assert f2.params["text"].startswith("indicators[0].formula: unknown field 'has_servic'")


def test_lint_parses_the_yaml_once(monkeypatch):
    calls = []
    real = safe_yaml.load
    monkeypatch.setattr(safe_yaml, "load", lambda text: calls.append(1) or real(text))
    text = plan_text(indicator(baseline="{year: 2020, value: 40}"))
    result = lint_text(text, "p.yaml")
    assert result.plan is not None and result.findings  # a warning, with its line
    assert all(f.line for f in result.findings) and len(calls) == 1


def test_unsafe_yaml_is_one_record_with_its_line():
    result = lint_text("id: x\nbase: &a {x: 1}\nother: *a\n", "p.yaml")
    [f] = result.findings
    assert (f.severity, f.line, f.indicator) == (ERROR, 2, None)
    assert "anchors" in f.params["text"]

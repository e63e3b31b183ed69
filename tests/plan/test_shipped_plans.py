"""Every plan in targets/ loads and lints without errors; recorded oddities warn."""

from __future__ import annotations

import pytest

from indicators.plan import load_plan_file, plan_files
from indicators.plan.lint import ERROR, WARNING, lint_file

PLANS = plan_files()


def test_the_five_source_plans_and_the_example_are_found():
    ids = {p.stem for p in PLANS}
    assert {
        "hengshui-2021-2025",
        "nantong-2011-2015",
        "songjiang-zhongshan-2018-2020",
        "yangquan-chengqu-2015-2018",
        "yantai-2020",
        "example-district-extends-hengshui",
    } <= ids


@pytest.mark.parametrize("path", PLANS, ids=[p.stem for p in PLANS])
def test_plan_loads_and_lints_without_errors(path):
    plan = load_plan_file(path)
    assert plan.id == path.stem
    assert plan.indicators
    result = lint_file(path)
    assert result.errors == [], [f.to_dict() for f in result.errors]


@pytest.mark.parametrize("path", PLANS, ids=[p.stem for p in PLANS])
def test_each_recorded_oddity_gives_a_warning(path):
    plan = load_plan_file(path)
    expected = sorted(
        (i.id, code) for i in plan.indicators if i.origin == plan.id for code in i.oddities
    )
    found = sorted(
        (f.indicator, f.params["oddity"])
        for f in lint_file(path).findings
        if f.code == "oddity" and f.severity == WARNING
    )
    assert found == expected


def test_hengshui_facility_area_baseline_236_vs_target_30_warns():
    path = next(p for p in PLANS if p.stem == "hengshui-2021-2025")
    findings = [
        f for f in lint_file(path).findings if f.indicator == "facility_area_per_100_households"
    ]
    codes = {f.code: f for f in findings}
    assert {"oddity", "baseline-meets-target"} <= set(codes)
    baseline = codes["baseline-meets-target"]
    assert baseline.severity == WARNING
    assert baseline.params == {"baseline": "236", "target": "≥ 30"}
    assert baseline.line and baseline.location.endswith(f":{baseline.line}")
    text = path.read_text(encoding="utf-8").splitlines()[baseline.line - 1]
    assert "baseline:" in text and "236" in text
    assert "decimal point" in codes["oddity"].message("en")


def test_no_shipped_plan_has_errors_or_unexpected_warning_classes():
    allowed = {"oddity", "baseline-meets-target"}
    for path in PLANS:
        for f in lint_file(path).findings:
            assert f.severity != ERROR
            if f.severity == WARNING:
                assert f.code in allowed, (path, f.to_dict())

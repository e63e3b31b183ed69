"""One indicator, one census, one year: `check` and `assess` report the same figure.

Runs both on every shipped sample for its shipped plan and compares every indicator: the
value, the status against the target due that year, and the share of units meeting it; and
the assessment's printed cell shows the number `check` prints.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from indicators.assess.assessment import assess
from indicators.assess.years import year_from_name
from indicators.plan import load_plan
from indicators.report.assessment_text import year_cell
from indicators.report.text import fmt_number
from indicators.run.pipeline import ReadOptions, check_file, read_as_collected

ROOT = Path(__file__).resolve().parents[2]
PLANS = sorted(p.stem for p in (ROOT / "targets").glob("*.yaml"))
CASES = [
    (plan_id, sample)
    for plan_id in PLANS
    for sample in sorted((ROOT / "sample_data").glob(f"{plan_id}*.xlsx"))
    if "roster" not in sample.name
]


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


def test_every_shipped_plan_has_a_sample():
    assert {p for p, _ in CASES} == set(PLANS)


@pytest.mark.parametrize(("plan_id", "sample"), CASES, ids=[s.name for _, s in CASES])
def test_check_and_assess_agree_on_every_indicator(plan_id, sample):
    plan = load_plan(plan_id)
    outcome = read_as_collected(plan, sample, ReadOptions())
    assert not outcome.census.errors
    year = outcome.census.year or year_from_name(sample, plan) or plan.period[1]
    checked = check_file(plan, sample, ReadOptions(year=year)).results
    assessment = assess(plan, [(year, outcome.census)])
    assert [s.indicator.id for s in assessment.indicators] == [
        r.indicator.id for r in checked.indicators
    ]
    for series in assessment.indicators:
        headline = checked.get(series.indicator.id).headline
        assert _same(series.figures[year], headline.value), series.indicator.id
        assert series.statuses[year] == headline.status, series.indicator.id
        tracked = headline.value if series.measure == "value" else headline.share_met
        assert _same(series.values[year], tracked), series.indicator.id
        if not math.isnan(headline.value):
            unit = "%" if series.indicator.unit == "%" else ""
            assert year_cell(series, year, "zh").startswith(fmt_number(headline.value, unit))


def test_monthly_visit_rate_is_one_number():
    """The case in the issue: 特殊困难老年人月探访率 showed 99.1% in check, 47.5% in assess."""
    plan = load_plan("hengshui-2021-2025")
    sample = ROOT / "sample_data/hengshui-2021-2025-census-2021.xlsx"
    outcome = read_as_collected(plan, sample, ReadOptions())
    checked = check_file(plan, sample, ReadOptions(year=2021)).results
    series = next(
        s
        for s in assess(plan, [(2021, outcome.census)]).indicators
        if s.indicator.id == "special_needs_elderly_monthly_visit_rate"
    )
    headline = checked.get("special_needs_elderly_monthly_visit_rate").headline
    assert series.figures[2021] == headline.value
    # The share of communities meeting it is shown beside the figure, labelled, not instead.
    r = checked.get("special_needs_elderly_monthly_visit_rate").communities
    judged = r[r["in_scope"] & r["status"].isin(["met", "not_met"])]
    share = (judged["status"] == "met").mean() * 100
    assert series.values[2021] == pytest.approx(share)
    assert year_cell(series, 2021, "en") == (
        f"{fmt_number(headline.value, '%')}\n({fmt_number(share, '%')} meet it)"
    )

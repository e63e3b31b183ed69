"""`assess` judges a target only in the years it is in force (from/until, issue 16).

Songjiang's 2018 target "街道级居委会规范化建设示范点创建10 家" ends in 2018; a later census
that follows the plan must not be told it is falling short of it. A target `from: 2024` is
not judged for a 2022 census either. The assessment says why, once per indicator.
"""

from __future__ import annotations

import json

from helpers import census, plan_from_indicators
from indicators.assess import progress as pg
from indicators.assess.assessment import assess
from indicators.report.assessment_text import assessment_dict, render_markdown

PLAN = plan_from_indicators(
    """
    - id: model_sites
      name: {zh: 示范点数量, en: Model sites}
      formula: has_service_facility
      aggregate: count
      target: {op: ">=", value: 10, year: 2018}
      until: 2018
      cite: {section: s, quote: q}
    - id: later_total
      name: {zh: 后期设施总面积, en: Later facility area}
      formula: facility_area
      aggregate: sum
      target: {op: ">=", value: 1000}
      from: 2023
      cite: {section: s, quote: q}
    - id: later_area
      name: {zh: 街道平均设施面积, en: Mean facility area per street}
      level: street
      formula: facility_area
      aggregate: mean
      target: {op: ">=", value: 250}
      from: 2023
      cite: {section: s, quote: q}
    - id: always_area
      name: {zh: 设施总面积, en: Facility area}
      formula: facility_area
      aggregate: sum
      target: {op: ">=", value: 1000}
      cite: {section: s, quote: q}
    """,
    period=(2016, 2025),
)


def _census(area: float, with_facility: int):
    rows = [{"has_service_facility": int(i < with_facility), "facility_area": area}
            for i in range(3)]  # fmt: skip
    return census(rows)


def _result():
    # Falling figures: judged, both would be "deterioration".
    return assess(PLAN, [(2022, _census(300, 3)), (2023, _census(200, 1))])


def test_a_target_that_ended_is_not_judged_in_later_years():
    s = _result().indicators[0]
    assert s.not_in_force == (2022, 2023)
    assert set(s.values) == set(s.figures) == {2022, 2023}  # figures stay, for information
    assert s.progress.status == pg.NOT_ENOUGH_DATA
    assert not s.binding_off_track


def test_a_target_not_yet_in_force_is_judged_from_its_first_year_only():
    later, _, always = _result().indicators[1:]
    assert later.not_in_force == (2022,)
    assert later.values == {2022: 900.0, 2023: 600.0}  # for information in 2022
    assert always.not_in_force == ()
    assert always.values == {2022: 900.0, 2023: 600.0}  # judged both years
    assert always.progress.status == pg.DETERIORATION
    # judged on 2023 alone: not "deterioration" from a year it did not apply to
    assert later.progress.status == pg.NOT_ENOUGH_DATA
    assert (later.progress.base_year, later.progress.year) == (2023, 2023)


def test_unit_series_are_judged_in_force_years_only():
    units = [u for u in _result().units["street"] if u.indicator.id == "later_area"]
    assert units and all(u.values == {2022: 300.0, 2023: 200.0} for u in units)
    # judged from 2023 only: one point, not a fall from 300 to 200
    assert all((u.progress.base_year, u.progress.year) == (2023, 2023) for u in units)
    assert all(u.progress.status == pg.NOT_ENOUGH_DATA for u in units)


def test_the_assessment_says_why_once_per_indicator():
    a = _result()
    for lang, words in (("zh", "2018 年有效"), ("en", "in force –2018;")):
        text = render_markdown(a, lang)
        assert text.count(words) == 1, text
    data = json.loads(json.dumps(assessment_dict(a, "en")))
    by_id = {d["id"]: d for d in data["indicators"]}
    assert by_id["model_sites"]["not_in_force"] == [2022, 2023]
    assert by_id["later_total"]["not_in_force"] == [2022]
    assert by_id["always_area"]["not_in_force"] == []


def test_a_count_out_of_force_still_counts_the_communities_for_information():
    """Nobody is judged against a target that has ended, but the figure shown for
    information is the real count (3, then 1), not 0 for 'nobody met a target'."""
    s = _result().indicators[0]
    assert s.values == {2022: 3.0, 2023: 1.0}


def test_check_shows_the_count_not_zero_of_zero_units_for_a_target_out_of_force():
    from indicators.engine import evaluate
    from indicators.report.summary import headline_cells
    from indicators.report.wording import Wording

    results = evaluate(PLAN, _census(300, 2), year=2022)
    r = next(r for r in results.indicators if r.indicator.id == "model_sites")
    assert r.headline.status == "no_target"
    assert r.headline.value == 2.0
    assert not r.headline.per_unit  # no unit is judged: the city figure is the headline
    cells = headline_cells(r, 2022, Wording("zh", PLAN.vocabulary))
    assert cells["actual"] == 2.0 and "0/0" not in cells["actual_text"]

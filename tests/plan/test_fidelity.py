"""Plans say what the documents say (issue 16): each fix on a small hand-made census.

Each test fails on the plan encodings before issue 16: the inverted broadband target, the
Nantong street teams summed from communities, dated targets that never expired, the dropped
1-per-300 stage, the ratio that dropped real people, and binding printed as 预期性 everywhere.
"""

from __future__ import annotations

import pytest
from tests.plan.plantext import indicator, plan_text
from tests.plan.seedtext import PLANS, not_in_source
from typer.testing import CliRunner

from helpers import census
from indicators.cli import app
from indicators.engine import evaluate
from indicators.engine.results import MET, NO_TARGET, NOT_COMPUTABLE, NOT_MET
from indicators.model.errors import PlanError
from indicators.plan import load_plan, load_plan_file
from indicators.plan.lint import lint_text

U, R = "urban", "rural"


def run(plan_id: str, rows: list[dict], year: int | None = None):
    return evaluate(load_plan(plan_id), census(rows), year=year)


# --- the fixes, each on a census made by hand -------------------------------------------------


def test_broadband_names_the_villages_without_it():
    rows = [
        {"community_type": R, "community": "东村", "has_broadband": 1},
        {"community_type": R, "community": "西村", "has_broadband": 0},
        {"community_type": R, "community": "南村", "has_broadband": 1},
    ]
    r = run("hengshui-2021-2025", rows).get("rural_broadband_zero_gap")
    failing = r.communities.index[r.communities["status"] == NOT_MET]
    assert list(failing) == [1]  # 西村, the village without broadband
    assert list(r.communities["status"]) == [MET, NOT_MET, MET]
    assert r.headline.status == NOT_MET


def test_nantong_street_teams_are_not_summed_from_communities():
    rows = [{"culture_sports_teams": 1} for _ in range(12)]  # one street, 12 communities
    results = run("nantong-2011-2015", rows)
    street = results.get("street_culture_sports_teams")
    # no street sheet: the street's own teams are unknown, not 12 summed community teams
    assert street.headline.status == NOT_COMPUTABLE
    assert street.groups["street"]["value"].isna().all()
    assert results.get("community_culture_sports_teams").headline.status == MET


def test_songjiang_street_sites_end_in_2018():
    rows = [{"community_type": U, "is_street_demo_site": 0, "is_district_demo_site": 1}] * 19
    in_2019 = run("songjiang-zhongshan-2018-2020", rows, year=2019)
    street = in_2019.get("street_model_sites")
    assert street.headline.status == NO_TARGET
    assert (street.communities["status"] == NO_TARGET).all()
    assert in_2019.get("district_model_sites").headline.status == MET
    # in 2018 the street-level target is in force and this census falls short of it
    assert (
        run("songjiang-zhongshan-2018-2020", rows, year=2018)
        .get("street_model_sites")
        .headline.status
        == NOT_MET
    )


def test_nantong_station_staff_stages():
    row = {"households": 600, "station_staff": 2, "community_workers": 9}
    ind = "station_workers_per_200_households"
    early = run("nantong-2011-2015", [row], year=2012).get(ind)
    assert early.communities["status"].iloc[0] == MET  # 1 per 300: 2 staff for 600
    assert early.indicator.formula.text == "station_staff / households * 300"
    final = run("nantong-2011-2015", [row], year=2015).get(ind)
    assert final.communities["status"].iloc[0] == NOT_MET  # 1 per 200: 3 needed
    assert final.communities["shortfall"].iloc[0] == 1.0
    # the station's own staff, not the 9 community workers
    assert final.communities["value"].iloc[0] == pytest.approx(2 / 3)


def test_nantong_county_step_is_2011_only():
    rows = [{"community_type": R, "has_home_elderly_care_facility": v} for v in (1, 0, 0, 0, 0)]
    ind = "home_care_station_coverage_rural"
    assert run("nantong-2011-2015", rows, year=2011).get(ind).headline.status == NOT_MET
    assert run("nantong-2011-2015", rows, year=2013).get(ind).headline.status == NO_TARGET
    full = run("nantong-2011-2015", rows, year=2013).get("home_care_station_full_coverage")
    assert full.headline.status == NOT_MET


def test_workers_of_a_community_without_residents_count():
    rows = [
        {"community_type": U, "population": 5000, "community_workers": 6},
        {"community_type": U, "population": 0, "community_workers": 3},  # new, no one yet
    ]
    r = run("hengshui-2021-2025", rows).get("workers_per_10k_urban_residents")
    assert r.headline.value == pytest.approx(18.0)  # (6 + 3) / 5000 * 10000
    assert r.headline.status == MET


def test_songjiang_autonomy_funds_is_a_minimum():
    rows = [{"community_type": U, "autonomy_funds": 3}] * 4
    r = run("songjiang-zhongshan-2018-2020", rows).get("autonomy_funds_mean")
    assert r.headline.status == MET  # 3万元 on average is more than the 2万元 budget line


def test_nantong_service_store_larger_than_50_meets():
    r = run("nantong-2011-2015", [{"service_store_area": 60}]).get("service_store_size")
    assert r.communities["status"].iloc[0] == MET


# --- binding as printed ------------------------------------------------------------------


def test_binding_as_printed_in_the_shipped_plans():
    hengshui = load_plan("hengshui-2021-2025")
    expected = [i.id for i in hengshui.indicators if i.binding is False]
    assert len(expected) == 7 and all(
        "预期性" in i.cite.quote for i in hengshui.indicators if i.binding is False
    )
    for path in PLANS:
        plan = load_plan_file(path)
        stated = [i for i in plan.indicators if i.binding is not None]
        assert all("预期性" in i.cite.quote or "约束性" in i.cite.quote for i in stated), plan.id


@pytest.mark.parametrize(
    ("value", "expected"), [("true", True), ("false", False), ("unstated", None), (None, None)]
)
def test_binding_values(value, expected):
    from indicators.plan.load import load_plan_text

    text = plan_text(indicator(binding=value) if value else indicator())
    assert load_plan_text(text, "t.yaml").indicators[0].binding is expected


def test_binding_other_value_is_refused():
    from indicators.plan.load import load_plan_text

    with pytest.raises(PlanError) as exc:
        load_plan_text(plan_text(indicator(binding="maybe")), "t.yaml")
    assert "unstated" in str(exc.value.problems)


def test_show_prints_unstated_levels_and_years():
    runner = CliRunner()
    out = runner.invoke(app, ["show", "nantong-2011-2015", "--format", "markdown"]).output
    assert "未注明" in out and "预期性" not in out
    row = next(line for line in out.splitlines() if "street_service_centre_area" in line)
    assert "| 街道 / 全部 |" in row  # the level of a not-checkable indicator is kept
    staged = next(line for line in out.splitlines() if "station_workers_per_200" in line)
    assert "每300户配备1名" in staged and "2014" in staged
    dated = next(line for line in out.splitlines() if "home_care_station_coverage_rural" in line)
    assert "2011" in dated and "home_care_station_full_coverage" in dated
    hengshui = runner.invoke(app, ["show", "hengshui-2021-2025", "--format", "markdown"]).output
    assert hengshui.count("预期性") - hengshui.count("预期性”") >= 7


# --- every target_text is the document's wording, or says it is not ---------------------------


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_target_text_is_verbatim_or_marked(path):
    missing = not_in_source(path, lambda ind: None if ind.paraphrase else ind.target_text)
    assert not missing, "target_text not in the source (mark paraphrase: true):\n" + "\n".join(
        missing
    )


def test_paraphrase_needs_target_text():
    from indicators.plan.load import load_plan_text

    text = plan_text(indicator(checkable="false", paraphrase="true", target_text=None))
    with pytest.raises(PlanError):
        load_plan_text(text, "t.yaml")


# --- lint catches the three classes -------------------------------------------------------------


def _codes(ind_yaml: str, period=(2021, 2025)) -> list[str]:
    return lint_text(plan_text(ind_yaml, period=period), "t.yaml").codes()


def test_lint_count_of_failures():
    bad = indicator(
        formula="not has_service_facility",
        aggregate="count",
        unit="个",
        target='{op: "==", value: 0}',
    )
    assert "count-of-failures" in _codes(bad)
    good = indicator(formula="has_service_facility", aggregate="share", unit='"%"',
                     target='{op: ">=", value: 100}')  # fmt: skip
    assert "count-of-failures" not in _codes(good)


def test_lint_dated_target_without_end():
    dated = indicator(target='{op: ">=", value: 30, year: 2022}')
    assert "dated-no-end" in _codes(dated)
    kept = indicator(target='{op: ">=", value: 30, year: 2022}', until="2025")
    assert "dated-no-end" not in _codes(kept)


def test_lint_where_on_ratio_of_sums():
    assert "where-drops-ratio-inputs" in _codes(indicator(where="households > 0"))
    assert "where-drops-ratio-inputs" not in _codes(indicator())
    per_community = indicator(where="households > 0", level="community")
    assert "where-drops-ratio-inputs" not in _codes(per_community)


def test_superseded_by_must_name_an_indicator_and_have_an_end():
    from indicators.plan.load import load_plan_text

    with pytest.raises(PlanError) as exc:
        load_plan_text(plan_text(indicator(superseded_by="nothing_here", until="2022")), "t.yaml")
    assert "nothing_here" in str(exc.value.problems)
    with pytest.raises(PlanError) as exc:
        load_plan_text(plan_text(indicator(superseded_by="x")), "t.yaml")
    assert "until" in str(exc.value.problems)


def test_shipped_plans_are_clean_of_the_three_classes():
    from indicators.plan.lint import lint_file

    for path in PLANS:
        codes = lint_file(path).codes()
        for code in ("count-of-failures", "dated-no-end", "where-drops-ratio-inputs"):
            assert code not in codes, (path.stem, code)


# --- stages and dated targets in the plan format ----------------------------------------------

STAGED = indicator(
    level="community",
    formula="station_staff / households * 200",
    unit="人/200户",
    lever="station_staff",
    milestones=(
        "[{year: 2023, stage: 每300户1名, formula: station_staff / households * 300, "
        'unit: 人/300户, op: ">=", value: 1}]'
    ),
    target='{op: ">=", value: 1, stage: 每200户1名}',
)


def test_stage_formula_must_use_the_lever():
    from indicators.plan.load import load_plan_text

    bad = STAGED.replace("station_staff / households * 300", "community_workers / households * 300")
    with pytest.raises(PlanError) as exc:
        load_plan_text(plan_text(bad), "t.yaml")
    assert "lever" in str(exc.value.problems)


def test_stage_in_force_by_year():
    from indicators.plan.load import load_plan_text

    ind = load_plan_text(plan_text(STAGED), "t.yaml").indicators[0]
    assert ind.for_year(2022).formula.text == "station_staff / households * 300"
    assert ind.for_year(2022).unit == "人/300户"
    assert ind.for_year(2024).formula.text == "station_staff / households * 200"
    assert ind.for_year(None) is ind  # no year: the final standard


def test_dump_loads_back_with_years_stages_and_binding():
    import yaml

    from indicators.plan.dump import plan_data
    from indicators.plan.load import load_plan_text

    dated = indicator(
        id="dated", target='{op: ">=", value: 30, year: 2022}', until="2022",
        superseded_by="x", binding="unstated", **{"from": "2021"}
    )  # fmt: skip
    plan = load_plan_text(plan_text(STAGED + dated), "t.yaml")
    again = load_plan_text(yaml.safe_dump(plan_data(plan), allow_unicode=True), "again.yaml")
    for a, b in zip(plan.indicators, again.indicators, strict=True):
        assert (a.in_from, a.in_until, a.superseded_by, a.binding) == (
            b.in_from, b.in_until, b.superseded_by, b.binding
        )  # fmt: skip
        assert [(m.stage, m.formula and m.formula.text, m.unit) for m in a.milestones] == [
            (m.stage, m.formula and m.formula.text, m.unit) for m in b.milestones
        ]
    assert again.indicators[1].in_force(2022) and not again.indicators[1].in_force(2023)
    assert not again.indicators[1].in_force(2020)

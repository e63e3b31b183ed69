"""Street sheets (issue 16): a street office's own facts, one row per 街道/乡镇, read with the
same header matching as community sheets and judged on the street rows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pytest

from indicators.engine import evaluate
from indicators.engine.results import MET, NOT_COMPUTABLE, NOT_MET
from indicators.plan import load_plan
from indicators.read import read_census

COMMUNITY_HEADER = ["区县", "街道（乡镇）", "社区名称", "户数", "文体团队数"]


def workbook(path: Path, communities: list[list], streets: list[list] | None) -> Path:
    """A census the way a street office might send it: a title row above each table."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "社区基本情况"
    ws.append(["2013年社区基本情况统计表"])
    ws.append(COMMUNITY_HEADER)
    for row in communities:
        ws.append(row)
    if streets is not None:
        st = wb.create_sheet("街道情况")
        st.append(["各街道（乡镇）自有文体团队情况"])
        st.append(["区县", "街道(乡镇)名称", "街道自有文体团队数（个）"])
        for row in streets:
            st.append(row)
        st.append(["合计", "", sum(r[2] for r in streets if isinstance(r[2], int))])
    wb.save(path)
    return path


NEEDED = {"households", "culture_sports_teams", "street_own_culture_sports_teams"}


def read(path: Path, plan):
    return read_census(path, vocabulary=plan.vocabulary, required=NEEDED)


TWELVE = [["崇川区", "和平桥街道", f"社区{i}", 900, 1] for i in range(12)]


def test_street_teams_come_from_the_street_sheet(tmp_path):
    plan = load_plan("nantong-2011-2015")
    rows = [*TWELVE, ["崇川区", "城东街道", "东社区", 800, 2]]
    streets = [["崇川区", "和平桥街道", 6], ["崇川区", "城东街道", 3]]
    census = read(workbook(tmp_path / "c.xlsx", rows, streets), plan)
    assert list(census.streets["street"]) == ["和平桥街道", "城东街道"]  # 合计 row excluded
    read_as = {(c.sheet, c.column): c.field for c in census.columns}
    assert read_as[("街道情况", "B")] == "street"  # `inspect` lists the street sheet too
    assert read_as[("街道情况", "C")] == "street_own_culture_sports_teams"
    r = evaluate(plan, census).get("street_culture_sports_teams")
    by_street = dict(zip(r.groups["street"]["street"], r.groups["street"]["status"], strict=True))
    # 12 communities with one team each do not make the street "exceed" 10: its own 6 count
    assert by_street == {"和平桥街道": MET, "城东街道": NOT_MET}
    values = dict(zip(r.groups["street"]["street"], r.groups["street"]["value"], strict=True))
    assert values == {"和平桥街道": 6.0, "城东街道": 3.0}
    short = r.groups["street"].set_index("street")["shortfall"]
    assert short["城东街道"] == 2.0  # two more teams to reach 5
    assert r.headline.status == NOT_MET and r.headline.units_failing == 1
    assert not r.communities["in_scope"].any()  # no community is judged on a street fact
    assert r.groups["city"]["value"].iloc[0] == 9.0  # the streets' own teams, summed


def test_street_sheet_findings(tmp_path):
    plan = load_plan("nantong-2011-2015")
    rows = [["崇川区", "和平桥街道", "甲社区", 900, 1], ["崇川区", "观音山街道", "乙社区", 900, 1]]
    streets = [["崇川区", "和平桥街道", 6], ["崇川区", "狼山镇", 5]]
    census = read(workbook(tmp_path / "c.xlsx", rows, streets), plan)
    found = {(i.code, i.value) for i in census.issues}
    assert ("street-without-communities", "崇川区 / 狼山镇") in found
    assert ("street-not-on-street-sheet", "崇川区 / 观音山街道") in found
    lonely = next(i for i in census.issues if i.code == "street-without-communities")
    assert lonely.sheet == "街道情况" and lonely.cell == "B4"
    r = evaluate(plan, census).get("street_culture_sports_teams")
    status = dict(zip(r.groups["street"]["street"], r.groups["street"]["status"], strict=True))
    assert status["观音山街道"] == NOT_COMPUTABLE


def test_no_street_sheet_is_a_warning_not_a_wrong_number(tmp_path):
    plan = load_plan("nantong-2011-2015")
    census = read(workbook(tmp_path / "c.xlsx", TWELVE, None), plan)
    missing = [i for i in census.issues if i.code == "street-sheet-missing"]
    assert len(missing) == 1 and missing[0].severity.value == "warning"
    assert not census.errors
    r = evaluate(plan, census).get("street_culture_sports_teams")
    assert r.headline.status == NOT_COMPUTABLE


def test_community_sheet_does_not_take_street_headers(tmp_path):
    """A 自有文体团队数 column on the community sheet is not the street's fact."""
    plan = load_plan("nantong-2011-2015")
    path = tmp_path / "c.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([*COMMUNITY_HEADER, "街道自有文体团队数"])
    ws.append(["崇川区", "和平桥街道", "甲社区", 900, 1, 7])
    wb.save(path)
    census = read(path, plan)
    assert "street_own_culture_sports_teams" not in census.frame.columns
    assert census.streets is None


@pytest.mark.parametrize(
    ("plan_id", "indicator"),
    [
        ("nantong-2011-2015", "street_culture_sports_teams"),
        ("hengshui-2021-2025", "street_social_work_station"),
        ("hengshui-2021-2025", "street_civilization_practice_institute"),
    ],
)
def test_sample_street_sheet(plan_id, indicator):
    from indicators.run.pipeline import ReadOptions, check_file

    samples = Path(__file__).resolve().parents[2] / "sample_data"
    plan = load_plan(plan_id)
    outcome = check_file(plan, samples / f"{plan_id}.xlsx", ReadOptions())
    assert outcome.census.streets is not None and len(outcome.census.streets) > 1
    r = outcome.results.get(indicator)
    assert set(r.groups["street"]["status"]) <= {MET, NOT_MET, NOT_COMPUTABLE}
    assert (r.groups["street"]["status"] != NOT_COMPUTABLE).any()


def test_template_street_sheet_round_trip(tmp_path):
    """The template writes the street sheet when the plan needs it; filled in, it reads back."""
    from indicators.report.template import STREET_SHEET, write_template

    plan = load_plan("nantong-2011-2015")
    path = tmp_path / "t.xlsx"
    write_template(plan, path, rows=5)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:2] == ["社区基本情况", STREET_SHEET]
    main, streets = wb["社区基本情况"], wb[STREET_SHEET]
    heads = [c.value for c in main[1]]
    assert not any("自有" in str(h) for h in heads)  # the street's fact is not a community column
    for ws in (main, streets):
        ws.protection.sheet = False
    main.cell(2, 1, "崇川区")
    main.cell(2, 2, "和平桥街道")
    main.cell(2, 3, "甲社区")
    streets.cell(2, 1, "崇川区")
    streets.cell(2, 2, "和平桥街道")
    streets.cell(2, 3, 12)
    wb.save(path)
    census = read_census(path, vocabulary=plan.vocabulary)
    assert census.streets is not None
    assert census.streets["street_own_culture_sports_teams"].tolist() == [12.0]
    r = evaluate(plan, census).get("street_culture_sports_teams")
    assert r.groups["street"]["status"].tolist() == [NOT_MET]  # 12 is above the 5-10 band


def test_plan_without_street_facts_writes_no_street_sheet(tmp_path):
    from indicators.report.template import STREET_SHEET, write_template

    path = tmp_path / "t.xlsx"
    write_template(load_plan("yantai-2020"), path, rows=5)
    assert STREET_SHEET not in openpyxl.load_workbook(path).sheetnames


def test_street_station_share_by_district(tmp_path):
    """Hengshui: every street must have its own social-work station; a district reports the
    share of its streets that have one."""
    plan = load_plan("hengshui-2021-2025")
    path = tmp_path / "h.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["县市区", "乡镇（街道）", "村（社区）名称", "户数"])
    for district, street in [("桃城区", "河东街道"), ("桃城区", "河西街道"), ("冀州区", "冀州镇")]:
        ws.append([district, street, f"{street}一社区", 900])
    st = wb.create_sheet("乡镇街道")
    st.append(["县市区", "乡镇(街道)", "社会工作服务站", "新时代文明实践所"])
    st.append(["桃城区", "河东街道", "有", "有"])
    st.append(["桃城区", "河西街道", "无", "有"])
    st.append(["冀州区", "冀州镇", "有", "有"])
    wb.save(path)
    census = read_census(path, vocabulary=plan.vocabulary)
    results = evaluate(plan, census)
    r = results.get("street_social_work_station")
    assert r.groups["street"].set_index("street")["status"].to_dict() == {
        "河东街道": MET, "河西街道": NOT_MET, "冀州镇": MET
    }  # fmt: skip
    districts = r.groups["district"].set_index("district")["value"].to_dict()
    assert districts == {"冀州区": 100.0, "桃城区": 50.0}
    assert r.headline.status == NOT_MET and r.headline.units_failing == 1
    assert results.get("street_civilization_practice_institute").headline.status == MET


def test_street_sheet_without_district_column_and_a_duplicate(tmp_path):
    plan = load_plan("nantong-2011-2015")
    path = tmp_path / "c.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(COMMUNITY_HEADER)
    ws.append(["崇川区", "和平桥街道", "甲社区", 900, 1])
    ws.append(["崇川区", "城东街道", "乙社区", 900, 1])
    st = wb.create_sheet("街道")
    st.append(["街道名称", "自有文体团队数"])
    st.append(["和平桥街道", 7])
    st.append(["城东街道", 6])
    st.append(["城东街道", 2])  # typed twice: which one is right is not ours to guess
    wb.save(path)
    census = read(path, plan)
    dup = [i for i in census.issues if i.code == "duplicate-street"]
    assert len(dup) == 1 and dup[0].cell == "A4" and dup[0].sheet == "街道"
    r = evaluate(plan, census).get("street_culture_sports_teams")
    values = r.groups["street"].set_index("street")["value"]
    assert values["和平桥街道"] == 7.0  # matched by name: the sheet has no district column
    assert np.isnan(values["城东街道"])


@pytest.mark.parametrize(
    ("keys", "words"),
    [
        ({"formula": "street_own_culture_sports_teams + households"}, "mixes"),
        ({"formula": "street_own_culture_sports_teams", "level": "community"}, "level street"),
    ],
)
def test_street_fields_are_not_mixed_with_community_rows(keys, words):
    from tests.plan.plantext import indicator, plan_text

    from indicators.model.errors import PlanError
    from indicators.plan.load import load_plan_text

    text = plan_text(indicator(unit="个", target='{op: ">=", value: 5}', **keys))
    with pytest.raises(PlanError) as exc:
        load_plan_text(text, "t.yaml")
    assert words in str(exc.value.problems)

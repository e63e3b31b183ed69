"""The gap workbook, opened with openpyxl as a reader would see it; figures worked by hand in
report_samples.py."""

from __future__ import annotations

import openpyxl
import pytest
from report_samples import INJECTION, hengshui_results, small_results

from indicators.report.workbook import write_workbook

ZH_SHEETS = [
    "汇总",
    "记分卡",
    "社区明细",
    "街道汇总",
    "区县汇总",
    "缺口清单",
    "数据问题",
    "未评估指标",
    "说明",
]
EN_SHEETS = [
    "Summary",
    "Scorecard",
    "Communities",
    "Streets",
    "Districts",
    "Shortfalls",
    "Data issues",
    "Not assessed",
    "About",
]


@pytest.fixture(scope="module")
def hengshui_book(tmp_path_factory):
    path = tmp_path_factory.mktemp("wb") / "gaps.xlsx"
    write_workbook(hengshui_results(), path, "zh")
    return openpyxl.load_workbook(path)


def rows_of(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def summary_row(ws, name):
    for row in ws.iter_rows(min_row=7):
        if row[1].value == name:
            return row
    raise AssertionError(name)


def test_sheet_names_and_summary_header(hengshui_book):
    assert hengshui_book.sheetnames == ZH_SHEETS
    ws = hengshui_book["汇总"]
    assert ws["A1"].value == "衡水市城乡社区服务体系建设“十四五”规划 指标差距报告"
    assert "衡政办字〔2022〕28号" in ws["A2"].value and "hengshui-sample.xlsx" in ws["A2"].value
    header = [c.value for c in ws[6]]
    # the other language's name is the last column: it would triple every row's height
    assert header[:3] == ["序号", "指标", "考核层级"] and header[-1] == "指标（英文）"
    assert "补齐所需" in header and "出处" in header and "状态" in header
    assert ws.freeze_panes == "C7"
    assert ws.auto_filter.ref.startswith("A6")
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToHeight == 0  # one page wide, as many pages tall as needed
    assert ws.print_title_rows == "$6:$6"


def test_summary_figures_match_hand_work(hengshui_book):
    ws = hengshui_book["汇总"]
    header = [c.value for c in ws[6]]
    col = {h: i for i, h in enumerate(header)}
    area = summary_row(ws, "每百户居民拥有社区综合服务设施面积")
    # (264 + 300 + 350) / 3000 * 100 = 30.47 >= 30: met at city level
    assert area[col["现状"]].value == pytest.approx(914 / 3000 * 100)
    assert area[col["状态"]].value == "达标"
    assert area[col["状态"]].fill.fgColor.rgb.endswith("C6EFCE")
    assert area[col["未达标/范围内"]].value == "1/3"
    assert "平方米/百户" in area[col["现状"]].number_format
    workers = summary_row(ws, "每万名城镇常住人口拥有社区工作者")
    # 15 / 9000 * 10000 = 16.67 < 18; 18 * 0.9 = 16.2 workers needed -> 2 more
    assert workers[col["现状"]].value == pytest.approx(15 / 9000 * 10000)
    assert workers[col["差距"]].value == pytest.approx(15 / 9000 * 10000 - 18)
    assert workers[col["状态"]].value == "未达标"
    assert workers[col["状态"]].fill.fgColor.rgb.endswith("FFC7CE")
    assert workers[col["补齐所需"]].value == "需增加社区工作者人数 2人"
    rural = summary_row(ws, "农村社区综合服务设施覆盖率")
    assert rural[col["现状"]].value == pytest.approx(50.0)
    assert rural[col["现状"]].number_format == '0.0"%"'
    assert rural[col["补齐所需"]].value == "还需 1 个社区具备综合服务设施"


def test_communities_sheet_row_and_injection(hengshui_book):
    ws = hengshui_book["社区明细"]
    assert ws.freeze_panes == "D3"
    assert ws.auto_filter.ref.startswith("A2")
    sub = [c.value for c in ws[2]]
    assert sub[:4] == ["区县", "街道/乡镇", "社区/村", "类型"]
    assert sub[4:8] == ["数值", "目标", "差距", "状态"]
    groups = [c.value for c in ws[1]]
    start = groups.index("每百户居民拥有社区综合服务设施面积（平方米/百户）")
    row = ws[3]
    assert row[2].value == INJECTION and row[2].data_type == "s"
    assert row[start].value == pytest.approx(22.0)  # 264 / 1200 * 100
    assert row[start + 1].value == "≥ 30 平方米/百户"
    assert row[start + 2].value == pytest.approx(-8.0)
    assert row[start + 3].value == "未达标"
    assert row[start + 3].fill.fgColor.rgb.endswith("FFC7CE")
    assert ws[4][2].value == "+1+1" and ws[4][2].data_type == "s"
    # rural communities are out of scope for an urban indicator: marked, not blank-unexplained
    assert ws[6][start + 3].value == "不适用"
    # a not-computable cell says why: 新华社区 has no building_area
    share = groups.index("社区商业和综合服务设施面积占社区总建筑面积比例（%）")
    assert ws[5][share + 3].value.startswith("无法计算")
    assert ws[5][share + 3].fill.fgColor.rgb.endswith("FFEB9C")
    # percentages show as %, yes/no conditions as words while staying numeric
    assert ws[3][share].number_format == '0.0"%"'
    cov = groups.index("城市社区综合服务设施覆盖率（%）")
    assert ws[3][cov].value == 1 and "是" in ws[3][cov].number_format


def test_streets_and_districts(hengshui_book):
    ws = hengshui_book["街道汇总"]
    groups = [c.value for c in ws[1]]
    sub = [c.value for c in ws[2]]
    start = groups.index("每百户居民拥有社区综合服务设施面积（平方米/百户）")
    assert sub[start] == "数值：总量比值（先加总再相除）"
    assert sub[start + 4] == "缺口（平方米）"
    streets = {(r[0], r[1]): r for r in rows_of(ws)[2:]}
    hedong = streets[("桃城区", "河东街道")]
    # (264 + 300) / 2000 * 100 = 28.2; needs 600 - 564 = 36 m²
    assert hedong[start] == pytest.approx(28.2)
    assert hedong[start + 2] == "未达标"
    assert hedong[start + 3] == pytest.approx(50.0)  # 1 of 2 communities meet 30 on their own
    assert hedong[start + 4] == pytest.approx(36.0)
    wd = hengshui_book["区县汇总"]
    last = rows_of(wd)[-1]
    assert last[0] == "全市"
    assert last[1 + 0] is not None


def test_shortfalls_in_natural_units(hengshui_book):
    ws = hengshui_book["缺口清单"]
    header = [c.value for c in ws[1]]
    col = {h: i for i, h in enumerate(header)}
    assert ws.freeze_panes == "B2"
    rows = rows_of(ws)[1:]
    area = [r for r in rows if r[col["指标"]] == "每百户居民拥有社区综合服务设施面积"]
    community = next(r for r in area if r[col["社区/村"]] == INJECTION)
    assert community[col["缺口"]] == pytest.approx(96.0)  # 30 * 1200 / 100 - 264
    assert community[col["补齐所需"]] == "需增加社区综合服务设施面积 96平方米"
    street = next(r for r in area if r[col["层级" if "层级" in col else "考核层级"]] == "街道")
    assert street[col["缺口"]] == pytest.approx(36.0)
    assert street[col["各社区缺口合计"]] == pytest.approx(96.0)  # summed over the street
    workers = [r for r in rows if r[col["指标"]] == "每万名城镇常住人口拥有社区工作者"]
    xinhua = next(r for r in workers if r[col["社区/村"]] == "新华社区")
    assert xinhua[col["缺口"]] == 2  # 18 * 0.3 = 5.4 -> 6 workers, has 4
    assert xinhua[col["补齐所需"]] == "需增加社区工作者人数 2人"


def test_about_and_not_assessed(hengshui_book):
    about = {r[0]: r[1] for r in rows_of(hengshui_book["说明"]) if r[0]}
    assert about["计划代码"] == "hengshui-2021-2025"
    assert about["文号"] == "衡政办字〔2022〕28号"
    assert about["普查数据文件"] == "hengshui-sample.xlsx"
    assert about["生成工具"].startswith("indicators ")
    assert about["语言"] == "中文 (zh)"
    assert "加总" in about["总量比值（先加总再相除）"]
    na = rows_of(hengshui_book["未评估指标"])
    # English names only as the last column of a Chinese report (issue 18 item 4)
    assert na[1][:3] == ["序号", "指标", "考核层级"]
    assert na[1][-1] == "指标（英文）"
    hub = next(r for r in na[2:] if r[1] == "社会组织孵化基地覆盖率")
    assert all(not _latin(v) for v in hub[:3]) and _latin(hub[-1])


def _latin(value) -> bool:
    """A text cell mostly in Latin letters (an English name)."""
    text = str(value or "")
    return sum(c.isascii() and c.isalpha() for c in text) > len(text) / 2


def test_english_labels(tmp_path):
    path = tmp_path / "gaps.xlsx"
    write_workbook(hengshui_results(), path, "en")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == EN_SHEETS
    header = [c.value for c in wb["Summary"][6]]
    assert header[1] == "Indicator" and "What it takes" in header
    rows = rows_of(wb["Shortfalls"])
    col = {h: i for i, h in enumerate(rows[0])}
    hit = next(
        r
        for r in rows[1:]
        if r[col["Community"]] == INJECTION and r[col["Shortfall"]] == pytest.approx(96.0)
    )
    assert hit[col["What it takes"]] == "needs +96 m² of community service facility floor area"
    assert wb["Communities"][2][4].value == "Value"


def test_small_plan_range_and_share(tmp_path):
    path = tmp_path / "small.xlsx"
    write_workbook(small_results(), path, "zh")
    wb = openpyxl.load_workbook(path)
    rows = rows_of(wb["缺口清单"])
    col = {h: i for i, h in enumerate(rows[0])}
    members = {r[col["社区/村"]]: r for r in rows[1:] if r[col["指标"]] == "居委会成员数"}
    assert members["c2"][col["缺口"]] == 2  # 3 members, range 5-9
    assert members["c2"][col["补齐所需"]] == "需增加居（村）委会成员数 2人"
    assert members["c3"][col["补齐所需"]] == "需减少居（村）委会成员数 3人"
    assert members["c3"][col["缺口"]] == -3  # 12 members, at most 9
    cov_city = next(
        r for r in rows[1:] if r[col["指标"]] == "农村覆盖率" and r[col["考核层级"]] == "全市"
    )
    assert cov_city[col["缺口"]] == 1  # 2 of 3 = 66.7% -> ceil(2.4) - 2 = 1 community
    assert cov_city[col["单位"]] == "个社区"
    assert rows_of(wb["数据问题"])[0][0] == "未发现数据问题。"


def test_national_layout_is_compact_and_says_so(tmp_path, monkeypatch):
    """Above the national size the Communities sheet has value + status per indicator and
    Shortfalls keeps the largest community rows per indicator; About and the sheet say so."""
    import indicators.report.workbook as workbook

    monkeypatch.setattr(workbook, "SHORTFALLS_PER_INDICATOR", 1)
    path = tmp_path / "gaps.xlsx"
    write_workbook(hengshui_results(), path, "en", national_from=1)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == EN_SHEETS
    ws = wb["Communities"]
    sub = [c.value for c in ws[2]]
    assert sub[4:8] == ["Value", "Status", "Value", "Status"]
    groups = [c.value for c in ws[1]]
    assert any(g and "Target" in g for g in groups[4:])
    assert ws[3][2].value == INJECTION and ws[3][2].data_type == "s"
    rows = rows_of(wb["Shortfalls"])
    assert "largest community shortfalls" in rows[0][0]
    col = {h: i for i, h in enumerate(rows[1])}
    communities = [r for r in rows[2:] if r[col["Community"]]]
    per_indicator = {}
    for r in communities:
        per_indicator[r[col["Indicator"]]] = per_indicator.get(r[col["Indicator"]], 0) + 1
    assert communities and set(per_indicator.values()) == {1}
    about = " ".join(str(v) for r in rows_of(wb["About"]) for v in r if v)
    assert "national size" in about and "largest community shortfalls" in about


def test_time_stamps_are_local_with_the_offset(monkeypatch):
    import time
    from datetime import datetime, timezone

    from indicators.report.text import local_time

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        moment = datetime(2026, 11, 29, 2, 42, tzinfo=timezone.utc)
        assert local_time(moment) == "2026-11-29 10:42 (UTC+08:00)"
    finally:
        monkeypatch.undo()
        time.tzset()

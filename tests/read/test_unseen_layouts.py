"""Census workbooks in layouts the other reader tests do not build, as street offices send them.

Each test builds one submission (title block, 序号 column, merged identity cells, 其中 groups,
unit rows, units typed in cells, totals at the top, per-street sheets, GBK CSV, WPS .xls ...)
and checks the frame values, the excluded rows and the issues with their cells. Where a layout
cannot be read with confidence the reader must say so (an issue or a DataError), never return a
wrong number quietly.
"""

from __future__ import annotations

import datetime as dt
import math
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from openpyxl.styles import Alignment

from indicators.model.errors import DataError

from .unseen import HERE, book, column, found, read

BASE = ["区县", "街道", "社区", "户数", "常住人口"]


# 1 -----------------------------------------------------------------------------------------
def test_title_block_serial_column_and_table_starting_at_b5(tmp_path: Path) -> None:
    rows = [
        [None, "衡水市桃城区\n2023年度城乡社区基本情况统计表"],
        [None, "（截至2023年12月31日）"],
        [None, "填报单位（盖章）：河西街道办事处", None, None, None, "填报日期：2024年1月5日"],
        [],
        [None, "序号", "区县", "街道", "社区（村）名称", "户数", "常住人口", "备注"],
        [None, 1, "桃城区", "河西街道", "新华社区", 1520, 4310, None],
        [None, 2, "桃城区", "河西街道", "育才社区", 1388, 3902, "新建小区未入住"],
        [None, 3, "桃城区", "河西街道", "大庆村", 402, 1210, "租用民房"],
        [None, 4, "桃城区", "河西街道", "光明村", "三百", 980, None],
        [None, "填表人：王芳", None, None, "联系电话：0318-2222222"],
    ]
    _, path = book(tmp_path / "title.xlsx", {"Sheet1": rows}, {"Sheet1": ["B1:H1", "B2:H2"]})
    census = read(path, required={"households", "population"})
    assert column(census, "community") == ["新华社区", "育才社区", "大庆村", "光明村"]
    assert column(census, "households")[:3] == [1520.0, 1388.0, 402.0]
    assert math.isnan(column(census, "households")[3])
    assert column(census, "population") == [4310.0, 3902.0, 1210.0, 980.0]
    assert found(census, "error") == {("not-a-number", "Sheet1!F9")}
    assert [(e.row, e.kind) for e in census.excluded_rows] == [(10, "note")]
    ignored = {(i.cell, i.header) for i in census.issues if i.code == "column-ignored"}
    assert ignored == {("B5", "序号"), ("H5", "备注")}
    assert census.locate(1, "population") == ("Sheet1", "G7")


# 2 -----------------------------------------------------------------------------------------
def test_district_and_street_merged_down_many_rows(tmp_path: Path) -> None:
    names = ["城关社区", "东关社区", "西关社区", "北关村", "王谦寺村", "前屯村", "后屯村", "李庄村"]
    rows = [BASE]
    for k, name in enumerate(names):
        district = "景县" if k == 0 else None
        street = "景州镇" if k == 0 else ("王谦寺镇" if k == 4 else None)
        rows.append([district, street, name, 100 + k, 300 + k])
    merges = ["A2:A9", "B2:B5", "B6:B9"]
    _, path = book(tmp_path / "merged.xlsx", {"景县": rows}, {"景县": merges})
    census = read(path)
    assert column(census, "district") == ["景县"] * 8
    assert column(census, "street") == ["景州镇"] * 4 + ["王谦寺镇"] * 4
    assert census.errors == []
    assert ("filled-down", "景县!A3") in found(census, "info")


# 3 -----------------------------------------------------------------------------------------
def test_qizhong_sub_columns_under_a_group(tmp_path: Path) -> None:
    rows = [
        ["区县", "街道", "社区", "户数", "常住人口", None, "社区工作者", None],
        [None, None, None, None, "合计", "其中：城镇常住人口", "人数", "其中：女性"],
        ["冀州区", "冀州镇", "城北社区", 900, 2700, 2600, 9, 6],
        ["冀州区", "冀州镇", "南午村", 400, 1300, 0, 5, 2],
    ]
    merges = ["A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:F1", "G1:H1"]
    _, path = book(tmp_path / "qizhong.xlsx", {"表1": rows}, {"表1": merges})
    census = read(path, required={"population", "urban_population", "community_workers"})
    assert column(census, "population") == [2700.0, 1300.0]
    assert column(census, "urban_population") == [2600.0, 0.0]
    assert column(census, "community_workers") == [9.0, 5.0]
    assert census.errors == []
    ignored = [i.header for i in census.issues if i.code == "column-ignored"]
    assert ignored == ["社区工作者 / 其中：女性"]


def test_community_type_as_tick_columns_is_not_guessed(tmp_path: Path) -> None:
    """城市社区/农村社区 as two √ sub-columns under 社区类型: read it, or say it cannot be."""
    rows = [
        ["街道", "社区", "社区类型", None, "户数"],
        [None, None, "城市社区", "农村社区", None],
        ["冀州镇", "城北社区", "√", None, 900],
        ["冀州镇", "南午村", None, "√", 400],
    ]
    merges = ["A1:A2", "B1:B2", "C1:D1", "E1:E2"]
    _, path = book(tmp_path / "ticks.xlsx", {"表1": rows}, {"表1": merges})
    census = read(path)
    assert column(census, "households") == [900.0, 400.0]
    types = census.frame["community_type"]
    if types.notna().all() and types.tolist() == ["urban", "rural"]:
        return
    # not read: both tick columns are listed as not used and no type is invented
    assert types.isna().all()
    not_used = {"column-ignored", "column-suggestion"}
    ignored = {i.cell for i in census.issues if i.code in not_used}
    assert {"C2", "D2"} <= ignored


# 4 -----------------------------------------------------------------------------------------
def test_units_in_their_own_row_under_the_header(tmp_path: Path) -> None:
    rows = [
        ["2023年社区基本情况表"],
        ["区县", "街道", "社区", "户数", "常住人口", "社区综合服务设施面积", "备注"],
        [None, None, None, "单位：户", "万人", "（平方米）", None],
        ["阜城县", "古城镇", "古城村", 612, 0.18, 300, None],
        ["阜城县", "古城镇", "码头村", 420, "0.125", 180.5, None],
    ]
    _, path = book(tmp_path / "units.xlsx", {"Sheet1": rows})
    census = read(path, required={"households", "population", "facility_area"})
    assert column(census, "households") == [612.0, 420.0]
    assert column(census, "population") == pytest.approx([1800.0, 1250.0])
    assert column(census, "facility_area") == [300.0, 180.5]
    assert census.errors == []
    scaled = {(c.field, c.unit, c.scale) for c in census.columns if c.field == "population"}
    assert scaled == {("population", "万人", 10000.0)}
    assert not census.excluded_rows


# 5 -----------------------------------------------------------------------------------------
def test_units_typed_into_the_cells(tmp_path: Path) -> None:
    rows = [
        ["街道", "社区", "户数", "常住人口", "社区综合服务设施面积"],
        ["桃城街道", "永兴社区", "1200户", "3650人", "350㎡"],
        ["桃城街道", "中华社区", "1.2万", "3.1万人", "0.04万平方米"],
        ["桃城街道", "胜利社区", "约800户", "1200户", "350平米"],
    ]
    _, path = book(tmp_path / "typed.xlsx", {"数据": rows})
    census = read(path)
    assert column(census, "households")[:2] == [1200.0, 12000.0]
    assert column(census, "population")[:2] == [3650.0, 31000.0]
    assert column(census, "facility_area") == pytest.approx([350.0, 400.0, 350.0])
    # "约800户" is an estimate and "1200户" is not a number of people: both are errors
    assert found(census, "error") == {("not-a-number", "数据!C4"), ("not-a-number", "数据!D4")}


# 6 -----------------------------------------------------------------------------------------
def test_total_at_the_top_written_in_the_community_column(tmp_path: Path) -> None:
    rows = [
        ["序号", *BASE],
        [None, None, None, "合计", 3000, 8000],
        [1, "枣强县", "枣强镇", "东街社区", 1000, 3000],
        [2, "枣强县", "枣强镇", "西街社区", 900, 2500],
        [3, "枣强县", "枣强镇", "南街社区", 1000, 2500],
    ]
    _, path = book(tmp_path / "top.xlsx", {"汇总表": rows})
    census = read(path)
    assert column(census, "community") == ["东街社区", "西街社区", "南街社区"]
    assert [(e.row, e.kind) for e in census.excluded_rows] == [(2, "total")]
    mismatch = [i for i in census.issues if i.code == "total-mismatch"]
    assert [(i.cell, i.value, i.expected) for i in mismatch] == [("E2", "3000", "2,900")]


# 7 -----------------------------------------------------------------------------------------
def test_subtotals_named_after_the_street_in_the_community_column(tmp_path: Path) -> None:
    rows = [
        ["序号", "街道", "社区", "户数", "常住人口"],
        [1, "河东街道", "新兴社区", 500, 1500],
        [2, "河东街道", "振华社区", 600, 1600],
        [None, None, "河东街道小计", 1100, 3100],
        [3, "河西街道", "建设社区", 700, 2000],
        ["小计", None, "河西街道", 700, 2100],
        [None, None, "合  计", 1800, 5200],
    ]
    _, path = book(tmp_path / "sub.xlsx", {"Sheet1": rows})
    census = read(path)
    assert column(census, "community") == ["新兴社区", "振华社区", "建设社区"]
    assert [(e.row, e.kind) for e in census.excluded_rows] == [
        (4, "subtotal"),
        (6, "subtotal"),
        (7, "total"),
    ]
    mismatch = {(i.cell, i.expected) for i in census.issues if i.code == "total-mismatch"}
    assert mismatch == {("E6", "2,000"), ("E7", "5,100")}


# 8 -----------------------------------------------------------------------------------------
def test_blank_rows_inside_the_data_and_hidden_rows_and_columns(tmp_path: Path) -> None:
    rows = [
        [*BASE, "旧户数"],
        ["武邑县", "武邑镇", "东关社区", 800, 2400, 790],
        [],
        ["武邑县", "武邑镇", "西关社区", 700, 2100, 690],
        ["武邑县", "武邑镇", "撤并村", 10, 30, 10],
        [None, None, "   "],
        ["武邑县", "龙店乡", "龙店村", 300, 900, 310],
    ]
    wb, path = book(tmp_path / "hidden.xlsx", {"Sheet1": rows})
    ws = wb["Sheet1"]
    ws.row_dimensions[5].hidden = True
    ws.column_dimensions["F"].hidden = True  # not a field: nothing to say
    ws.column_dimensions["E"].hidden = True  # 常住人口: read, with a warning
    wb.save(path)
    census = read(path)
    # a hidden row is still a row of the table: it is read, and the planner is told
    assert column(census, "community") == ["东关社区", "西关社区", "撤并村", "龙店村"]
    assert [(e.row, e.kind) for e in census.excluded_rows] == [(3, "blank"), (6, "blank")]
    assert found(census, "warning") == {("hidden-row", "Sheet1!5"), ("hidden-column", "Sheet1!E1")}
    assert column(census, "population") == [2400.0, 2100.0, 30.0, 900.0]
    assert census.errors == []


# 9 -----------------------------------------------------------------------------------------
def test_remarks_column_with_free_text(tmp_path: Path) -> None:
    rows = [
        ["街道", "社区", "户数", "常住人口", "备注（说明情况）"],
        ["安平镇", "北关村", 450, 1400, "注：2023年与南关村合并，合计人口含原南关村"],
        ["安平镇", "东关村", 380, 1100, "小计数据见附表"],
        ["安平镇", "西关村", 390, 1200, "1. 无综合服务设施"],
        [None, None, None, None, "以上数据经街道审核"],
    ]
    _, path = book(tmp_path / "remarks.xlsx", {"Sheet1": rows})
    census = read(path)
    assert column(census, "community") == ["北关村", "东关村", "西关村"]
    assert column(census, "households") == [450.0, 380.0, 390.0]
    assert [(e.row, e.kind) for e in census.excluded_rows] == [(5, "note")]
    assert census.errors == []


# 10 ----------------------------------------------------------------------------------------
def test_percent_and_open_hours_in_count_fields(tmp_path: Path) -> None:
    """A percent typed where a count is expected is an error, not 0.8 of a household."""
    rows = [
        ["街道", "社区", "户数", "综合服务设施每天开放时间"],
        ["饶阳镇", "东关村", "80%", "8小时"],
        ["饶阳镇", "西关村", 300, "8:00-17:00"],
        ["饶阳镇", "南关村", 310, 9.5],
    ]
    _, path = book(tmp_path / "pct.xlsx", {"Sheet1": rows})
    census = read(path)
    assert column(census, "facility_open_hours")[0] == 8.0
    assert column(census, "facility_open_hours")[2] == 9.5
    assert math.isnan(column(census, "households")[0])
    assert found(census, "error") == {("not-a-number", "Sheet1!C2"), ("not-a-number", "Sheet1!D3")}


# 11 ----------------------------------------------------------------------------------------
def test_yes_no_in_every_local_spelling(tmp_path: Path) -> None:
    rows = [
        [
            "社区",
            "是否有综合服务设施",
            "是否通宽带",
            "是否通5G",
            "是否建立志愿服务站点",
            "是否有社区居家养老服务设施",
        ],
        ["甲社区", "是", "有", "√", 1, "已建成"],
        ["乙社区", "否", "无", None, 0, "未建"],
        ["丙村", "是", "有", "√", 1, "未建成"],
        ["丁村", "否", "有", None, 1, "已建"],
    ]
    _, path = book(tmp_path / "yesno.xlsx", {"Sheet1": rows})
    census = read(path)
    assert column(census, "has_service_facility") == [1.0, 0.0, 1.0, 0.0]
    assert column(census, "has_broadband") == [1.0, 0.0, 1.0, 1.0]
    assert column(census, "has_volunteer_service_point") == [1.0, 0.0, 1.0, 1.0]
    assert column(census, "has_home_elderly_care_facility") == [1.0, 0.0, 0.0, 1.0]
    # a column of ticks: a blank cell means "no", and the reader says it read it so
    assert column(census, "has_5g") == [1.0, 0.0, 1.0, 0.0]
    assert ("blank-as-no", "Sheet1!D1") in found(census, "info")
    assert census.errors == []
    assert not [i for i in census.issues if i.code == "missing-value"]


def test_blank_in_a_yes_no_column_that_is_not_ticks_stays_missing(tmp_path: Path) -> None:
    rows = [["社区", "是否通宽带"], ["甲社区", "是"], ["乙社区", None], ["丙村", "否"]]
    _, path = book(tmp_path / "yesno2.xlsx", {"Sheet1": rows})
    census = read(path)
    assert math.isnan(column(census, "has_broadband")[1])
    assert ("missing-value", "Sheet1!B3") in found(census, "warning")


# 12 ----------------------------------------------------------------------------------------
def test_header_words_split_over_two_rows_without_merges(tmp_path: Path) -> None:
    rows = [
        ["区县", "街道", "社区", "居民", "常住", "综合服务设施", "是否有综合"],
        [None, None, "名称", "户数", "人口", "面积（㎡）", "服务设施"],
        ["深州市", "唐奉镇", "唐奉村", 700, 2100, 260, "是"],
        ["深州市", "唐奉镇", "马庄村", 300, 950, 0, "否"],
    ]
    _, path = book(tmp_path / "split.xlsx", {"Sheet1": rows})
    census = read(path, required={"households", "population", "facility_area"})
    assert column(census, "households") == [700.0, 300.0]
    assert column(census, "population") == [2100.0, 950.0]
    assert column(census, "facility_area") == [260.0, 0.0]
    assert column(census, "has_service_facility") == [1.0, 0.0]
    assert column(census, "community") == ["唐奉村", "马庄村"]
    assert census.errors == []


# 13 ----------------------------------------------------------------------------------------
def test_header_repeated_after_a_printed_page_break(tmp_path: Path) -> None:
    title = ["故城县社区基本情况统计表"]
    group = ["区县", "街道", "社区", "基本情况", None, "服务设施"]
    sub = [None, None, None, "户数（户）", "常住人口（人）", "面积（平方米）"]
    rows = [
        title,
        group,
        sub,
        ["故城县", "郑口镇", "郑口一村", 500, 1500, 200],
        ["故城县", "郑口镇", "郑口二村", 510, 1510, 210],
        ["第 1 页，共 2 页"],
        ["故城县社区基本情况统计表（续）"],
        group,
        sub,
        ["故城县", "郑口镇", "郑口三村", 520, 1520, 220],
        ["第 2 页，共 2 页"],
    ]
    merges = ["A1:F1", "A2:A3", "B2:B3", "C2:C3", "D2:E2", "A7:F7", "A8:A9", "B8:B9"]
    merges += ["C8:C9", "D8:E8"]
    _, path = book(tmp_path / "pages.xlsx", {"Sheet1": rows}, {"Sheet1": merges})
    census = read(path)
    assert column(census, "community") == ["郑口一村", "郑口二村", "郑口三村"]
    assert column(census, "facility_area") == [200.0, 210.0, 220.0]
    assert census.errors == []
    kinds = [(e.row, e.kind) for e in census.excluded_rows]
    assert kinds == [(6, "note"), (7, "note"), (8, "header"), (9, "header"), (11, "note")]


# 14 ----------------------------------------------------------------------------------------
def test_one_sheet_per_street_plus_a_summary_sheet(tmp_path: Path) -> None:
    head = ["社区", "户数", "常住人口"]
    sheets = {
        "汇总": [
            ["街道", "社区（个）", "户数", "常住人口"],
            ["河东街道", 2, 1100, 3100],
            ["河西街道", 1, 700, 2000],
            ["合计", 3, 1800, 5100],
        ],
        "河东街道": [head, ["新兴社区", 500, 1500], ["振华社区", 600, 1600]],
        "河西街道": [head, ["建设社区", 700, 2000], ["合计", 700, 2000]],
    }
    _, path = book(tmp_path / "streets.xlsx", sheets)
    census = read(path)
    assert column(census, "community") == ["新兴社区", "振华社区", "建设社区"]
    assert column(census, "street") == ["河东街道", "河东街道", "河西街道"]
    assert column(census, "district") == ["", "", ""]
    assert census.source.sheets == ("河东街道", "河西街道")
    assert ("sheet-skipped", "汇总") in found(census, "info")
    assert census.errors == []


# 15 ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("sep", [";", "\t"])
def test_gbk_csv_with_title_line_and_semicolons_or_tabs(tmp_path: Path, sep: str) -> None:
    lines = [
        ["衡水市武强县社区情况（导出）"],
        ["区县", "街道", "社区名称", "户数", "常住人口", "社区综合服务设施面积（平方米）"],
        ["武强县", "武强镇", "东街村", "1,200", "3,600", "450.5"],
        ["武强县", "武强镇", "西街村", "980", "2,950", "300"],
        ["武强县", "街关镇", "街关村", "1,050", "3,100", "—"],
    ]
    path = tmp_path / "export.csv"
    path.write_bytes("\r\n".join(sep.join(r) for r in lines).encode("gbk"))
    census = read(path)
    assert census.source.encoding == "gb18030"
    assert column(census, "community") == ["东街村", "西街村", "街关村"]
    assert column(census, "households") == [1200.0, 980.0, 1050.0]
    assert column(census, "population") == [3600.0, 2950.0, 3100.0]
    assert found(census, "warning") == {("missing-value", "F5")}
    assert census.errors == []


# 16 ----------------------------------------------------------------------------------------
XLS = HERE / "wps_saved.xls"


def build_wps_source(path: Path) -> Path:
    """The .xlsx that LibreOffice turns into wps_saved.xls (see make_xls below)."""
    rows = [
        ["2023年冀州区社区（村）基本情况统计表"],
        ["填报单位：冀州区民政局", None, None, None, None, "日期：2024.1"],
        ["序号", "县（市、区）", "乡镇（街道）", "村（社区）名称", "户数", "常住人口", "建成年份"],
        [1, "冀州区", "冀州镇", "城北社区", 900, 2700, dt.datetime(2019, 6, 1)],
        [2, None, None, "城南社区", "1,100", "3,300", "2020年"],
        [3, None, "周村镇", "周村", 500, 1500, 2018],
        [None, None, "小计", None, 2500, 7500, None],
    ]
    wb, _ = book(path, {"冀州区": rows}, {"冀州区": ["A1:G1", "B4:B6", "C4:C5"]})
    wb["冀州区"]["A1"].alignment = Alignment(wrap_text=True)
    wb["冀州区"]["G4"].number_format = "yyyy-mm-dd"
    wb.save(path)
    return path


def make_xls(out_dir: Path) -> Path:
    """Regenerate the fixture: needs LibreOffice (soffice) on PATH."""
    with tempfile.TemporaryDirectory() as tmp:
        src = build_wps_source(Path(tmp) / "wps_saved.xlsx")
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "xls", "--outdir", str(out_dir), str(src)],
            check=True,
            capture_output=True,
            timeout=120,
        )
    return out_dir / "wps_saved.xls"


def check_wps(census) -> None:
    assert column(census, "district") == ["冀州区"] * 3
    assert column(census, "street") == ["冀州镇", "冀州镇", "周村镇"]
    assert column(census, "households") == [900.0, 1100.0, 500.0]
    assert column(census, "facility_built_year") == [2019.0, 2020.0, 2018.0]
    assert census.errors == []
    assert [(e.row, e.kind) for e in census.excluded_rows] == [(7, "subtotal")]


def test_xls_saved_by_wps_or_libreoffice() -> None:
    census = read(XLS)
    assert census.source.format == "xls"
    check_wps(census)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_xls_fixture_is_what_the_builder_makes(tmp_path: Path) -> None:
    made = make_xls(tmp_path)
    if not made.exists():  # soffice without Calc (libreoffice-writer-nogui) converts nothing
        pytest.skip("this LibreOffice cannot write .xls (Calc is not installed)")
    check_wps(read(made))


def test_same_workbook_as_xlsx(tmp_path: Path) -> None:
    check_wps(read(build_wps_source(tmp_path / "src.xlsx")))


# 17 ----------------------------------------------------------------------------------------
def test_numbers_stored_as_text_with_apostrophes_and_spaces(tmp_path: Path) -> None:
    rows = [
        ["街道", "社区", "户数", "常住人口", "社区综合服务设施面积"],
        ["桃城街道", "永兴社区", "'1200", " 3650 ", "350\u00a0"],
        ["桃城街道", "中华社区", "’980", "\u30002950", "'1,200.5"],
        ["桃城街道", "胜利社区", "1 100", "3\u3000100", "'—"],
    ]
    wb, path = book(tmp_path / "text.xlsx", {"Sheet1": rows})
    ws = wb["Sheet1"]
    ws["C4"].quotePrefix = True  # Excel's own apostrophe: a style, the value is the text
    wb.save(path)
    census = read(path)
    assert column(census, "households") == [1200.0, 980.0, 1100.0]
    assert column(census, "population") == [3650.0, 2950.0, 3100.0]
    assert column(census, "facility_area")[:2] == [350.0, 1200.5]
    assert found(census, "warning") == {("missing-value", "Sheet1!E4")}
    assert census.errors == []


# 18 ----------------------------------------------------------------------------------------
def test_full_width_names_and_invisible_trailing_characters(tmp_path: Path) -> None:
    rows = [
        ["街道", "社区", "户数"],
        ["河东街道", "第１社区", 1],
        ["河东街道", "新华社区\u3000", 2],
        ["河东街道", "幸福社区 ", 3],
        ["河东街道", "第1社区", 4],
        ["河东街道", "幸福社区\u200b", 5],
        ["河东街道\u3000", "新华\u3000社区", 6],
        ["河东街道", "\ufeff光明社区", 7],
    ]
    _, path = book(tmp_path / "names.xlsx", {"Sheet1": rows})
    census = read(path)
    names = column(census, "community")
    assert names[2] == "幸福社区" and names[6] == "光明社区" and names[4] == "幸福社区"
    dups = {(i.cell, i.params["other_row"]) for i in census.errors}
    assert dups == {("B5", "2"), ("B6", "4"), ("B7", "3")}
    assert {i.code for i in census.errors} == {"duplicate-community"}


# 19 ----------------------------------------------------------------------------------------
def test_dates_and_year_spellings_in_a_year_column(tmp_path: Path) -> None:
    rows = [
        ["社区", "综合服务设施建成年份"],
        ["甲社区", dt.datetime(2019, 6, 1)],
        ["乙社区", "2020年"],
        ["丙村", "2018.10"],
        ["丁村", 2021],
        ["戊村", "2017年5月"],
        ["己村", 43466],  # an Excel date serial that lost its date format: not a year
        ["庚村", "2016-09"],
    ]
    _, path = book(tmp_path / "years.xlsx", {"Sheet1": rows})
    census = read(path)
    years = column(census, "facility_built_year")
    assert years[:5] == [2019.0, 2020.0, 2018.0, 2021.0, 2017.0]
    assert math.isnan(years[5]) and years[6] == 2016.0
    assert found(census, "error") == {("not-a-year", "Sheet1!B7")}
    bad = next(i for i in census.errors if i.code == "not-a-year")
    assert "43466" in bad.message("zh") and "43466" in bad.message("en")


# 20 ----------------------------------------------------------------------------------------
def test_transposed_sheet_is_refused_not_misread(tmp_path: Path) -> None:
    rows = [
        ["社区", "新华社区", "育才社区", "光明村"],
        ["户数", 100, 200, 300],
        ["常住人口", 300, 600, 900],
    ]
    _, path = book(tmp_path / "transposed.xlsx", {"Sheet1": rows})
    with pytest.raises(DataError, match="no header row"):
        read(path)


def test_summary_sheet_counting_communities_is_not_read_as_communities(tmp_path: Path) -> None:
    rows = [
        ["街道", "社区（个）", "户数", "常住人口"],
        ["河东街道", 2, 1100, 3100],
        ["河西街道", 1, 700, 2000],
    ]
    _, path = book(tmp_path / "only_summary.xlsx", {"汇总": rows})
    with pytest.raises(DataError, match="no header row"):
        read(path)


if __name__ == "__main__":  # regenerate the .xls fixture
    print(make_xls(HERE))

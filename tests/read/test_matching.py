"""Scored header matching (issue 13): the whole header read at once, look-alikes never used,
likely readings said out loud with a --map line, and the user's mapping kept whole.

The first test is the city report that the first release refused with 338 errors: a title
row, a merged two-row header whose group `设施面积（平方米）` sits over three sub-headers, a real
`是否建有综合服务设施` column beside them, columns in another order, a 社区性质 column written
城市社区/农村社区/行政村, and both 户籍户数 and 常住户数.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from indicators.engine import evaluate
from indicators.model.errors import UsageError
from indicators.plan import load_plan

from .unseen import VOCAB, book, column, read

PLAN = load_plan("hengshui-2021-2025")

CITY_ROWS = [
    ["衡水市2023年城乡社区综合服务设施情况统计表"],
    [
        "序号",
        "县(市、区)",
        "乡镇(街道)",
        "社区(村)名称",
        "社区性质",
        "户籍户数（户）",
        "常住户数（户）",
        "常住人口（人）",
        "设施面积（平方米）",
        None,
        None,
        "是否建有综合服务设施",
        "社区工作者（人）",
    ],
    [
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        "综合服务设施",
        "居民活动区域",
        "商业和综合服务设施",
        None,
        None,
    ],
    [1, "桃城区", "河西街道", "新华社区", "城市社区", 1700, 1520, 4310, 520.5, 260, 15000, "是", 9],
    [2, "桃城区", "河西街道", "育才社区", "城市社区", 1400, 1388, 3902, 300, 120, 14000, "是", 8],
    [3, "桃城区", "赵家圈镇", "大庆村", "行政村", 450, 402, 1210, 0, 0, 0, "否", 3],
    [4, "冀州区", "冀州镇", "南午村", "农村社区", 690, 655, 1830, 180, 90, 0, "是", 4],
]
CITY_MERGES = ["A1:M1", "I2:K2"] + [f"{c}2:{c}3" for c in "ABCDEFGHLM"]

CLEAN_HEADER = [
    "区县",
    "街道",
    "社区",
    "社区类型",
    "户数",
    "常住人口",
    "社区综合服务设施面积",
    "居民活动区域面积",
    "商业和综合服务设施面积",
    "是否有综合服务设施",
    "社区工作者人数",
]


def _clean_rows() -> list[list]:
    out = [CLEAN_HEADER]
    for r in CITY_ROWS[3:]:
        kind = "城市" if r[4] == "城市社区" else "农村"
        out.append([r[1], r[2], r[3], kind, r[6], r[7], r[8], r[9], r[10], r[11], r[12]])
    return out


def test_merged_two_row_city_report_reads_like_the_clean_sheet(tmp_path: Path) -> None:
    _, messy_path = book(tmp_path / "city.xlsx", {"汇总": CITY_ROWS}, {"汇总": CITY_MERGES})
    _, clean_path = book(tmp_path / "clean.xlsx", {"Sheet1": _clean_rows()})
    messy, clean = read(messy_path), read(clean_path)
    assert messy.errors == []
    fields = {c.column: c.field for c in messy.columns}
    assert fields == {
        "A": None,  # 序号
        "B": "district",
        "C": "street",
        "D": "community",
        "E": "community_type",
        "F": None,  # 户籍户数: a look-alike of households, not used
        "G": "households",
        "H": "population",
        "I": "facility_area",
        "J": "resident_activity_area",
        "K": "commercial_service_area",
        "L": "has_service_facility",
        "M": "community_workers",
    }
    pd.testing.assert_frame_equal(
        messy.frame[sorted(messy.frame.columns)], clean.frame[sorted(clean.frame.columns)]
    )
    assert column(messy, "community_type") == ["urban", "urban", "rural", "rural"]
    lookalike = [i for i in messy.issues if i.code == "column-lookalike"]
    assert [(i.location, i.params["field"]) for i in lookalike] == [("汇总!F3", "households")]
    assert "户籍户数" in lookalike[0].message() and "口径不同" in lookalike[0].message()
    # the same figures in every indicator
    a, b = evaluate(PLAN, messy), evaluate(PLAN, clean)
    assert [_headline(r) for r in a.indicators] == [_headline(r) for r in b.indicators]
    assert any(r.headline.status == "met" for r in a.indicators)


def _headline(r) -> tuple:
    h = r.headline
    value = None if math.isnan(h.value) else round(h.value, 9)
    return (r.indicator.id, value, h.status, h.units_total, h.units_failing, h.reason)


def test_a_look_alike_is_reported_and_a_missing_field_points_at_it(tmp_path: Path) -> None:
    rows = [
        ["街道", "社区", "户数", "户籍人口"],
        ["河西街道", "新华社区", 1520, 4500],
        ["河西街道", "育才社区", 1388, 3900],
    ]
    _, path = book(tmp_path / "hj.xlsx", {"Sheet1": rows})
    census = read(path, required={"population"})
    assert "population" not in census.frame
    missing = [i for i in census.issues if i.code == "missing-field"]
    assert len(missing) == 1
    message = missing[0].message()
    assert "户籍人口" in message and '--map "户籍人口=常住人口"' in message
    # the user's word wins: mapped by the Chinese field name
    mapped = read(path, required={"population"}, mapping={"户籍人口": "常住人口"})
    assert column(mapped, "population") == [4500.0, 3900.0]
    assert not [i for i in mapped.issues if i.code in ("missing-field", "column-lookalike")]


def test_map_by_chinese_name_keeps_the_unit_in_the_header(tmp_path: Path) -> None:
    rows = [
        ["街道", "社区", "户数", "居住人数（万人）"],
        ["河西街道", "新华社区", 1520, 0.431],
        ["河西街道", "育才社区", 1388, 0.39],
    ]
    _, path = book(tmp_path / "wan.xlsx", {"Sheet1": rows})
    for name in ("常住人口", "population"):
        census = read(path, mapping={"居住人数（万人）": name})
        assert column(census, "population") == pytest.approx([4310.0, 3900.0])
        used = [c for c in census.columns if c.field == "population"]
        assert [(c.confidence, c.scale) for c in used] == [("mapped", 10000.0)]


def test_map_names_an_unknown_field(tmp_path: Path) -> None:
    rows = [["街道", "社区", "户数"], ["河西街道", "新华社区", 1520]]
    _, path = book(tmp_path / "u.xlsx", {"Sheet1": rows})
    with pytest.raises(UsageError) as info:
        read(path, mapping={"户数": "常驻人口"})
    assert "常住人口" in info.value.hint  # the closest field, in the user's language


def test_a_likely_reading_is_used_and_said_with_a_map_line(tmp_path: Path) -> None:
    rows = [["街道", "社区", "户数", "人口"], ["河西街道", "新华社区", 1520, 4310]]
    _, path = book(tmp_path / "likely.xlsx", {"Sheet1": rows})
    census = read(path)
    assert column(census, "population") == [4310.0]
    guessed = [i for i in census.issues if i.code == "column-guessed"]
    assert [(i.location, i.severity.value) for i in guessed] == [("Sheet1!D1", "warning")]
    assert '--map "人口=常住人口"' in guessed[0].message()
    assert '--map "人口=-"' in guessed[0].message()


def test_realistic_spellings_of_common_columns(tmp_path: Path) -> None:
    rows = [
        [
            "乡镇(街道)",
            "村(社区)名称",
            "社区类别",
            "常住户数",
            "是否配备政务服务自助终端",
            "工作人员（人）",
            None,
            "网格员（人）",
        ],
        [None, None, None, None, None, "社区工作者", "服务站专职人员", None],
        ["王谦寺镇", "北关村", "行政村", 402, "已配备", 4, 2, 3],
        ["王谦寺镇", "城关社区", "居委会", 900, "未配备", 9, 5, 6],
        ["王谦寺镇", "李庄村", "村委会", 388, "已配备", 3, 1, 2],
    ]
    merges = ["F1:G1"] + [f"{c}1:{c}2" for c in "ABCDEH"]
    _, path = book(tmp_path / "real.xlsx", {"Sheet1": rows}, {"Sheet1": merges})
    census = read(path)
    assert census.errors == []
    assert column(census, "community_type") == ["rural", "urban", "rural"]
    assert column(census, "has_self_service_terminal") == [1.0, 0.0, 1.0]
    assert column(census, "community_workers") == [4.0, 9.0, 3.0]
    assert column(census, "station_staff") == [2.0, 5.0, 1.0]
    assert column(census, "grid_workers") == [3.0, 6.0, 2.0]
    assert column(census, "households") == [402.0, 900.0, 388.0]


def test_unit_row_under_a_two_row_header_is_never_a_community(tmp_path: Path) -> None:
    rows = [
        ["街道", "社区", "基本情况", None, "综合服务设施", None],
        [None, None, "户数", "常住人口", "面积", "是否建有"],
        [None, None, "户", "万人", "㎡", "√/×"],
        ["河西街道", "新华社区", 1520, 0.431, 520, "√"],
        ["河西街道", "育才社区", 1388, 0.39, 300, "×"],
    ]
    merges = ["A1:A3", "B1:B3", "C1:D1", "E1:F1"]
    _, path = book(tmp_path / "unit.xlsx", {"Sheet1": rows}, {"Sheet1": merges})
    census = read(path)
    assert census.errors == []
    assert column(census, "community") == ["新华社区", "育才社区"]
    assert column(census, "population") == pytest.approx([4310.0, 3900.0])
    assert column(census, "facility_area") == [520.0, 300.0]
    assert column(census, "has_service_facility") == [1.0, 0.0]


def test_an_area_group_never_feeds_a_yes_no_field(tmp_path: Path) -> None:
    """The first release read 综合服务设施 under 设施面积 as the yes/no field."""
    rows = [
        ["街道", "社区", "设施面积", None],
        [None, None, "综合服务设施", "居民活动区域"],
        ["河西街道", "新华社区", 520, 260],
        ["河西街道", "育才社区", 300, 120],
    ]
    merges = ["A1:A2", "B1:B2", "C1:D1"]
    _, path = book(tmp_path / "area.xlsx", {"Sheet1": rows}, {"Sheet1": merges})
    census = read(path)
    assert "has_service_facility" not in census.frame
    assert column(census, "facility_area") == [520.0, 300.0]
    assert column(census, "resident_activity_area") == [260.0, 120.0]


def test_a_numbers_column_is_not_yes_no_even_when_named_like_one(tmp_path: Path) -> None:
    rows = [
        ["街道", "社区", "综合服务设施"],
        ["河西街道", "新华社区", 520],
        ["河西街道", "育才社区", 300],
    ]
    _, path = book(tmp_path / "n.xlsx", {"Sheet1": rows})
    census = read(path)
    assert "has_service_facility" not in census.frame
    conflict = [i for i in census.issues if i.code == "column-conflict"]
    assert [i.params["field"] for i in conflict] == ["has_service_facility"]


def test_missing_marker_is_reported_as_written(tmp_path: Path) -> None:
    rows = [["街道", "社区", "户数", "社区工作者人数"], ["河西街道", "新华社区", 1520, "不详"]]
    _, path = book(tmp_path / "m.xlsx", {"Sheet1": rows})
    census = read(path)
    assert math.isnan(column(census, "community_workers")[0])
    (issue,) = [i for i in census.issues if i.code == "missing-value"]
    assert "「社区工作者人数」为「不详」" in issue.message()


def test_save_mapping_round_trip(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from indicators.cli import app
    from indicators.read import load_mapping_file

    _, path = book(tmp_path / "city.xlsx", {"汇总": CITY_ROWS}, {"汇总": CITY_MERGES})
    layout = tmp_path / "layout.yaml"
    result = CliRunner().invoke(app, ["inspect", str(path), "--save-mapping", str(layout)])
    assert result.exit_code == 0, result.output
    mapping = load_mapping_file(layout)
    assert mapping["设施面积（平方米） / 综合服务设施"] == "facility_area"
    assert mapping["户籍户数（户）"] == "-"
    again = read(path, mapping=mapping)
    assert again.frame.equals(read(path).frame)
    assert {c.confidence for c in again.columns if c.field} == {"mapped"}
    assert not [i for i in again.issues if i.code in ("column-lookalike", "map-unused")]


def test_every_field_has_a_spelling_no_other_field_claims() -> None:
    """Two fields sharing a spelling would make one of them unreachable by that header."""
    owner: dict[str, str] = {}
    clashes = []
    from indicators.model.fields import normalise_header

    for f in VOCAB.fields.values():
        for s in (f.id, f.name_zh, *f.aliases, *f.likely):
            key = normalise_header(s)
            if owner.setdefault(key, f.id) != f.id:
                clashes.append((s, owner[key], f.id))
        for s in f.lookalikes:
            key = normalise_header(s)
            if key in owner and owner[key] == f.id:
                clashes.append((s, "its own alias and look-alike", f.id))
    assert clashes == []


@pytest.mark.parametrize(
    ("row", "numbering"),
    [
        ([1, 2, 3, 4, 5], True),
        ([1, 4, 2, 3, 5], True),  # a column moved after the form was numbered
        (["甲", "乙", 1, 3, 2], True),
        ([1, 2, 4, 5], False),  # a hole: not one run of column numbers
        ([1, 1, 2, 3], False),
        ([1.5, 2.5, 3.5], False),
        (["一街道", 2, 3, 4], False),  # a name: a community row
    ],
)
def test_a_numbering_row_is_any_order_of_one_run_of_whole_numbers(row, numbering):
    from indicators.read.headers import is_numbering

    assert is_numbering(row) is numbering

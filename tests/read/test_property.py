"""Property: a clean census rendered with random mess reads back as the same frame.

Mess: title rows, a merged two-row group header, any column order, header spellings and units,
subtotal and total rows, notes, numbers as text, full-width digits, thousands separators,
boolean spellings, district and street cells merged or left blank below the first row.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .census_files import read

NAMES = [
    "东风",
    "红旗",
    "和平",
    "幸福",
    "光明",
    "新华",
    "建设",
    "朝阳",
    "育才",
    "滨河",
    "春华",
    "秋实",
]
STREETS = ["城东街道", "城西街道", "南关镇", "北苑街道"]
SPELLINGS = {
    "district": ["区县", "县（市、区）", "所属区县"],
    "street": ["街道", "街道（乡镇）", "乡镇街道"],
    "community": ["社区名称", "社区（村）", "村居"],
    "households": ["户数", "居民户数", "常住户数"],
    "population": ["常住人口", "人口数", "实有人口"],
    "facility_area": ["社区综合服务设施面积", "综合服务设施面积", "服务用房面积"],
    "has_service_facility": ["是否有综合服务设施", "有无综合服务设施"],
}
GROUPS = {
    "households": "基本情况",
    "population": "基本情况",
    "facility_area": "设施",
    "has_service_facility": "设施",
}
YES = ["是", "有", "√", "Y", True]
NO = ["否", "无", "×", "N", False]
FULL = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


@st.composite
def clean_census(draw) -> pd.DataFrame:
    rows = []
    for street in draw(st.lists(st.sampled_from(STREETS), min_size=1, max_size=3, unique=True)):
        names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True))
        for name in names:
            rows.append(
                {
                    "district": "甲区",
                    "street": street,
                    "community": name + draw(st.sampled_from(["社区", "村"])),
                    "households": float(draw(st.integers(0, 20_000))),
                    "population": float(draw(st.integers(0, 90_000))),
                    "facility_area": draw(st.integers(0, 100_000)) / 10,
                    "has_service_facility": float(draw(st.booleans())),
                }
            )
    return pd.DataFrame(rows)


def number_text(draw, value: float, integer: bool) -> object:
    style = draw(st.sampled_from(["plain", "text", "thousands", "full"]))
    text = f"{value:.0f}" if integer else f"{value:.1f}"
    if style == "plain":
        return value
    if style == "thousands":
        text = f"{value:,.0f}" if integer else f"{value:,.1f}"
    if style == "full":
        text = text.translate(FULL)
    return text


@st.composite
def messy(draw, frame: pd.DataFrame):
    fields = list(SPELLINGS)
    order = draw(st.permutations(fields[3:]))
    columns = (
        ["district", "street", "community", *order]
        if draw(st.booleans())
        else ["street", "district", "community", *order]
    )
    two_rows = draw(st.booleans())
    wan = draw(st.booleans())  # population in 万人
    titles = draw(st.integers(0, 2))
    headers = []
    for f in columns:
        h = draw(st.sampled_from(SPELLINGS[f]))
        if f == "population" and wan:
            h += "（万人）"
        elif f == "facility_area" and draw(st.booleans()):
            h += draw(st.sampled_from(["（平方米）", "(㎡)", "（m²）"]))
        headers.append(h)
    out: list[list] = [["某市社区基本情况统计表"]] + [["填报单位：民政局"]] * (titles - 1)
    out = out[:titles]
    merges = []
    if two_rows:
        group_row = [GROUPS.get(f) or headers[i] for i, f in enumerate(columns)]
        sub_row = [headers[i] if f in GROUPS else None for i, f in enumerate(columns)]
        r = len(out) + 1
        for i, f in enumerate(columns):
            if f not in GROUPS:
                merges.append((r, i + 1, r + 1, i + 1))
        i = 0
        while i < len(columns):
            j = i
            while j + 1 < len(columns) and GROUPS.get(columns[j + 1]) == GROUPS.get(columns[i]):
                j += 1
            if GROUPS.get(columns[i]) and j > i:
                merges.append((r, i + 1, r, j + 1))
                for k in range(i + 1, j + 1):
                    group_row[k] = None
            i = j + 1
        out += [group_row, sub_row]
    else:
        out.append(headers)
    blank_names = draw(st.booleans())

    def cells(rec, first_in_street):
        row = []
        for f in columns:
            v = rec[f]
            if f in ("district", "street"):
                row.append(v if first_in_street or not blank_names else None)
            elif f == "community":
                row.append(v)
            elif f == "has_service_facility":
                row.append(draw(st.sampled_from(YES if v else NO)))
            elif f == "population" and wan:
                row.append(v / 10_000)
            else:
                row.append(number_text(draw, v, f != "facility_area"))
        return row

    with_subtotals = draw(st.booleans())
    for street, group in frame.groupby("street", sort=False):
        for k, (_, rec) in enumerate(group.iterrows()):
            out.append(cells(rec, k == 0))
        if with_subtotals:
            sums = group[["households", "population", "facility_area"]].sum()
            out.append(
                [street + "小计" if f == "street" else _sum_cell(f, sums, wan) for f in columns]
            )
    if draw(st.booleans()):
        sums = frame[["households", "population", "facility_area"]].sum()
        out.append(["合计" if f == "district" else _sum_cell(f, sums, wan) for f in columns])
    if draw(st.booleans()):
        out += [[], ["注：本表数据截至年底。"], ["填表人：", None, "审核人："]]
    return out, merges


def _sum_cell(f, sums, wan):
    if f not in sums:
        return None
    return sums[f] / 10_000 if f == "population" and wan else sums[f]


EXAMPLES = int(os.environ.get("INDICATORS_PROPERTY_EXAMPLES", "30"))  # more: set it higher


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_messy_rendering_reads_back_the_clean_census(data) -> None:
    frame = data.draw(clean_census())
    rows, merges = data.draw(messy(frame))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "messy.xlsx"
        wb = openpyxl.Workbook()
        ws = wb.active
        for row in rows:
            ws.append(row)
        for r1, c1, r2, c2 in merges:
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        wb.save(path)
        census = read(path)
    assert census.errors == []
    assert not [i for i in census.issues if i.code == "total-mismatch"]
    got = census.frame[frame.columns].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, frame, check_dtype=False, rtol=1e-9)
    assert got["households"].dtype == np.float64

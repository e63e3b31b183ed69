"""Fixture helpers for the census reader tests: build workbooks and read them back."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from indicators.model.fields import shared_vocabulary
from indicators.read import read_census

FIXTURES = Path(__file__).parent / "fixtures"
HEADER = ["区县", "街道", "社区", "户数", "常住人口", "社区综合服务设施面积", "是否有综合服务设施"]
ROWS = [
    ["A区", "一街道", "甲社区", 1200, 3500, 400.5, "是"],
    ["A区", "一街道", "乙社区", 1300, 3600, 500, "否"],
    ["A区", "二街道", "丙村", 800, 2100, 120, "有"],
]


def write_xlsx(path: Path, rows: list[list], *, title: str = "社区基本情况", merges=()) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    wb.save(path)
    return path


def read(path: Path, **kw):
    return read_census(path, vocabulary=shared_vocabulary(), **kw)


def codes(census, severity: str | None = None) -> list[str]:
    return [i.code for i in census.issues if severity is None or i.severity.value == severity]

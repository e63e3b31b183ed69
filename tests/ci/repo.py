"""A temporary data repository: a plan, one good and one bad submission under data/."""

from __future__ import annotations

import textwrap
from pathlib import Path

import openpyxl

PLAN = textwrap.dedent(
    """
    id: ci-test
    title: 测试区社区服务规划
    period: [2021, 2025]
    indicators:
      - id: facility_area_per_100_households
        name: {zh: 每百户居民拥有社区综合服务设施面积, en: Facility area per 100 households}
        level: city
        scope: urban
        formula: facility_area / households * 100
        unit: 平方米/百户
        target: {op: ">=", value: 30}
        cite: {section: 主要指标, quote: 每百户居民拥有社区综合服务设施面积不低于30平方米}
      - id: urban_facility_coverage
        name: {zh: 城市社区综合服务设施覆盖率, en: Urban community facility coverage}
        level: city
        scope: urban
        formula: has_service_facility
        unit: "%"
        target: {op: ">=", value: 100}
        cite: {section: 主要指标, quote: 城市社区综合服务设施覆盖率达到100%}
      - id: joint_meetings
        name: {zh: 联席会议, en: Joint meetings}
        checkable: false
        target_text: 每季度召开1次
        cite: {section: 保障措施, quote: 每季度召开1次联席会议}
    """
)

SHEET = "社区基本情况"
HEADER = [
    "区县",
    "街道",
    "社区",
    "社区类型",
    "户数（户）",
    "社区综合服务设施面积（平方米）",
    "是否有综合服务设施",
]
GOOD = [
    ["甲区", "一街道", "东社区", "城市", 1200, 400.5, "是"],
    ["甲区", "一街道", "西社区", "城市", 900, 300, "否"],
    ["甲区", "二街道", "南村", "农村", 500, 120, "是"],
    ["甲区", "二街道", "北村", "农村", 450, 80, "是"],
]
# Bad: no 是否有综合服务设施 column (the coverage indicator needs it), a text in a number
# cell (F5), and 东社区 listed twice (C4 repeats row 2).
BAD_HEADER = HEADER[:-1]
BAD = [
    ["甲区", "一街道", "东社区", "城市", 1200, 400.5],
    ["甲区", "一街道", "西社区", "城市", 900, 300],
    ["甲区", "一街道", "东社区", "城市", 1100, 380],
    ["甲区", "二街道", "南村", "农村", 500, "约一百二"],
]
BAD_CELL = f"{SHEET}!F5"


def write_workbook(path: Path, header: list, rows: list[list]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(header)
    for row in rows:
        ws.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def make_repo(root: Path) -> dict[str, Path]:
    """root/targets/plan.yaml, root/data/2024/东城街道.xlsx (good), 西城街道.xlsx (bad)."""
    plan = root / "targets" / "plan.yaml"
    plan.parent.mkdir(parents=True)
    plan.write_text(PLAN, encoding="utf-8")
    good = write_workbook(root / "data" / "2024" / "东城街道.xlsx", HEADER, GOOD)
    bad = write_workbook(root / "data" / "2024" / "西城街道.xlsx", BAD_HEADER, BAD)
    return {"root": root, "plan": plan, "good": good, "bad": bad}

"""Builders for the reliability tests: census files in every state of repair, and a CLI runner."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from indicators.cli import app

PLAN = "hengshui-2021-2025"
FIXTURES = Path(__file__).parent / "fixtures"
ENCRYPTED = FIXTURES / "encrypted.xlsx"  # real Agile-encrypted workbook, password "secret"

HEADER = ["区县", "街道", "社区", "户数", "常住人口", "社区综合服务设施面积", "是否有综合服务设施"]
ROWS = [
    ["A区", "一街道", "甲社区", 1200, 3500, 400.5, "是"],
    ["A区", "一街道", "乙社区", 1300, 3600, 500, "否"],
    ["A区", "二街道", "丙村", 800, 2100, 120, "有"],
]

runner = CliRunner()


def check(*args: str | Path, env: dict[str, str] | None = None):
    """`indicators check ARGS --plan hengshui-2021-2025` in process; returns click's Result."""
    return runner.invoke(app, ["check", *map(str, args), "--plan", PLAN], env=env)


def write_xlsx(path: Path, rows: list[list], *, title: str = "社区基本情况") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def clean_xlsx(path: Path) -> Path:
    return write_xlsx(path, [HEADER, *ROWS])


def write_csv(path: Path, rows: list[list]) -> Path:
    path.write_text("\n".join(",".join(map(str, r)) for r in rows) + "\n", encoding="utf-8")
    return path


def bomb(path: Path, size_mb: int) -> Path:
    """A small .xlsx whose worksheet member inflates to `size_mb` MB of spaces; its zip
    directory declares the true size (zip64)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b" " * (1024 * 1024)
            for _ in range(size_mb):
                member.write(block)
    return path

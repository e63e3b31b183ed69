"""A test city: the Hengshui 2021 sample census split into one return per street office,
as a city receives them, in mixed formats and layouts, with the usual accidents.

- 16 streets; 明兴街道 sends nothing (the roster lists its 4 communities);
- 13 xlsx in three layouts (title row; 序号 column + 合计 row; two-row grouped header), two
  .xls saved by LibreOffice (committed in fixtures/, see `make_xls`), three GBK CSV;
- 山兴街道 also lists 幸文社区 of 安北街道 with the same figures (submitted by two streets);
- 山兴街道's file is sent again as 山兴街道(1).xlsx.

`clean_sheet` writes what the city should end up with: one sheet, every community once.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data/hengshui-2021-2025-census-2021.xlsx"
FIXTURES = Path(__file__).parent / "fixtures"

MISSING_STREET = "明兴街道"
XLS_STREETS = ("建民街道", "西化街道")
CSV_STREETS = ("光南镇", "丰友街道", "兰文镇")
SENT_TWICE = "山兴街道"
DOUBLE = ("幸文社区", "安北街道", "山兴街道")  # community, its street, the street also sending it


def sample_rows() -> tuple[list[str], list[list]]:
    """The sample's header and its 120 community rows."""
    ws = openpyxl.load_workbook(SAMPLE, read_only=True).active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    header_at = next(i for i, r in enumerate(rows) if r[0] == "区县")
    header = [str(h) for h in rows[header_at] if h is not None]
    body = [r[: len(header)] for r in rows[header_at + 1 :] if r[2] and r[1] and r[3]]
    return header, body


def by_street() -> tuple[list[str], dict[str, list[list]]]:
    header, body = sample_rows()
    streets: dict[str, list[list]] = {}
    for r in body:
        streets.setdefault(r[1], []).append(r)
    return header, streets


def _title_layout(path: Path, header: list[str], rows: list[list], street: str) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "社区基本情况"
    ws.append([f"2021年{street}社区基本情况统计表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(header)
    for r in rows:
        ws.append(r)
    ws.append(["填表人：张敏", None, None, "审核人：刘洋"])
    wb.save(path)


def _numbered_layout(path: Path, header: list[str], rows: list[list], street: str) -> None:
    """序号 first, the key columns in another order, a 合计 row that adds up."""
    order = [2, 1, 0, *range(3, len(header))]  # 社区/村, 街道/乡镇, 区县, ...
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = street
    ws.append(["序号", *[header[i] for i in order]])
    for n, r in enumerate(rows, start=1):
        ws.append([n, *[r[i] for i in order]])
    totals = ["合计", None, None, None, None]
    for i in order[4:]:
        values = [r[i] for r in rows]
        numeric = all(isinstance(v, int | float) or v is None for v in values)
        totals.append(sum(v or 0 for v in values) if numeric and i not in (14,) else None)
    ws.append(totals)
    wb.save(path)


def _grouped_layout(path: Path, header: list[str], rows: list[list], street: str) -> None:
    """Two header rows: the identity columns merged down, the figures under group titles."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    groups = [None] * len(header)
    groups[:4] = header[:4]
    groups[4] = "基本情况"
    groups[13] = "社区综合服务设施"
    ws.append(groups)
    ws.append([None] * 4 + header[4:])
    for col in range(1, 5):
        ws.merge_cells(start_row=1, start_column=col, end_row=2, end_column=col)
    ws.merge_cells(start_row=1, start_column=5, end_row=1, end_column=13)
    ws.merge_cells(start_row=1, start_column=14, end_row=1, end_column=len(header))
    for r in rows:
        ws.append(r)
    wb.save(path)


def _csv(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", encoding="gbk", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for r in rows:
            w.writerow(["" if v is None else v for v in r])


LAYOUTS = (_title_layout, _numbered_layout, _grouped_layout)


def write_street(path: Path, layout_no: int, header, rows, street) -> Path:
    LAYOUTS[layout_no % len(LAYOUTS)](path, header, rows, street)
    return path


def build_city(folder: Path) -> list[Path]:
    """Write the street returns into `folder`; returns the files in the order written."""
    header, streets = by_street()
    community, home, other = DOUBLE
    double = next(r for r in streets[home] if r[2] == community)
    written = []
    for n, (street, rows) in enumerate(sorted(streets.items())):
        if street == MISSING_STREET:
            continue
        if street == other:
            rows = [*rows, [double[0], other, *double[2:]]]
        if street in XLS_STREETS:
            dst = folder / f"{street}.xls"
            shutil.copyfile(FIXTURES / f"{street}.xls", dst)
        elif street in CSV_STREETS:
            dst = folder / f"{street}.csv"
            _csv(dst, header, rows)
        else:
            dst = write_street(folder / f"{street}.xlsx", n, header, rows, street)
        written.append(dst)
    twice = folder / f"{SENT_TWICE}(1).xlsx"
    shutil.copyfile(folder / f"{SENT_TWICE}.xlsx", twice)
    written.append(twice)
    return written


def clean_sheet(path: Path) -> Path:
    """The same communities in one clean sheet: every street but the missing one, once."""
    header, body = sample_rows()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "社区基本情况"
    ws.append(header)
    for r in body:
        if r[1] != MISSING_STREET:
            ws.append(r)
    wb.save(path)
    return path


def roster(path: Path) -> Path:
    """Every community of the sample, the missing street's included."""
    _, body = sample_rows()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["区县", "街道", "社区", "类型"])
    for r in body:
        ws.append([r[0], r[1], r[2], r[3]])
    wb.save(path)
    return path


def make_xls() -> None:
    """Regenerate fixtures/<street>.xls: `pip install xlwt` (a test-time tool only; no
    library we depend on writes .xls, and LibreOffice here has no Calc), then
    `python tests/combine/city.py`. Title row, header, communities, as a WPS export."""
    import xlwt

    header, streets = by_street()
    for street in XLS_STREETS:
        book = xlwt.Workbook(encoding="utf-8")
        ws = book.add_sheet("社区基本情况")
        ws.write_merge(0, 0, 0, len(header) - 1, f"2021年{street}社区基本情况统计表")
        for c, h in enumerate(header):
            ws.write(1, c, h)
        for r, row in enumerate(streets[street], start=2):
            for c, v in enumerate(row):
                if v is not None:
                    ws.write(r, c, v)
        book.save(str(FIXTURES / f"{street}.xls"))


if __name__ == "__main__":
    make_xls()

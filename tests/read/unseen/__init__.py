"""Builders for the unseen-layout census workbooks (tests/read/test_unseen_layouts.py)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import openpyxl

from indicators.plan import load_plan
from indicators.read import read_census

HERE = Path(__file__).parent
VOCAB = load_plan("hengshui-2021-2025").vocabulary


def book(path: Path, sheets: dict[str, list[list]], merges: dict[str, Iterable[str]] = ()):
    """An .xlsx with one sheet per entry; cells placed from A1; merges per sheet name."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    merges = dict(merges or {})
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(r, c, value)
        for rng in merges.get(name, ()):
            ws.merge_cells(rng)
    wb.save(path)
    return wb, path


def read(path: Path, required: Iterable[str] = (), **kw):
    return read_census(path, vocabulary=VOCAB, required=set(required), **kw)


def found(census, severity: str | None = None) -> set[tuple[str, str | None]]:
    """(code, location) of the issues, optionally of one severity."""
    return {
        (i.code, i.location)
        for i in census.issues
        if severity is None or i.severity.value == severity
    }


def column(census, field: str) -> list:
    return census.frame[field].tolist()

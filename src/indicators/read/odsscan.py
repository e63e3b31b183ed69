"""The used rectangle of each table of an .ods, from the repeat counts, before calamine.

OpenDocument compresses repeated rows and cells (`table:number-rows-repeated`,
`table:number-columns-repeated`); calamine expands them into a dense grid, so 874 bytes could
ask for 5.3 GB (found by the red team). This pass reads the row and cell tags of content.xml
as a stream and refuses a table whose rows x columns holding content pass the limits. Empty
repeats (the million blank rows LibreOffice writes below a table) do not count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from indicators.model.errors import said
from indicators.read.limits import MAX_CELLS, MAX_COLUMNS

_TAG = re.compile(
    rb"<(/?)table:(table-row|table-cell|covered-table-cell|table)(?![\w-])([^<>]*?)(/?)>"
)
_ROWS = re.compile(rb'table:number-rows-repeated="(\d+)"')
_COLS = re.compile(rb'table:number-columns-repeated="(\d+)"')
_NAME = re.compile(rb'table:name="([^"]*)"')


@dataclass
class OdsExtent:
    path: Path
    table: str = ""
    row: int = 0  # rows so far in this table
    repeat: int = 1  # repeat count of the open row
    col: int = 0  # cells so far in the open row
    width: int = 0  # cells up to the last one with content in the open row
    max_row: int = 0
    max_col: int = 0
    carry: bytes = b""

    def feed(self, chunk: bytes) -> None:
        data = self.carry + chunk
        cut = data.rfind(b"<")
        body, self.carry = (data[:cut], data[cut:]) if cut >= 0 else (data, b"")
        for m in _TAG.finditer(body):
            closing, kind, attrs, empty = m.groups()
            if kind == b"table":
                if not closing:
                    name = _NAME.search(attrs)
                    self.table = name.group(1).decode("utf-8", "replace") if name else ""
                    self.row = self.max_row = self.max_col = 0
                continue
            if kind == b"table-row":
                if closing:
                    self._end_row()
                else:
                    n = _ROWS.search(attrs)
                    self.repeat, self.col, self.width = (int(n.group(1)) if n else 1), 0, 0
                    if empty:
                        self._end_row()
                continue
            if closing:
                continue
            n = _COLS.search(attrs)
            self.col += int(n.group(1)) if n else 1
            if b"office:value-type" in attrs or not empty:  # a value, or text inside
                self.width = self.col

    def _end_row(self) -> None:
        self.row += self.repeat
        if self.width:
            self.max_row = self.row
            self.max_col = max(self.max_col, self.width)
            self._check()
        self.repeat, self.col, self.width = 1, 0, 0

    def _check(self) -> None:
        if self.max_col > MAX_COLUMNS.value:
            found = said("read.found.table_columns", table=self.table, cols=self.max_col)
            raise MAX_COLUMNS.refuse(self.path, found)
        if self.max_row * self.max_col > MAX_CELLS.value:
            found = said(
                "read.found.table_cells", table=self.table, rows=self.max_row, cols=self.max_col
            )
            raise MAX_CELLS.refuse(self.path, found)

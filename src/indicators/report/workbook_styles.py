"""Cell formats, number formats by unit, status fills and column widths for the gap workbook.

Status cells carry both a fill and the status word, so the sheet reads in black-and-white
print and for colour-blind readers. Widths count East Asian wide characters as two.
"""

from __future__ import annotations

import unicodedata

from xlsxwriter.workbook import Workbook

from indicators.engine.methods import method_of
from indicators.engine.results import MET, NO_TARGET, NOT_ASSESSED, NOT_COMPUTABLE, NOT_MET
from indicators.model.i18n import t
from indicators.plan.model import Indicator

FONT = "Microsoft YaHei"  # falls back to any CJK font where it is missing
FILLS = {
    MET: ("#C6EFCE", "#006100"),
    NOT_MET: ("#FFC7CE", "#9C0006"),
    NOT_COMPUTABLE: ("#FFEB9C", "#7F5F00"),
    NO_TARGET: ("#EDEDED", "#404040"),
    NOT_ASSESSED: ("#EDEDED", "#404040"),
}
HEADER_FILL = "#1F4E78"
GROUP_FILL = "#DDEBF7"
INTEGER_UNITS = {"人", "个", "户", "名", "所", "家", "处"}

NUM_FORMATS = {
    "int": "#,##0",
    "dec": "#,##0.0",
    "pct": '0.0"%"',
    "gap_int": "+#,##0;-#,##0;0",
    "gap_dec": "+#,##0.0;-#,##0.0;0",
    "gap_pct": '+0.0"%";-0.0"%";0',
}


def text_width(text: object) -> int:
    """Display width: East Asian wide and full-width characters count 2."""
    s = "" if text is None else str(text)
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in s)


def fit_width(values, minimum: float = 6, maximum: float = 50) -> float:
    """A column width that fits the longest of `values` (each line of multi-line text)."""
    widest = 0
    for v in values:
        for line in str(v if v is not None else "").split("\n"):
            widest = max(widest, text_width(line))
    return float(min(maximum, max(minimum, widest + 2)))


def row_height(cells, line: float = 12.5, minimum: float = 15.0) -> float:
    """Height (points) for a row whose wrapped cells are (text, column width) pairs: Excel
    and LibreOffice do not grow rows with explicit formats reliably, so we size them."""
    lines = 1
    for text, width in cells:
        usable = max(1.0, width - 1.5)
        for part in str(text or "").split("\n"):
            lines = max(lines, 1 + int(text_width(part) // usable)) if part else lines
    return max(minimum, line * lines + 3)


def value_kind(ind: Indicator) -> str:
    """Which number format an indicator's values take: pct, int, dec or yesno."""
    if ind.unit == "%":
        return "pct"
    if method_of(ind).extensive and (ind.unit in INTEGER_UNITS or not ind.unit):
        return "int"
    return "dec"


class Styles:
    """Every format the workbook uses, created once."""

    def __init__(self, wb: Workbook, lang: str) -> None:
        self.wb = wb
        base = {"font_name": FONT, "font_size": 10, "valign": "top"}
        self.base = base
        self.text = wb.add_format(base)
        self.wrap = wb.add_format({**base, "text_wrap": True})
        self.muted = wb.add_format({**base, "font_color": "#7F7F7F"})
        self.link = wb.add_format(
            {**base, "text_wrap": True, "font_color": "#0563C1", "underline": 1}
        )
        self.bold = wb.add_format({**base, "bold": True})
        self.title = wb.add_format(
            {**base, "bold": True, "font_size": 16, "font_color": HEADER_FILL, "valign": "vcenter"}
        )
        self.subtitle = wb.add_format({**base, "font_size": 10, "font_color": "#404040"})
        self.note = wb.add_format(
            {**base, "italic": True, "font_color": "#595959", "text_wrap": False}
        )
        self.section = wb.add_format(
            {**base, "bold": True, "font_size": 12, "font_color": HEADER_FILL, "bottom": 1}
        )
        header = {
            **base,
            "bold": True,
            "font_color": "#FFFFFF",
            "bg_color": HEADER_FILL,
            "text_wrap": True,
            "valign": "vcenter",
            "border": 1,
            "border_color": "#BFBFBF",
        }
        self.header = wb.add_format(header)
        self.group = wb.add_format(
            {
                **base,
                "bold": True,
                "bg_color": GROUP_FILL,
                "text_wrap": True,
                "align": "center",
                "valign": "vcenter",
                "border": 1,
                "border_color": "#BFBFBF",
            }
        )
        yes, no = t("bool.yes", lang), t("bool.no", lang)
        self._nums = {k: wb.add_format({**base, "num_format": v}) for k, v in NUM_FORMATS.items()}
        self._nums["yesno"] = wb.add_format(
            {**base, "num_format": f'"{yes}";"{yes}";"{no}"', "align": "center"}
        )
        self._bold_nums = {
            k: wb.add_format({**base, "bold": True, "num_format": v})
            for k, v in NUM_FORMATS.items()
        }
        self._unit_formats: dict = {}
        self._status = {
            s: wb.add_format(
                {
                    **base,
                    "bg_color": bg,
                    "font_color": fg,
                    "bold": s == NOT_MET,
                    "border": 1,
                    "border_color": "#FFFFFF",
                    "text_wrap": True,
                }
            )
            for s, (bg, fg) in FILLS.items()
        }

    def number(self, kind: str, *, bold: bool = False):
        return (self._bold_nums if bold else self._nums).get(kind, self._nums["dec"])

    def number_unit(self, kind: str, unit: str, *, bold: bool = False):
        """A number format that shows the unit after the number and keeps the cell numeric."""
        if not unit or kind in ("pct", "yesno"):
            return self.number(kind, bold=bold)
        key = (kind, unit, bold)
        if key not in self._unit_formats:
            base = NUM_FORMATS.get(kind, NUM_FORMATS["dec"])
            suffix = unit.replace('"', "")
            fmt = {**self.base, "num_format": f'{base}" {suffix}"', "bold": bold}
            self._unit_formats[key] = self.wb.add_format(fmt)
        return self._unit_formats[key]

    def gap_unit(self, kind: str, unit: str):
        """A signed gap with its unit after it ("-8.2 个百分点", "33 个社区"); still a number."""
        if not unit:
            return self.gap(kind)
        key = ("gap", kind, unit)
        if key not in self._unit_formats:
            suffix = unit.replace('"', "")
            base = "#,##0" if kind == "int" else "#,##0.0"
            sign = "" if kind == "int" else "+"
            fmt = f'{sign}{base}" {suffix}";-{base}" {suffix}";0" {suffix}"'
            self._unit_formats[key] = self.wb.add_format({**self.base, "num_format": fmt})
        return self._unit_formats[key]

    def gap(self, kind: str):
        return self._nums.get(f"gap_{kind}", self._nums["gap_dec"])

    def status(self, status: str):
        return self._status.get(status, self.text)


def setup_print(ws, *, header_rows: tuple[int, int], title: str, landscape: bool = True) -> None:
    """A4, landscape, fit to one page wide, header rows repeated, page numbers."""
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(*header_rows)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    safe_title = title.replace("&", "&&")
    ws.set_header(f"&L&8{safe_title}", {"margin": 0.3})
    ws.set_footer("&C&8&P / &N", {"margin": 0.3})

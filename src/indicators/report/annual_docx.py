"""A report draft (report/annual.py) as a Word document in the layout of a government report
(GB/T 9704 conventions): A4, margins 37/35/28/26 mm, title in 方正小标宋简体, 一级标题 黑体,
二级标题 楷体, 三级标题 and body 仿宋 三号 at a fixed 28 pt line, numbered 一、（一）1.

It uses Word's own styles (Title, Heading 1-3, Normal, Caption; Word shows them as 标题 1...),
real tables with a repeating header row and real captions, so the draft can be edited. The
scorecard gets a landscape section. Charts are the PNG of report/chart.py.

Needs python-docx and Pillow: the `reports` extra. `require()` says so before any work.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime, timezone
from pathlib import Path

from indicators.files import atomic_path
from indicators.model.errors import UsageError
from indicators.model.i18n import t
from indicators.report.chart import to_png
from indicators.report.draft import Draft, Entry, Figure, Section, Table, is_number_cell

EXTRA = "reports"
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")

# (east-Asian font, Latin font, size in pt, bold); the title's font is rarely installed
# outside government offices, so the font table names 宋体 as its alternative.
FONTS = {
    "Title": ("方正小标宋简体", "Times New Roman", 22, False),
    "Heading 1": ("黑体", "Times New Roman", 16, False),
    "Heading 2": ("楷体", "Times New Roman", 16, False),
    "Heading 3": ("仿宋", "Times New Roman", 16, True),
    "Normal": ("仿宋", "Times New Roman", 16, False),
    "Caption": ("黑体", "Times New Roman", 10.5, False),
}
ALT_FONTS = {"方正小标宋简体": "宋体", "仿宋": "仿宋_GB2312", "楷体": "楷体_GB2312"}


def require(lang: str = "zh") -> None:
    """Raise a UsageError naming the extra to install when python-docx or Pillow is missing."""
    missing = []
    for module, package in (("docx", "python-docx"), ("PIL", "Pillow")):
        try:
            __import__(module)
        except ImportError:
            missing.append(package)
    if missing:
        raise UsageError(
            t("annual.missing_extra", lang, packages=", ".join(missing), extra=EXTRA),
            hint=f'pip install "indicators[{EXTRA}]"',
        )


def text(value: object) -> str:
    """Characters XML 1.0 cannot hold are dropped (python-docx would refuse the string)."""
    return _CONTROL.sub("", str(value))


def _fonts(style, east: str, latin: str, size: float, bold: bool) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    font = style.font
    font.name = latin
    font.size = Pt(size)
    font.bold = bold
    font.italic = False
    font.color.rgb = RGBColor(0, 0, 0)
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    for attr in ("w:ascii", "w:hAnsi"):
        rfonts.set(qn(attr), latin)
    rfonts.set(qn("w:eastAsia"), east)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme), None)


def _setup(doc, lang: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm, Pt

    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    for name, spec in FONTS.items():
        style = doc.styles[name]
        _fonts(style, *spec)
        pf = style.paragraph_format
        if name == "Caption":
            pf.alignment = WD_ALIGN_PARAGRAPH.CENTER
            pf.space_after = Pt(6)
            continue
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(28 if name != "Title" else 36)
        pf.space_before = Pt(0)
        pf.space_after = Pt(0)
        if name == "Normal":
            pf.first_line_indent = Pt(32)
            pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        elif name == "Title":
            pf.alignment = WD_ALIGN_PARAGRAPH.CENTER
            pf.space_after = Pt(12)
        else:
            pf.first_line_indent = Pt(32)
            pf.keep_with_next = True
            if name == "Heading 1":
                pf.space_before = Pt(14)  # air after a table that ends a section
    title = doc.styles["Title"].element
    for el in title.findall(".//{*}pBdr"):
        el.getparent().remove(el)
    cell = doc.styles.add_style("Table Text", 1)  # paragraph style
    cell.base_style = doc.styles["Normal"]
    _fonts(cell, "仿宋", "Times New Roman", 10.5, False)
    cell.paragraph_format.first_line_indent = Pt(0)
    cell.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    cell.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _alt_fonts(doc)
    if lang == "en":
        for name in FONTS:
            doc.styles[name].font.name = "Times New Roman"


def _alt_fonts(doc) -> None:
    """Font-table entries so Word falls back to an installed font of the same family."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    try:
        part = doc.part.part_related_by(RT.FONT_TABLE)
    except KeyError:
        return
    from docx.oxml import parse_xml

    root = parse_xml(part.blob) if not hasattr(part, "element") else part.element
    ns = root.nsmap.get("w")
    if ns is None:
        return
    for font, alt in ALT_FONTS.items():
        el = root.makeelement(f"{{{ns}}}font", {f"{{{ns}}}name": font})
        sub = el.makeelement(f"{{{ns}}}altName", {f"{{{ns}}}val": alt})
        el.append(sub)
        charset = el.makeelement(f"{{{ns}}}charset", {f"{{{ns}}}val": "86"})
        el.append(charset)
        root.append(el)
    if not hasattr(part, "element"):
        from lxml import etree

        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _orient(doc, landscape: bool) -> None:
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Mm

    sec = doc.add_section(WD_SECTION.NEW_PAGE)
    sec.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    if landscape:
        sec.top_margin, sec.bottom_margin = Mm(20), Mm(20)
        sec.left_margin, sec.right_margin = Mm(25), Mm(25)
    else:
        sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
        sec.left_margin, sec.right_margin = Mm(28), Mm(26)


def _table(doc, tb: Table) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc.add_paragraph(text(tb.caption), style="Caption")
    table = doc.add_table(rows=1 + len(tb.rows), cols=len(tb.header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    size = Pt(9) if tb.wide else None
    # The style id, set on each cell's paragraph directly: python-docx's paragraph.style
    # setter looks the style up by name every time (5 s for the sample's 500 cells).
    sid = doc.styles["Table Text"].style_id
    head = table.rows[0]
    trpr = head._tr.get_or_add_trPr()
    trpr.append(trpr.makeelement(qn("w:tblHeader"), {}))
    for cell, value in zip(head.cells, tb.header, strict=True):
        _cell(cell, value, sid, size, bold=True)
    for row in table.rows:  # a row never breaks across two pages
        pr = row._tr.get_or_add_trPr()
        pr.append(pr.makeelement(qn("w:cantSplit"), {}))
    for row, values in zip(table.rows[1:], tb.rows, strict=True):
        for j, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            _cell(cell, value, sid, size, right=j > 0 and is_number_cell(value))
    _widths(table, tb)


def _widths(table, tb: Table) -> None:
    """Columns as wide as their longest text: short columns get what they need, long ones
    share the rest of the text width in proportion."""
    from docx.shared import Mm

    total = 247 if tb.wide else 156  # mm between the margins (landscape / portrait)
    unit = 1.65 if tb.wide else 1.9  # mm per half-width character at 9 / 10.5 pt
    longest = [
        max(_display_width(r[j]) if j < len(r) else 0 for r in [tb.header, *tb.rows])
        for j in range(len(tb.header))
    ]
    need = [max(n, 4) * unit + 4 for n in longest]  # + cell margins
    short = [n if n <= 26 else 0 for n in need]
    rest = total - sum(short)
    long_need = sum(n for n in need if n > 26)
    if rest <= 0 or long_need == 0:
        widths = [total * n / sum(need) for n in need]
    else:
        widths = [s or rest * n / long_need for s, n in zip(short, need, strict=True)]
    table.autofit = False
    grid = table._tbl.tblGrid.gridCol_lst  # LibreOffice and WPS read the grid, Word the cells
    for j, w in enumerate(widths):
        grid[j].w = Mm(w)
        for cell in table.columns[j].cells:
            cell.width = Mm(w)


def _display_width(value: object) -> int:
    """Half-width units: a Chinese character counts two."""
    return sum(2 if ord(c) >= 0x2E80 else 1 for c in str(value))


def _cell(cell, value: str, sid: str, size, bold: bool = False, right: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    p = cell.paragraphs[0]
    p._p.style = sid
    if right:
        p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = p.add_run(text(value))
    run.bold = bold or None
    if size is not None:
        run.font.size = size


def _figure(doc, fig: Figure) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Cm

    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Cm(0)
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.keep_with_next = True
    p.add_run().add_picture(io.BytesIO(to_png(fig.chart)), width=Cm(14))
    doc.add_paragraph(text(fig.caption), style="Caption")


def _section(doc, sec: Section, depth: int, lang: str) -> None:
    if any(isinstance(b, Table) and b.wide for b in sec.blocks):
        _orient(doc, landscape=True)
        _blocks(doc, sec, depth, lang)
        _orient(doc, landscape=False)
        return
    _blocks(doc, sec, depth, lang)


def _blocks(doc, sec: Section, depth: int, lang: str) -> None:
    doc.add_heading(text(sec.heading), level=depth)
    for b in sec.blocks:
        if isinstance(b, Section):
            _section(doc, b, depth + 1, lang)
        elif isinstance(b, Entry):
            doc.add_heading(text(b.heading), level=3)
            for para in b.paragraphs:
                doc.add_paragraph(text(para))
            _figure(doc, b.figure)
        elif isinstance(b, Table):
            _table(doc, b)
        elif isinstance(b, Figure):
            _figure(doc, b)
        else:
            doc.add_paragraph(text(b))


def build(d: Draft):
    """The python-docx Document of a draft."""
    import docx

    doc = docx.Document()
    _setup(doc, d.lang)
    doc.add_paragraph(text(d.title), style="Title")
    sub = doc.add_paragraph(text(d.subtitle), style="Caption")
    sub.paragraph_format.space_after = docx.shared.Pt(18)
    for sec in d.sections:
        _section(doc, sec, 1, d.lang)
    doc.core_properties.title = text(d.title)
    doc.core_properties.author = "indicators"
    return doc


def write_docx(d: Draft, path: Path, lang: str = "zh") -> None:
    require(lang)
    doc = build(d)
    if d.made is not None:  # not python-docx's template date (2013) nor the zip's own now
        made = d.made.astimezone(timezone.utc).replace(tzinfo=None)
        doc.core_properties.created = doc.core_properties.modified = made
    with atomic_path(path, lang) as tmp:
        buf = io.BytesIO()
        doc.save(buf)
        tmp.write_bytes(_stamped(buf.getvalue(), d.made))


def _stamped(data: bytes, made: datetime | None) -> bytes:
    """The package with every member dated `made` (zip times are local, no zone), so the
    same assessment under SOURCE_DATE_EPOCH gives the same bytes."""
    if made is None:
        return data
    stamp = made.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=max(stamp, (1980, 1, 1, 0, 0, 0)))
            member.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(member, src.read(info))
    return out.getvalue()

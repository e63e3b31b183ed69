"""One streaming pass over a zip workbook: enforce the size budget, find what calamine hides.

python-calamine returns an empty string for an Excel error cell (#DIV/0!) and for a formula cell
that has no cached value. Both must be reported, so the worksheet XML of an .xlsx is scanned here
(byte search, no XML parse) for `t="e"` cells and for formulas without a `<v>` value. The same
pass inflates every member with a byte budget, which is the decompression-bomb guard's second
half (see limits.py).
"""

from __future__ import annotations

import html
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from indicators.model.errors import DataError, said
from indicators.read import xmlrefs
from indicators.read.limits import MAX_UNCOMPRESSED_MB, MB
from indicators.read.odsscan import OdsExtent
from indicators.read.sharedstrings import SharedText, is_shared_strings

# zlib inflates a 27 MB sheet in 1 MB pieces about a quarter faster than in 4 MB ones (the
# output stays in the CPU's cache), and the scan of a piece costs the same per byte
CHUNK = 1 * MB
OVERLAP = 4096
NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

# Every pattern stays inside one tag ([^<>]) or one cell (an optional <f> then <v>): a pattern
# that could run on to a later cell (`.*?<v>`) made a 2 KB sheet of error cells without a
# value take 41 s, quadratic in the cell count (found by the red team).
_F = rb"(?:<f\b[^<>]*/>|<f\b[^<>]*>[^<]*</f>)"
_ERROR_CELL = re.compile(
    rb'<c\b[^<>]*?\br="([A-Z]+)(\d+)"[^<>]*?\bt="e"[^<>]*>\s*' + _F + rb"?\s*<v>([^<]*)</v>"
)
_ERROR_CELL_ALT = re.compile(
    rb'<c\b[^<>]*?\bt="e"[^<>]*?\br="([A-Z]+)(\d+)"[^<>]*>\s*' + _F + rb"?\s*<v>([^<]*)</v>"
)
_NO_VALUE = re.compile(
    rb'<c\b[^<>]*?\br="([A-Z]+)(\d+)"[^<>]*>' + _F + rb"(?:<v\s*/>|<v></v>)?</c>"
)


@dataclass
class SheetMarks:
    """Cells calamine shows as empty that are not: (0-based row, 0-based col) -> text."""

    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    no_value: set[tuple[int, int]] = field(default_factory=set)
    hidden_rows: set[int] = field(default_factory=set)  # 0-based rows hidden in Excel
    hidden_cols: set[int] = field(default_factory=set)  # 0-based columns hidden in Excel
    # the used rectangle as the cell references give it (1-based; 0 = no cell seen), which
    # calamine allocates densely: one stray cell at XFD1048576 is 17 billion cells
    max_row: int = 0
    max_col: int = 0
    far_cell: str = ""  # the reference that set max_col or max_row last
    member: str = ""  # the worksheet's path in the archive
    cells: int = 0  # how many <c> elements the sheet holds


def _extent(buffer: bytes, marks: SheetMarks, tail: bytes = b"") -> xmlrefs.Facts:
    """Track the used rectangle: rows from the <row> elements (one per row, cheap) and from
    cell references with seven-digit rows; columns from the two- and three-letter
    references, else Z when any one-letter reference is present. Cell references are found
    by their literal `r="` (letters then digits: only a <c> has that), whatever whitespace
    the writer puts before the attribute; a reference-like text elsewhere can only make the
    rectangle look bigger (then the sheet is read sparse), never smaller (xmlrefs.py)."""
    found = xmlrefs.facts(tail, buffer)
    rows = found.rows
    if rows and max(rows) > marks.max_row:
        marks.max_row = max(rows)
        marks.far_cell = f"row {marks.max_row}"
    wide = found.wide
    # one letter: at most Z, without listing every cell of a narrow sheet
    letters = wide or (b"Z" if found.narrow else b"")
    if letters:
        col = letters_to_index(letters) + 1
        if col > marks.max_col:
            marks.max_col = col
            marks.far_cell = f"column {wide.decode()}" if wide else ""
    return found


def letters_to_index(letters: bytes | str) -> int:
    n = 0
    for ch in letters.decode() if isinstance(letters, bytes) else letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


_TAG = {
    "sheet": re.compile(rb"<(?:\w+:)?sheet\b[^<>]*>"),
    "rel": re.compile(rb"<(?:\w+:)?Relationship\b[^<>]*>"),
}
_ATTR = re.compile(rb'\b((?:\w+:)?\w+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')


def _tags(data: bytes, tag: str) -> list[dict[str, str]]:
    """The attributes of every `tag` element, without an XML parser (local names)."""
    out = []
    for m in _TAG[tag].finditer(data):
        attrs = {}
        for a in _ATTR.finditer(m.group(0)):
            value = (a.group(2) if a.group(2) is not None else a.group(3)) or b""
            key = a.group(1).decode("ascii", "replace").split(":")[-1]
            attrs[key] = html.unescape(value.decode("utf-8", "replace"))
        out.append(attrs)
    return out


def _sheet_ids(archive: zipfile.ZipFile) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """[(sheet name, relationship id)] and {relationship id: target}. The XML parser first;
    when it refuses the XML (an undefined entity such as `&foo;`, an unknown encoding name)
    the elements are read by pattern instead: calamine still reads such a file, and without
    the sheet paths its #DIV/0! cells would go unreported (found by the red team)."""
    book_xml = archive.read("xl/workbook.xml")
    rels_xml = archive.read("xl/_rels/workbook.xml.rels")
    try:
        book = ET.fromstring(book_xml)
        rels = ET.fromstring(rels_xml)
    except (ET.ParseError, LookupError, ValueError):  # LookupError: bad encoding name
        sheets = [(a.get("name", ""), a.get("id", "")) for a in _tags(book_xml, "sheet")]
        return sheets, {a.get("Id", ""): a.get("Target", "") for a in _tags(rels_xml, "rel")}
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{NS_PKG_REL}Relationship")}
    sheets = [(s.get("name", ""), s.get(f"{NS_REL}id", "")) for s in book.iter(f"{NS_MAIN}sheet")]
    return sheets, targets  # type: ignore[return-value]


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet member path -> sheet name, from workbook.xml and its relationships."""
    try:
        sheets, targets = _sheet_ids(archive)
    except KeyError:
        return {}
    paths = {}
    for name, rid in sheets:
        target = targets.get(rid, "")
        if target:
            full = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            paths[posixpath.normpath(full)] = name
    return paths


_HIDDEN_ROW = re.compile(rb'<row\b[^<>]*?\bhidden="(?:1|true)"[^<>]*>')
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_HIDDEN_COL = re.compile(rb'<col\b[^<>]*?\bhidden="(?:1|true)"[^<>]*>')
_COL_SPAN = (re.compile(rb'\bmin="(\d+)"'), re.compile(rb'\bmax="(\d+)"'))


def _scan(tail: bytes, chunk: bytes, marks: SheetMarks, shared: SharedText) -> None:
    found = _extent(chunk, marks, tail)
    marks.cells += found.cells
    shared.references += found.shared
    if not (found.hidden or found.errors or found.unvalued):
        return
    buffer = tail + chunk
    if found.hidden:
        for m in _HIDDEN_ROW.finditer(buffer):
            if n := _ROW_NUMBER.search(m.group(0)):
                marks.hidden_rows.add(int(n.group(1)) - 1)
        for m in _HIDDEN_COL.finditer(buffer):
            lo, hi = (p.search(m.group(0)) for p in _COL_SPAN)
            if lo and hi:
                marks.hidden_cols.update(range(int(lo.group(1)) - 1, min(int(hi.group(1)), 16384)))
    if found.errors:
        for pattern in (_ERROR_CELL, _ERROR_CELL_ALT):
            for m in pattern.finditer(buffer):
                pos = (int(m.group(2)) - 1, letters_to_index(m.group(1)))
                marks.errors[pos] = m.group(3).decode("utf-8", "replace")
    if found.unvalued:
        for m in _NO_VALUE.finditer(buffer):
            marks.no_value.add((int(m.group(2)) - 1, letters_to_index(m.group(1))))


def scan_zip(path: Path, archive: zipfile.ZipFile, *, is_xlsx: bool) -> dict[str, SheetMarks]:
    """Inflate every member within the budget; for .xlsx return the marks per sheet name."""
    budget = MAX_UNCOMPRESSED_MB.value * MB
    used = 0
    sheet_paths = _sheet_paths(archive) if is_xlsx else {}
    found: dict[str, SheetMarks] = {}
    shared = SharedText()
    sheet_members: list[zipfile.ZipInfo] = []
    for info in archive.infolist():
        if info.is_dir():
            continue
        sheet = sheet_paths.get(posixpath.normpath(info.filename))
        marks = SheetMarks() if sheet is not None else None
        strings = is_xlsx and is_shared_strings(info.filename)
        ods = None if is_xlsx or info.filename != "content.xml" else OdsExtent(path)
        if marks is not None:
            sheet_members.append(info)
        tail = b""
        try:
            with archive.open(info) as member:
                while chunk := member.read(CHUNK):
                    used += len(chunk)
                    if used > budget:
                        raise MAX_UNCOMPRESSED_MB.refuse(
                            path, said("read.found.inflates", mb=f"{used / MB:.0f}")
                        )
                    if marks is not None:
                        _scan(tail, chunk, marks, shared)
                        tail = chunk[-OVERLAP:]
                    elif strings:
                        shared.feed_strings(chunk)
                    elif ods is not None:
                        ods.feed(chunk)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error) as exc:
            damaged = said("read.damaged_member", member=info.filename, reason=str(exc))
            raise DataError(
                said("read.in_file", file=path.name, what=damaged),
                hint=said("read.hint.fresh_copy_resave"),
            ) from exc
        except RuntimeError as exc:  # encrypted member
            locked = said("read.password_reason", reason=str(exc))
            raise DataError(said("read.in_file", file=path.name, what=locked)) from exc
        if marks is not None:
            marks.member = info.filename
            found[sheet] = marks
    shared.budget_hint = budget - used
    expanded = shared.expanded(archive, sheet_members, CHUNK)
    if used + expanded > budget:
        raise MAX_UNCOMPRESSED_MB.refuse(
            path,
            said(
                "read.found.shared_repeat",
                n=shared.references,
                mb=f"{(used + expanded) / MB:.0f}",
            ),
        )
    return found

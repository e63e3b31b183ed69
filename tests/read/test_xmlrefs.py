"""The vectorised scan of worksheet XML gives exactly what the regular expressions give.

The zip scan's extent guard once ran these expressions over every byte of every sheet; it now
asks numpy (read/xmlrefs.py) and hands only unusual layouts to the expressions. A reference
the fast path missed would make the rectangle smaller than the cells calamine allocates, so
the facts are compared with the expressions (written out here, as the specification) on XML
built from the pieces a hostile or unusual writer could combine, cut anywhere between the
previous chunk's tail and the new chunk.
"""

from __future__ import annotations

import re
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.read import xmlrefs
from indicators.read.xmlrefs import facts
from indicators.read.zipscan import letters_to_index

ROW_REF = re.compile(rb'<row\b[^<>]*?\br="(\d+)"')
CELL_ROW = re.compile(rb'r="[A-Z]{1,3}(\d{7,})"')
CELL_WIDE = re.compile(rb'r="([A-Z]{2,3})\d')
CELL_NARROW = re.compile(rb'r="[A-Z]\d')
_F = rb"(?:<f\b[^<>]*/>|<f\b[^<>]*>[^<]*</f>)"  # zipscan's formula cell without a value
NO_VALUE = re.compile(rb'<c\b[^<>]*?\br="([A-Z]+)(\d+)"[^<>]*>' + _F + rb"(?:<v\s*/>|<v></v>)?</c>")


def expected(tail: bytes, chunk: bytes) -> dict:
    buffer = tail + chunk
    rows = [int(r) for r in ROW_REF.findall(buffer) + CELL_ROW.findall(buffer)]
    wide = set(CELL_WIDE.findall(buffer))
    return {
        "row": max(rows, default=None),
        "wide": max(wide, key=letters_to_index) if wide else b"",
        "narrow": CELL_NARROW.search(buffer) is not None,
        # those that end in the chunk: a stream of chunks counts each once
        "cells": sum(buffer.count(p) - tail.count(p) for p in (b"<c ", b"<c>")),
        "shared": buffer.count(b't="s"') - tail.count(b't="s"'),
        "errors": b't="e"' in buffer,
        "hidden": b'hidden="' in buffer,
    }


def got(tail: bytes, chunk: bytes) -> dict:
    f = facts(tail, chunk)
    return {
        "row": max(f.rows, default=None),
        "wide": f.wide,
        "narrow": f.narrow,
        "cells": f.cells,
        "shared": f.shared,
        "errors": f.errors,
        "hidden": f.hidden,
    }


PIECES = [
    "<row ",
    "<row",
    "<rows ",
    "<row\t",
    "<row  ",
    '<row spans="1:3" ',
    "</row>",
    ' r="',
    'r="',
    '\tr="',
    '\nr="',
    'header="',
    '_r="',
    'xr="',
    "<c ",
    "<c>",
    "<c",
    "<col ",
    "<cols>",
    "<c/>",
    "</c>",
    "<f>",
    "<f ",
    "<f/>",
    "<foo",
    "<f",
    "A",
    "B",
    "Z",
    "AA",
    "AG",
    "ZZ",
    "AAA",
    "XFD",
    "ABCD",
    "a",
    "0",
    "1",
    "7",
    "9",
    "123",
    "999999",
    "1000000",
    "1048576",
    "12345678901",
    '"',
    ">",
    "<",
    " ",
    't="s"',
    't="e"',
    't="',
    "s",
    "e",
    'hidden="',
    "hidde",
    'n="',
    "=",
    '="',
    "_",
    "<v>1</v>",
    "社区",
    "\x00",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60), st.integers(0, 400))
def test_the_facts_are_those_of_the_expressions(pieces: list[str], cut: int) -> None:
    xml = "".join(pieces).encode()
    tail, chunk = xml[: min(cut, len(xml))], xml[min(cut, len(xml)) :]
    assert got(tail, chunk) == expected(tail, chunk)
    # the gate of the formula expression: open whenever the expression would find a cell
    assert facts(tail, chunk).unvalued or not NO_VALUE.search(tail + chunk)


@pytest.mark.parametrize(
    "xml",
    [
        b'<row r="5"><c r="B5"><v>1</v></c></row><pageMargins header="0.3"/>',
        b'<row spans="1:2" r="7"><c r="AB7"/></row>',  # the row number not first in its tag
        b'<row r="1" r="900"><c r="A1"/></row>',  # ROW_REF takes the first
        b'<row r="12x" r="40"><c r="A1"/></row>',  # ...that is a number
        b'<row r="3"><c r="XFD3"/><c r="AAA3"/><c r="ZZ3"/></row>',
        b'<row r="2"><c r="A1048576"/><c r="AB12345678"/></row>',
        b'<row r="2"><c r="AAA1048576"/></row>',  # seven digits after three letters
        b'<row r="2"><c r="AB1000000"/></row>',
        b'<row\n r="2"><c r="A2"/></row>',
        b'<row r="2"><c r="A1"><v>1234567</v></c></row>',  # seven digits, not a row
        b'<row r="123456789012"><c r="A1"/></row>',
        b'<row r="2"><c r="ABCD1"/><c r="A"/><c r="1"/></row>',
        b'<t>r="A9999999" r="QQ1"</t>',  # reference-like text counts, as it always did
    ],
)
def test_unusual_layouts_give_the_facts_of_the_expressions(xml: bytes) -> None:
    for cut in range(len(xml) + 1):
        assert got(xml[:cut], xml[cut:]) == expected(xml[:cut], xml[cut:]), cut


def test_a_large_generated_sheet_gives_the_facts_of_the_expressions(tmp_path, monkeypatch):
    """A sheet as xlsxwriter writes it (inline strings, 40 columns, 3,000 rows), in chunks:
    the facts of the expressions, found without them (the slow path is for odd layouts)."""
    import xlsxwriter

    path = tmp_path / "large.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for r in range(3000):
        for c in range(40):
            sheet.write(r, c, f"社区{r}" if c % 3 else r * c)
    sheet.set_row(17, None, None, {"hidden": True})
    book.close()
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    monkeypatch.setattr(xmlrefs, "ROW_REF", None)  # any use fails
    monkeypatch.setattr(xmlrefs, "CELL_ROW", None)
    size, tail, cells = 65536, b"", 0
    for start in range(0, len(xml), size):
        chunk = xml[start : start + size]
        assert got(tail, chunk) == expected(tail, chunk)
        cells += facts(tail, chunk).cells
        tail = chunk[-4096:]
    assert cells == 3000 * 40  # each cell once, those the chunks' edges cut too


@pytest.mark.parametrize(
    ("cell", "unvalued"),
    [
        (b'<c r="AH4"><f>E4+F4</f><v>0</v></c>', False),  # as Excel and WPS save it
        (b'<c r="AH5"><f t="shared" ref="AH5:AH9" si="0">E5+F5</f><v>12</v></c>', False),
        (b'<c r="AH6"><f t="shared" si="0"/><v>7</v></c>', False),
        (b'<c r="AH4"><f>E4+F4</f></c>', True),  # never calculated: no value
        (b'<c r="AH4"><f>E4+F4</f><v></v></c>', True),
        (b'<c r="AH4"><f t="shared" si="0"/><v/></c>', True),
        (b'<c r="AH4"><f>' + b"A1+" * 40 + b"A1</f><v>3</v></c>", True),  # too long to tell
    ],
)
def test_a_formula_with_its_value_does_not_open_the_formula_expression(cell, unvalued):
    xml = b'<row r="4">' + cell + b"</row>"
    assert facts(b"", xml).unvalued is unvalued
    assert (NO_VALUE.search(xml) is not None) <= unvalued


@pytest.mark.parametrize("piece", [b"<f", b'="', b"<c ", b'r="A1"', b"<f>1</f>"])
def test_a_chunk_of_one_hostile_piece_stays_within_a_few_times_its_size(piece: bytes) -> None:
    """The arrays hold positions of what was found: a 1 MB chunk of nothing but formulas or
    attributes must not cost hundreds of MB (formulas are looked at a few thousand at a time)."""
    import tracemalloc

    chunk = piece * (2**20 // len(piece))
    tracemalloc.start()
    try:
        facts(b"", chunk)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 32 * 2**20, f"{peak / 2**20:.0f} MB"

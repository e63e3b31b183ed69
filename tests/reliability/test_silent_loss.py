"""Second red-team round: inputs that were read silently wrong, or named no line.

Each test builds its hostile input, runs the command line and asserts the exit code, the
message (file and line or cell), that no report was left and that the input is unchanged.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from helpers import english_texts

from .inputs import (
    HEADER,
    PLAN,
    check,
    inline_row,
    run_capped,
    runner,
    sha256,
    sheet_xml,
    xlsx_parts,
)

english = english_texts  # the English texts of file-level errors (--lang en)

DATA_INVALID = 2


def _census_lines(n: int) -> list[str]:
    lines = [",".join(HEADER)]
    for i in range(n):
        lines.append(f"A区,一街道,社区{i:03d},{1000 + i},{3000 + i},{300 + i},是")
    return lines


def test_csv_unterminated_quote_is_an_error_naming_the_line(tmp_path: Path) -> None:
    """One unterminated quote made both CSV parsers read the rest of the file as one cell:
    9 of 120 communities were counted, exit 0."""
    lines = _census_lines(120)
    lines[10] = lines[10].replace("社区009", '"社区009')  # line 11 of the file
    path = tmp_path / "街道汇总.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    digest = sha256(path)
    out = tmp_path / "gaps.xlsx"
    result = check(path, "--out", out)
    assert result.exit_code == DATA_INVALID, result.output
    assert "街道汇总.csv: a quoted cell opened on line 11 is never closed" in result.output
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == [path.name]
    assert sha256(path) == digest


def test_csv_unterminated_quote_in_the_last_column_gbk(tmp_path: Path) -> None:
    """In the last column the row keeps its width, so pyarrow took it without a word."""
    lines = _census_lines(40)
    lines[30] = lines[30][:-1] + '"是'
    path = tmp_path / "gbk.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    result = check(path)
    assert result.exit_code == DATA_INVALID, result.output
    assert "gbk.csv: a quoted cell opened on line 31 is never closed" in result.output


def test_csv_quotes_that_close_are_still_read(tmp_path: Path) -> None:
    """An odd number of quote characters is not by itself an error: a stray inch mark."""
    lines = _census_lines(5)
    lines.append('A区,一街道,"社区""新""",1200,3400,300,是')
    lines.append('A区,一街道,社区5",1200,3400,300,是')
    path = tmp_path / "ok.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(
        __import__("indicators.cli", fromlist=["app"]).app,
        ["inspect", str(path)],
    )
    assert result.exit_code == 0, result.output
    assert "never closed" not in result.output


def test_csv_nul_byte_names_the_line(tmp_path: Path) -> None:
    lines = _census_lines(10)
    path = tmp_path / "nul.csv"
    path.write_bytes("\n".join(lines[:7]).encode() + b"\nA\x00\n" + "\n".join(lines[7:]).encode())
    result = check(path)
    assert result.exit_code == DATA_INVALID, result.output
    assert "nul.csv: is neither a workbook nor a text table" in result.output
    assert "line 8 holds a NUL byte" in result.output


def test_csv_with_gbk_rows_in_utf8_names_the_line(tmp_path: Path) -> None:
    """Rows pasted from a GBK file: decoding all as GB18030 would garble every UTF-8 name."""
    lines = _census_lines(10)
    data = "\n".join(lines[:6]).encode("utf-8") + b"\n" + "\n".join(lines[6:]).encode("gbk")
    path = tmp_path / "mixed.csv"
    path.write_bytes(data)
    result = check(path)
    assert result.exit_code == DATA_INVALID, result.output
    assert "mixed.csv: mixes text encodings" in result.output
    assert "line 7 is not" in result.output


def _error_cell_workbook(path: Path, workbook_xml: str | None) -> Path:
    rows = [inline_row(1, HEADER)]
    rows.append(inline_row(2, ["A区", "一街道", "甲社区", 1200, 3500, 400, "是"]))
    rows.append(
        '<row r="3"><c r="A3" t="inlineStr"><is><t>A区</t></is></c>'
        '<c r="B3" t="inlineStr"><is><t>一街道</t></is></c>'
        '<c r="C3" t="inlineStr"><is><t>乙社区</t></is></c>'
        '<c r="D3" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="E3"><v>3600</v></c>'
        '<c r="F3"><v>500</v></c><c r="G3" t="inlineStr"><is><t>是</t></is></c></row>'
    )
    parts: dict[str, bytes | str] = {"sheet": sheet_xml("".join(rows))}
    if workbook_xml is not None:
        parts["xl/workbook.xml"] = workbook_xml
    return xlsx_parts(path, parts)


def test_undefined_entity_in_workbook_xml_does_not_hide_excel_errors(tmp_path: Path) -> None:
    """`&foo;` in xl/workbook.xml made the XML parser give up on the sheet list, so the
    #DIV/0! cells were never looked for and `validate` passed the file."""
    plain = _error_cell_workbook(tmp_path / "plain.xlsx", None)
    entity = _error_cell_workbook(
        tmp_path / "entity.xlsx",
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
        'org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships"><workbookPr codeName="&foo;"/><sheets>'
        '<sheet name="社区基本情况" sheetId="1" r:id="rId1"/></sheets></workbook>',
    )
    app = __import__("indicators.cli", fromlist=["app"]).app
    for path in (plain, entity):
        result = runner.invoke(app, ["validate", str(path), "--plan", PLAN])
        assert result.exit_code == DATA_INVALID, result.output
        assert "社区基本情况!D3" in result.output and "#DIV/0!" in result.output


@pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX only")
def test_error_cells_without_values_are_scanned_in_linear_time(tmp_path: Path) -> None:
    """`<c t="e">` cells with no <v>: the scan ran on to the end of the sheet for each one
    (41 s for a 2 KB file). 30,000 such cells now take well under a second to scan."""
    cells = "".join(f'<row r="{r}"><c r="A{r}" t="e"><f>1/0</f></c></row>' for r in range(1, 30001))
    path = xlsx_parts(tmp_path / "errors.xlsx", {"sheet": sheet_xml(cells)})
    assert path.stat().st_size < 200_000
    rc, out, _peak, seconds = run_capped("check", path, "--plan", PLAN, timeout=60)
    assert rc == DATA_INVALID, out
    assert "Traceback" not in out
    assert seconds < 30, f"{seconds:.0f} s"


@pytest.mark.skipif(sys.platform == "win32", reason="sparse files and resource are POSIX")
def test_file_size_is_checked_before_reading(tmp_path: Path) -> None:
    """A 2 GB census was read whole (2.2 GB RSS) before the size limit refused it."""
    path = tmp_path / "huge.csv"
    with path.open("wb") as fh:  # sparse: 600 MB on paper, nothing on disk
        fh.write(",".join(HEADER).encode())
        fh.truncate(600 * 1024 * 1024)
    rc, out, peak_mb, _ = run_capped("check", path, "--plan", PLAN, cap_mb=1500)
    assert rc == DATA_INVALID, out
    assert "huge.csv: the file is 600 MB, over the file size limit of 512 MB" in out
    assert peak_mb < 250, f"peak RSS {peak_mb:.0f} MB"

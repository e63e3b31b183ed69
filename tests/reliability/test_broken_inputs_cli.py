"""Broken and hostile census files through `indicators check FILE --plan hengshui-2021-2025`.

One test per input class of the reliability issue: each asserts what the user is told and the
exit code (2 = the census cannot be used; 4 = usage, such as an output path that is refused),
and that no traceback reaches the terminal. docs/reliability.md tabulates the same classes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from helpers import crashed, english_texts

from .inputs import (
    ENCRYPTED,
    HEADER,
    PLAN,
    ROWS,
    bomb,
    check,
    clean_xlsx,
    write_csv,
    write_xlsx,
)

english = english_texts  # the English texts of file-level errors (--lang en)

DATA_INVALID = 2
USAGE = 4
INTERRUPTED = 130


def refused(result, *fragments: str, code: int = DATA_INVALID) -> str:
    out = result.output
    assert result.exit_code == code, out
    assert not crashed(out), out
    for fragment in fragments:
        assert fragment in out, f"{fragment!r} not in:\n{out}"
    return out


# --- not a workbook at all -------------------------------------------------------------------


def test_renamed_docx(tmp_path: Path) -> None:
    path = tmp_path / "街道报告.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml", '<Types><Override PartName="/word/document.xml"/></Types>'
        )
        z.writestr("_rels/.rels", "<Relationships/>")
        z.writestr("word/document.xml", "<w:document><w:body>社区基本情况</w:body></w:document>")
    refused(check(path), "this is a Word document (.docx), not a workbook")


def test_plain_text_file(tmp_path: Path) -> None:
    path = tmp_path / "通知.txt"
    path.write_text("各街道：\n请于本月底前报送社区基本情况统计表。\n谢谢！\n", encoding="utf-8")
    refused(check(path), "no header row found", "hint: run `indicators inspect`")


def test_text_file_renamed_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("这不是表格\n", encoding="utf-8")
    refused(check(path), "no header row found")


# --- damaged zip -----------------------------------------------------------------------------


def test_truncated_zip(tmp_path: Path) -> None:
    data = clean_xlsx(tmp_path / "whole.xlsx").read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    refused(check(path), "the file is damaged or truncated (not a readable zip archive)")


def test_corrupted_zip_member(tmp_path: Path) -> None:
    source = clean_xlsx(tmp_path / "whole.xlsx")
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + 5
    data[start : start + 20] = b"\xff" * 20
    path = tmp_path / "bad.xlsx"
    path.write_bytes(bytes(data))
    refused(check(path), "bad.xlsx: the file is damaged", "hint: ask the sender for a fresh copy")


# --- password-protected ----------------------------------------------------------------------


def test_password_protected_workbook(tmp_path: Path) -> None:
    """A real workbook encrypted as Excel does it (fixtures/make_encrypted.py)."""
    path = tmp_path / "加密.xlsx"
    path.write_bytes(ENCRYPTED.read_bytes())
    refused(
        check(path),
        "the workbook is password-protected (encrypted)",
        "hint: remove the password in Excel or WPS",
    )


def test_password_protected_workbook_named_xls(tmp_path: Path) -> None:
    path = tmp_path / "加密.xls"
    path.write_bytes(ENCRYPTED.read_bytes())
    refused(check(path), "password-protected")


# --- empty, no rows, header only -------------------------------------------------------------


def test_empty_workbook(tmp_path: Path) -> None:
    path = tmp_path / "blank.xlsx"
    openpyxl.Workbook().save(path)
    refused(check(path), "blank.xlsx: the file is empty (no cells with values)")


def test_zero_byte_file(tmp_path: Path) -> None:
    path = tmp_path / "zero.xlsx"
    path.write_bytes(b"")
    refused(check(path), "zero.xlsx: the file is empty (0 bytes)")


@pytest.mark.zh
def test_sheet_with_no_rows_is_skipped_and_the_rest_checked(tmp_path: Path) -> None:
    path = clean_xlsx(tmp_path / "two.xlsx")
    wb = openpyxl.load_workbook(path)
    wb.create_sheet("空表")
    wb.save(path)
    result = check(path)
    assert result.exit_code == 0, result.output
    assert "项达标" in result.output  # the summary of the sheet that has rows


def test_selected_sheet_with_no_rows(tmp_path: Path) -> None:
    path = clean_xlsx(tmp_path / "two.xlsx")
    wb = openpyxl.load_workbook(path)
    wb.create_sheet("空表")
    wb.save(path)
    refused(check(path, "--sheet", "空表"), "sheet '空表' has no header row")


def test_only_sheet_has_no_rows(tmp_path: Path) -> None:
    path = tmp_path / "onlyempty.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "空表"
    wb.save(path)
    refused(check(path), "the file is empty")


def test_header_only(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "header.xlsx", [HEADER])
    refused(check(path), "the header was found but there are no community rows below it")


def test_header_only_csv(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "header.csv", [HEADER])
    refused(check(path), "no community rows")


# --- size of a sheet -------------------------------------------------------------------------


def test_thousands_of_columns(tmp_path: Path) -> None:
    wide = [HEADER + [f"附加{i}" for i in range(3000)], ROWS[0] + [1] * 3000]
    path = write_xlsx(tmp_path / "wide.xlsx", wide)
    refused(
        check(path),
        "sheet '社区基本情况' has 3007 columns (the farthest cell is in column DKQ), "
        "over the columns per sheet limit of 1000 columns",
        "hint: if the file is genuine, raise the limit: INDICATORS_MAX_COLUMNS=<columns>",
    )


def test_thousands_of_columns_allowed_when_the_limit_is_raised(tmp_path: Path) -> None:
    wide = [HEADER + [f"附加{i}" for i in range(3000)], *(r + [1] * 3000 for r in ROWS)]
    path = write_csv(tmp_path / "wide.csv", wide)
    assert check(path).exit_code == DATA_INVALID
    result = check(path, env={"INDICATORS_MAX_COLUMNS": "5000"})
    assert result.exit_code == 0, result.output


def test_very_long_string_in_csv(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(",".join(HEADER) + "\nA区,一街道," + "社" * 200_000 + ",1,2,3,是\n")
    refused(
        check(path),
        "a cell holds too much text, over the characters per cell limit of 100000 characters",
        "INDICATORS_MAX_CELL_CHARS",
    )


def test_very_long_string_in_xlsx_is_a_cell_error_shortened(tmp_path: Path) -> None:
    long = "很长" * 20_000
    path = write_xlsx(tmp_path / "long.xlsx", [HEADER, *ROWS, ["A区", "一街道", "丁社区", long]])
    out = refused(check(path, "--lang", "en"), "1 data error", "D5", "should be a number")
    assert long[:200] not in out  # shown shortened, not 40,000 characters


# --- bad cell values -------------------------------------------------------------------------


@pytest.mark.zh
def test_cells_with_excel_errors(tmp_path: Path) -> None:
    rows = [HEADER, ROWS[0], ["A区", "一街道", "乙社区", "#DIV/0!", 3600, "#N/A", "是"], ROWS[2]]
    path = write_xlsx(tmp_path / "errors.xlsx", rows)
    refused(
        check(path),
        "发现 2 个数据错误",
        "社区基本情况!D3",
        "「户数」单元格是 Excel 错误值「#DIV/0!」",
        "社区基本情况!F3",
        "#N/A",
    )


def test_excel_error_text_in_csv(tmp_path: Path) -> None:
    rows = [HEADER, ROWS[0], ["A区", "一街道", "乙社区", "#VALUE!", 3600, 500, "是"]]
    path = write_csv(tmp_path / "errors.csv", rows)
    refused(check(path, "--lang", "en"), "D3", "holds the Excel error “#VALUE!”")


@pytest.mark.zh
def test_dates_where_numbers_belong(tmp_path: Path) -> None:
    rows = [HEADER, ROWS[0], ["A区", "一街道", "乙社区", dt.datetime(2021, 3, 4), 3600, 500, "是"]]
    path = write_xlsx(tmp_path / "dates.xlsx", rows)
    refused(
        check(path),
        "社区基本情况!D3",
        "「户数」应为数字，实际为日期「2021-03-04」（可能是单元格格式被设为日期）",
    )


# --- decompression bomb within a memory bound ------------------------------------------------

MEMORY_BOUND_MB = 400
# Runs a command as a child and reports that child's peak RSS: pytest's own children (and
# pytest itself) must not count, so the measuring process is a fresh one.
MEASURE = """
import json, resource, subprocess, sys
p = subprocess.run(sys.argv[1:], capture_output=True, text=True)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"rc": p.returncode, "out": p.stdout + p.stderr, "peak": peak}))
"""


@pytest.fixture(scope="module")
def bomb_xlsx(tmp_path_factory) -> Path:
    path = bomb(tmp_path_factory.mktemp("bomb") / "bomb.xlsx", 1100)  # 1.1 GB in ~5 MB
    assert path.stat().st_size < 10 * 1024 * 1024
    return path


def run_measured(path: Path, **env: str) -> tuple[int, str, float]:
    command = [sys.executable, "-m", "indicators", "check", str(path), "--plan", PLAN]
    proc = subprocess.run(
        [sys.executable, "-c", MEASURE, *command],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=300,
        check=True,
    )
    report = json.loads(proc.stdout)
    peak_mb = report["peak"] / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return report["rc"], report["out"], peak_mb


@pytest.mark.skipif(sys.platform == "win32", reason="resource.getrusage is POSIX only")
def test_decompression_bomb_refused_by_size_within_memory_bound(bomb_xlsx: Path) -> None:
    rc, out, peak_mb = run_measured(bomb_xlsx)
    assert rc == DATA_INVALID, out
    assert "the archive declares more than 1100 MB uncompressed" in out
    assert "over the uncompressed size limit of 1024 MB" in out
    assert (
        "hint: if the file is genuine, raise the limit: INDICATORS_MAX_UNCOMPRESSED_MB=<MB>" in out
    )
    assert peak_mb < MEMORY_BOUND_MB, f"peak RSS {peak_mb:.0f} MB"


@pytest.mark.skipif(sys.platform == "win32", reason="resource.getrusage is POSIX only")
def test_decompression_bomb_refused_by_ratio_within_memory_bound(bomb_xlsx: Path) -> None:
    """With the size limit raised far above the bomb, the ratio guard still stops it."""
    rc, out, peak_mb = run_measured(bomb_xlsx, INDICATORS_MAX_UNCOMPRESSED_MB="100000")
    assert rc == DATA_INVALID, out
    assert "member xl/worksheets/sheet1.xml inflates" in out
    assert "over the compression ratio limit of 200 to 1" in out
    assert "INDICATORS_MAX_COMPRESSION_RATIO" in out
    assert peak_mb < MEMORY_BOUND_MB, f"peak RSS {peak_mb:.0f} MB"


# --- outputs: Ctrl-C, the input untouched, --out over the input -----------------------------


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_ctrl_c_while_writing_leaves_no_partial_file(tmp_path: Path, monkeypatch) -> None:
    pytest.importorskip(
        "indicators.report.outputs", reason="report/outputs.py (--out writers) not there yet"
    )
    from indicators import files as safe

    census = clean_xlsx(tmp_path / "census.xlsx")
    real_open = open

    class Interrupted:
        """A file that takes half of what is written, then the user presses Ctrl-C."""

        def __init__(self, *args, **kw):
            self.fh = real_open(*args, **kw)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()
            return False

        def write(self, text):
            self.fh.write(text[: len(text) // 2])
            self.fh.flush()
            raise KeyboardInterrupt

    monkeypatch.setattr(safe, "open", Interrupted, raising=False)
    before = sorted(p.name for p in tmp_path.iterdir())
    result = check(census, "--out", tmp_path / "gaps.csv")
    assert result.exit_code == INTERRUPTED, result.output
    assert "interrupted" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no gaps.csv, no temp file


def test_ctrl_c_while_building_the_workbook_leaves_no_partial_file(
    tmp_path: Path, monkeypatch
) -> None:
    workbook = pytest.importorskip(
        "indicators.report.workbook", reason="report/workbook.py (gap workbook) not there yet"
    )
    census = clean_xlsx(tmp_path / "census.xlsx")
    build = workbook.build_workbook

    def build_then_interrupt(wb, *args, **kw):
        build(wb, *args, **kw)  # the sheets are built; xlsxwriter has temp data
        raise KeyboardInterrupt

    monkeypatch.setattr(workbook, "build_workbook", build_then_interrupt)
    before = sorted(p.name for p in tmp_path.iterdir())
    result = check(census, "--out", tmp_path / "gaps.xlsx", "--out", tmp_path / "gaps.json")
    assert result.exit_code == INTERRUPTED, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_input_is_never_modified(tmp_path: Path) -> None:
    census = clean_xlsx(tmp_path / "census.xlsx")
    digest, mtime = _sha(census), census.stat().st_mtime_ns
    outs = [tmp_path / f"gaps{s}" for s in (".xlsx", ".csv", ".json", ".md")]
    pytest.importorskip("indicators.report.outputs", reason="report/outputs.py not there yet")
    result = check(census, *[a for o in outs for a in ("--out", o)])
    assert result.exit_code == 0, result.output
    assert all(o.exists() for o in outs)
    assert _sha(census) == digest and census.stat().st_mtime_ns == mtime


def test_input_with_data_errors_is_never_modified(tmp_path: Path) -> None:
    rows = [HEADER, ROWS[0], ["A区", "一街道", "乙社区", "#DIV/0!", 3600, 500, "是"]]
    census = write_xlsx(tmp_path / "errors.xlsx", rows)
    digest = _sha(census)
    assert check(census, "--out", tmp_path / "gaps.csv").exit_code == DATA_INVALID
    assert _sha(census) == digest


@pytest.mark.parametrize("spelling", ["same", "dotted", "symlink"])
def test_out_equal_to_the_input_is_refused(tmp_path: Path, spelling: str) -> None:
    census = write_csv(tmp_path / "census.csv", [HEADER, *ROWS])
    digest = _sha(census)
    out = {
        "same": census,
        "dotted": tmp_path / "." / "sub" / ".." / "census.csv",
        "symlink": tmp_path / "link.csv",
    }[spelling]
    (tmp_path / "sub").mkdir()
    if spelling == "symlink":
        out.symlink_to(census)
    result = check(census, "--out", out, "--lang", "en")
    refused(
        result, "is an input census file; writing the report there would overwrite it", code=USAGE
    )
    assert _sha(census) == digest


def test_infinite_numbers_are_cell_errors(tmp_path: Path) -> None:
    """Found by fuzzing: "inf" and "1e309" were read as valid counts and summed."""
    rows = [HEADER, ["A区", "一街道", "甲社区", "inf", 3500, 400, "是"], ROWS[1]]
    rows.append(["A区", "二街道", "丙村", "1e309", 2100, 120, "有"])
    path = write_csv(tmp_path / "inf.csv", rows)
    refused(
        check(path, "--lang", "en"),
        "2 data errors",
        "“户数” should be a number, found “inf”",
        "found “1e309”",
    )

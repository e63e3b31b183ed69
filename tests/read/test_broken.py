"""Broken and hostile census files: a clear DataError naming the file, never a traceback."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest

from indicators.model.errors import DataError, ExitCode

from .census_files import HEADER, ROWS, read, write_xlsx


def refused(path: Path, match: str) -> DataError:
    with pytest.raises(DataError, match=match) as info:
        read(path)
    assert path.name in info.value.message
    assert info.value.exit_code is ExitCode.DATA_INVALID
    return info.value


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    refused(path, "empty")


def test_prose_text_renamed_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("各街道：\n请于本月底前报送社区基本情况。\n谢谢！\n", encoding="utf-8")
    refused(path, "no header row")


def test_binary_garbage(tmp_path: Path) -> None:
    path = tmp_path / "garbage.xls"
    path.write_bytes(bytes(range(256)) * 40)
    refused(path, "neither a workbook nor a text table")


def test_renamed_docx(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    refused(path, "Word document")


def test_truncated_xlsx(tmp_path: Path, clean_xlsx: Path) -> None:
    data = clean_xlsx.read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    refused(path, "damaged")


def test_corrupted_member(tmp_path: Path, clean_xlsx: Path) -> None:
    data = bytearray(clean_xlsx.read_bytes())
    with zipfile.ZipFile(clean_xlsx) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + 5
    data[start : start + 20] = b"\xff" * 20
    path = tmp_path / "bad.xlsx"
    path.write_bytes(bytes(data))
    refused(path, "damaged")


def test_password_protected(tmp_path: Path) -> None:
    # An encrypted OOXML workbook is an OLE compound file holding an EncryptedPackage stream.
    body = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    body += "EncryptionInfo".encode("utf-16-le") + b"\x00" * 50
    body += "EncryptedPackage".encode("utf-16-le") + b"\x00" * 2000
    path = tmp_path / "secret.xlsx"
    path.write_bytes(body)
    err = refused(path, "password-protected")
    assert err.hint


def test_html_saved_as_xls(tmp_path: Path) -> None:
    path = tmp_path / "export.xls"
    path.write_text("<html><body><table><tr><td>社区</td></tr></table></body></html>")
    refused(path, "HTML")


def test_workbook_without_values(tmp_path: Path) -> None:
    path = tmp_path / "blank.xlsx"
    openpyxl.Workbook().save(path)
    refused(path, "empty")


def test_header_only(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "header.xlsx", [HEADER])
    refused(path, "no community rows")


def test_header_and_notes_only(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "notes.xlsx", [HEADER, ["合计", None, None, 0], ["填表人：张三"]])
    refused(path, "no community rows")


def test_sheet_with_no_rows_is_skipped(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "two.xlsx", [HEADER, *ROWS])
    wb = openpyxl.load_workbook(path)
    wb.create_sheet("空表")
    wb.save(path)
    census = read(path)
    assert len(census.frame) == 3
    assert any(i.code == "sheet-skipped" and i.sheet == "空表" for i in census.issues)


def test_selected_sheet_with_no_rows(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "two.xlsx", [HEADER, *ROWS])
    wb = openpyxl.load_workbook(path)
    wb.create_sheet("空表")
    wb.save(path)
    with pytest.raises(DataError, match="空表"):
        read(path, sheets=["空表"])
    with pytest.raises(DataError, match="no sheet named"):
        read(path, sheets=["不存在"])


def test_thousands_of_columns(tmp_path: Path) -> None:
    wide = [HEADER + [f"x{i}" for i in range(3000)], ROWS[0] + [1] * 3000]
    path = tmp_path / "wide.csv"
    path.write_text("\n".join(",".join(map(str, r)) for r in wide), encoding="utf-8")
    err = refused(path, "3007 columns")
    assert "INDICATORS_MAX_COLUMNS" in err.hint


def test_thousands_of_columns_allowed_by_env(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("INDICATORS_MAX_COLUMNS", "5000")
    wide = [HEADER + [f"x{i}" for i in range(3000)], ROWS[0] + [1] * 3000]
    path = tmp_path / "wide.csv"
    path.write_text("\n".join(",".join(map(str, r)) for r in wide), encoding="utf-8")
    assert len(read(path).frame) == 1


def test_very_long_string_in_csv(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(",".join(HEADER) + "\nA区,一街道," + "社" * 200_000 + ",1,2,3,是\n")
    err = refused(path, "characters per cell")
    assert "INDICATORS_MAX_CELL_CHARS" in err.hint


def test_very_long_string_in_xlsx_is_read_and_shortened_in_messages(tmp_path: Path) -> None:
    long = "很长" * 10_000
    path = write_xlsx(tmp_path / "long.xlsx", [HEADER, *ROWS, ["A区", "一街道", "丁社区", long]])
    census = read(path)
    bad = [i for i in census.issues if i.code == "not-a-number"]
    assert len(bad) == 1 and bad[0].cell == "D5" and len(bad[0].value) <= 80


def _bomb(path: Path, size_mb: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b" " * (1024 * 1024)
            for _ in range(size_mb):
                member.write(block)
    return path


def test_zip_bomb_refused_by_declared_size(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("INDICATORS_MAX_UNCOMPRESSED_MB", "20")
    monkeypatch.setenv("INDICATORS_MAX_COMPRESSION_RATIO", "100000")
    path = _bomb(tmp_path / "bomb.xlsx", 40)
    assert path.stat().st_size < 200_000
    err = refused(path, "uncompressed size limit of 20 MB")
    assert "INDICATORS_MAX_UNCOMPRESSED_MB" in err.hint


def test_zip_bomb_refused_by_ratio(tmp_path: Path) -> None:
    path = _bomb(tmp_path / "bomb.xlsx", 30)
    err = refused(path, "compression ratio")
    assert "INDICATORS_MAX_COMPRESSION_RATIO" in err.hint


def test_zip_bomb_with_lying_directory(tmp_path: Path, monkeypatch) -> None:
    """The directory says 1 KB; the member inflates to 30 MB: stopped while inflating."""
    path = _bomb(tmp_path / "liar.xlsx", 30)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    # rewrite the sizes as plain 32-bit fields (drop zip64) in local and central headers
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        pos = data.find(sig, info.header_offset if sig == b"PK\x03\x04" else 0)
        while pos != -1:
            name_len = struct.unpack_from("<H", data, pos + (26 if sig == b"PK\x03\x04" else 28))[0]
            start = pos + (30 if sig == b"PK\x03\x04" else 46)
            if data[start : start + name_len] == info.filename.encode():
                struct.pack_into("<I", data, pos + offset, 1024)
                break
            pos = data.find(sig, pos + 4)
    path.write_bytes(bytes(data))
    refused(path, "damaged|limit")


def test_input_is_never_modified(tmp_path: Path, clean_xlsx: Path) -> None:
    before = clean_xlsx.read_bytes()
    mtime = clean_xlsx.stat().st_mtime_ns
    read(clean_xlsx)
    assert clean_xlsx.read_bytes() == before
    assert clean_xlsx.stat().st_mtime_ns == mtime

"""File -> raw grid per sheet. The format is told by the bytes, not by the file name.

This module sniffs the format and hands the bytes to the reader of that format: workbook.py
(xlsx/xlsm/xls/ods through python-calamine, which also gives merged ranges for xlsx and xls),
csvfile.py (pyarrow.csv after detecting the encoding), parquetfile.py (pyarrow). Every
unreadable or hostile file becomes a DataError naming the file; nothing here writes.

The grid of a workbook sheet holds Python objects; the grid of a CSV or parquet file holds
pandas "str" columns backed by Arrow (numbers as their text, missing cells as NaN), so that a
national census of 600,000 rows is never a grid of 20 million Python objects. Everything
downstream reads both kinds column by column.
"""

from __future__ import annotations

import hashlib
import io
import os
import struct
import zipfile
import zlib
from pathlib import Path

from indicators.model.errors import said
from indicators.read import limits
from indicators.read.csvfile import read_csv
from indicators.read.parquetfile import read_parquet
from indicators.read.raw import RawSheet, RawWorkbook, fail
from indicators.read.workbook import read_workbook
from indicators.read.zipscan import SheetMarks, scan_zip

__all__ = ["RawSheet", "RawWorkbook", "read_raw", "sniff_format"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
PARQUET_MAGIC = b"PAR1"
# What zipfile raises for a damaged archive or member (besides RuntimeError for encryption)
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    zlib.error,
    struct.error,
)


def sniff_format(path: Path, head: bytes) -> str:
    """xlsx | xlsm | xls | ods | csv | parquet, from the first bytes and the zip directory."""
    if not head:
        raise fail(path, said("read.empty_file"))
    if head.startswith(PARQUET_MAGIC):
        return "parquet"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.startswith(ZIP_MAGIC):
        return "zip"
    lowered = head[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<html", b"<!doctype html", b"<table")):
        raise fail(
            path,
            said("read.html"),
            said("read.hint.save_xlsx"),
        )
    if lowered.startswith(b"<?xml"):
        raise fail(
            path,
            said("read.xml"),
            said("read.hint.save_xlsx"),
        )
    if lowered.startswith(b"%pdf"):
        raise fail(path, said("read.pdf"))
    return "csv"


def _zip_kind(path: Path, archive: zipfile.ZipFile) -> str:
    names = set(archive.namelist())
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        if "xl/workbook.bin" in names:
            raise fail(path, said("read.xlsb"), said("read.hint.save_as_xlsx"))
        try:
            types = archive.read("[Content_Types].xml")
        except KeyError:
            types = b""
        return "xlsm" if b"macroEnabled" in types else "xlsx"
    if "content.xml" in names:
        mime = archive.read("mimetype") if "mimetype" in names else b""
        if b"spreadsheet" in mime or not mime:
            return "ods"
        raise fail(path, said("read.opendocument", mime=mime.decode(errors="replace")))
    if "word/document.xml" in names:
        raise fail(path, said("read.docx"))
    if any(n.startswith("ppt/") for n in names):
        raise fail(path, said("read.pptx"))
    raise fail(path, said("read.zip"))


def _ole_kind(path: Path, data: bytes) -> str:
    # the directory entries can sit anywhere in the file (past the first MB in a large
    # encrypted workbook, which was then called "damaged"): search all of it, in C
    if "EncryptedPackage".encode("utf-16-le") in data or (
        "EncryptionInfo".encode("utf-16-le") in data
    ):
        raise fail(
            path,
            said("read.encrypted"),
            said("read.hint.remove_password_where"),
        )
    if "WordDocument".encode("utf-16-le") in data:
        raise fail(path, said("read.doc"))
    return "xls"


def read_raw(path: Path) -> RawWorkbook:
    try:
        with path.open("rb") as fh:  # read-only; the input is never modified
            # the size limit holds before a byte is read (a 9 GB file is refused, not loaded)
            limits.check_file_size(path, os.fstat(fh.fileno()).st_size)
            data = fh.read()
    except IsADirectoryError as exc:
        raise fail(path, said("read.folder")) from exc
    except OSError as exc:
        raise fail(path, said("read.cannot_read", reason=exc.strerror or str(exc))) from exc
    limits.check_file_size(path, len(data))  # a file that grew while being read
    sha = hashlib.sha256(data).hexdigest()
    kind = sniff_format(path, data[:4096])
    if kind == "parquet":
        return RawWorkbook("parquet", sha, [read_parquet(path, data)])
    if kind == "csv":
        sheet, encoding = read_csv(path, data)
        return RawWorkbook("csv", sha, [sheet], encoding=encoding)
    marks: dict[str, SheetMarks] = {}
    if kind == "zip":
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except ZIP_ERRORS as exc:
            raise fail(
                path,
                said("read.damaged_zip"),
                said("read.hint.fresh_copy"),
            ) from exc
        with archive:
            limits.check_zip_directory(path, archive)
            try:  # reading a member of a damaged zip raises any of ZIP_ERRORS (found by fuzzing)
                kind = _zip_kind(path, archive)
                marks = scan_zip(path, archive, is_xlsx=kind in ("xlsx", "xlsm"))
            except ZIP_ERRORS as exc:
                raise fail(
                    path, said("read.damaged", reason=str(exc)), said("read.hint.fresh_copy")
                ) from exc
            except RuntimeError as exc:  # a zip member encrypted with a zip password
                raise fail(path, said("read.password_reason", reason=str(exc))) from exc
    else:
        kind = _ole_kind(path, data)
    return RawWorkbook(kind, sha, read_workbook(path, data, marks))

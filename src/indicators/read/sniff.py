"""The format of a file, told by its bytes and its zip directory, never by its name.

xlsx | xlsm | xls | ods | csv | parquet; a file that is something else (a PDF, a Word or
PowerPoint file, an HTML or XML export, an .xlsb, an encrypted workbook) is refused here by
name. No pandas: this runs in the first stage of a read (read/fetch.py).
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

from indicators.model.errors import said
from indicators.read.failure import fail

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


def zip_kind(path: Path, archive: zipfile.ZipFile) -> str:
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


def ole_kind(path: Path, data: bytes) -> str:
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

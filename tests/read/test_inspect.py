"""`indicators inspect` shows columns, rows and issues; unreadable files exit 2."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from indicators.cli import app

from .census_files import FIXTURES


def test_inspect_messy_xls() -> None:
    result = CliRunner().invoke(app, ["inspect", str(FIXTURES / "messy.xls"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    for text in ("population", "万人", "×10000", "subtotal", "note", "5-6 (2)", "filled-down"):
        assert text in result.output


def test_inspect_unreadable_file_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"PK\x03\x04garbage")
    result = CliRunner().invoke(app, ["inspect", str(path)])
    assert result.exit_code == 2

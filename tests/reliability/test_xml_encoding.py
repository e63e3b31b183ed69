"""A workbook whose XML names an unknown encoding is refused or read, never a crash."""

from __future__ import annotations

import zipfile

import pandas as pd
from typer.testing import CliRunner

from helpers import crashed
from indicators.cli import app


def test_unknown_xml_encoding_in_workbook_xml_is_not_a_crash(tmp_path):
    good = tmp_path / "good.xlsx"
    pd.DataFrame(
        {"区县": ["甲区"], "街道": ["一街道"], "社区": ["东社区"], "户数": [100]}
    ).to_excel(good, index=False)
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = data.replace(b'encoding="UTF-8"', b'encoding="UTTF-8"', 1)
                if b"UTTF-8" not in data:
                    data = b'<?xml version="1.0" encoding="UTTF-8"?>' + data.split(b"?>", 1)[-1]
            dst.writestr(item, data)
    result = CliRunner().invoke(app, ["check", str(bad), "--plan", "hengshui-2021-2025"])
    assert result.exit_code in (0, 2), result.output
    assert not crashed(result.output), result.output

"""The file-level read messages (data/messages/read.yaml): every key the reader raises
exists, in both languages, with the same placeholders; the Chinese is Chinese."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from indicators.model.errors import DataError, said
from indicators.model.i18n import catalogue
from indicators.model.levels import LEVELS
from indicators.read import limits

SRC = Path(__file__).resolve().parents[2] / "src" / "indicators"
# texts with no word to translate: a file name and what is wrong with it, a unit, a list
NO_CHINESE = {
    "read.in_file",
    "read.and",
    "read.quoted",
    "read.unit.file_mb",
    "read.unit.uncompressed_mb",
}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _read_keys() -> dict[str, dict[str, str]]:
    return {k: v for k, v in catalogue().items() if k.startswith("read.")}


def test_every_read_message_has_zh_and_en_with_the_same_placeholders() -> None:
    keys = _read_keys()
    assert len(keys) > 80
    for key, texts in keys.items():
        assert set(texts) == {"zh", "en"}, key
        assert _fields(texts["zh"]) == _fields(texts["en"]), key
        if key not in NO_CHINESE:
            assert re.search(r"[\u4e00-\u9fff]", texts["zh"]), (key, texts["zh"])


def test_every_read_key_used_in_the_code_is_in_the_catalogue() -> None:
    """A key missing from the catalogue would be shown to the user as the key itself."""
    used: set[str] = set()
    for path in SRC.rglob("*.py"):
        used |= set(re.findall(r"""said\(\s*["'](read\.[a-z_.]+)["']""", path.read_text("utf-8")))
    # keys built at run time: a limit's name, unit and placeholder; a level's sheet
    for limit in limits.ALL_LIMITS:
        used |= {f"read.{kind}.{limit.key}" for kind in ("limit", "unit", "amount")}
    used |= {f"read.level_sheet.{level}" for level in LEVELS}
    assert len(used) > 60
    assert sorted(used - set(_read_keys())) == []


def test_a_limit_refusal_is_worded_in_both_languages(monkeypatch) -> None:
    monkeypatch.setenv("INDICATORS_MAX_COLUMNS", "12")
    found = said("read.found.sheet_columns", sheet="社区", cols=40, stray="")
    error = limits.MAX_COLUMNS.refuse(Path("城区.xlsx"), found)
    assert isinstance(error, DataError)
    assert error.message == (
        "城区.xlsx: sheet '社区' has 40 columns, over the columns per sheet limit of 12 columns"
    )
    assert (
        error.text("zh") == "城区.xlsx：工作表「社区」有 40 列，超过每个工作表的列数上限（12 列）"
    )
    assert error.hint == "if the file is genuine, raise the limit: INDICATORS_MAX_COLUMNS=<columns>"
    assert error.hint_text("zh") == "如果文件确实如此，可调高上限：INDICATORS_MAX_COLUMNS=<列数>"


def test_a_bad_limit_value_is_worded_in_both_languages(monkeypatch) -> None:
    monkeypatch.setenv("INDICATORS_MAX_CELLS", "nan")
    with pytest.raises(DataError) as info:
        _ = limits.MAX_CELLS.value
    exc = info.value
    assert exc.message == "INDICATORS_MAX_CELLS='nan': expected a positive number up to 1e+12"
    assert exc.text("zh") == "INDICATORS_MAX_CELLS='nan'：应为不超过 1e+12 的正数"
    assert exc.hint == "unset it for the default of 50000000 cells"
    assert exc.hint_text("zh") == "删除这个环境变量即恢复默认值 50000000 个单元格"

"""File-level read errors in the user's language: broken census files (and a roster, a
mapping file) through `indicators check` in the default language (Chinese) and in English.

Each case asserts the Chinese text a civil-affairs officer reads and the `--lang en` text;
the sweep asserts that no English sentence of ours reaches the Chinese output (file names,
codes, env variables and a library's own exception text are data and stay as they are).
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .inputs import ENCRYPTED, HEADER, ROWS, bomb, check, clean_xlsx, write_csv, write_xlsx

DATA_INVALID = 2
USAGE = 4
# three English words in a row: a sentence of ours left untranslated ("the file is empty")
ENGLISH_RUN = re.compile(r"[A-Za-z]+(?:[ ,;:]+[A-Za-z]+){2,}")


@pytest.fixture(autouse=True)
def default_language(monkeypatch):
    monkeypatch.delenv("INDICATORS_LANG", raising=False)


@dataclass
class Case:
    build: Callable[[Path], list[str | Path]]  # the command-line arguments after `check`
    zh: list[str]
    en: list[str]
    env: dict[str, str] = field(default_factory=dict)
    code: int = DATA_INVALID
    library_text: bool = False  # the message quotes a library's exception (not swept)


def _file(name: str, data: bytes) -> Callable[[Path], list[str | Path]]:
    def build(tmp: Path) -> list[str | Path]:
        path = tmp / name
        path.write_bytes(data)
        return [path]

    return build


def _zip(name: str, members: dict[str, str]) -> Callable[[Path], list[str | Path]]:
    def build(tmp: Path) -> list[str | Path]:
        path = tmp / name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for member, text in members.items():
                z.writestr(member, text)
        return [path]

    return build


def _mixed_encoding(tmp: Path) -> list[str | Path]:
    """A UTF-8 CSV with a row pasted from a GBK file (what Notepad makes of a copy-paste)."""
    path = tmp / "城关街道.csv"
    head = "\n".join(",".join(map(str, r)) for r in [HEADER, ROWS[0]]) + "\n"
    tail = ",".join(map(str, ROWS[1])) + "\n"
    path.write_bytes(head.encode("utf-8") + tail.encode("gbk"))
    return [path]


def _open_quote(tmp: Path) -> list[str | Path]:
    path = tmp / "汇总.csv"
    path.write_text(
        ",".join(HEADER) + '\nA区,一街道,"甲社区,1200,3500,400.5,是\nA区,一街道,乙社区,1,2,3,否\n',
        encoding="utf-8",
    )
    return [path]


def _clean_csv(tmp: Path) -> list[str | Path]:
    return [write_csv(tmp / "社区.csv", [HEADER, *ROWS])]


def _bomb(tmp: Path) -> list[str | Path]:
    return [bomb(tmp / "压缩.xlsx", 2)]  # 2 MB of spaces in a few KB: a ratio far over 200


def _encrypted(tmp: Path) -> list[str | Path]:
    path = tmp / "加密.xlsx"
    path.write_bytes(ENCRYPTED.read_bytes())
    return [path]


def _missing_sheet(tmp: Path) -> list[str | Path]:
    return [clean_xlsx(tmp / "城区.xlsx"), "--sheet", "汇总表"]


def _no_header(tmp: Path) -> list[str | Path]:
    rows = [["2023年社区服务统计"], ["填报单位：", "城关街道"], ["说明", "见附件"]]
    return [write_xlsx(tmp / "说明.xlsx", rows)]


def _empty_roster(tmp: Path) -> list[str | Path]:
    (tmp / "名册.csv").write_bytes(b"")
    return [*_clean_csv(tmp), "--roster", tmp / "名册.csv"]


def _bad_mapping(tmp: Path) -> list[str | Path]:
    mapping = tmp / "对照.csv"
    mapping.write_text("header,field\n\n户数,households\n实有户数\n", encoding="utf-8")
    return [*_clean_csv(tmp), "--mapping", mapping]


def _not_utf8_parquet(tmp: Path) -> list[str | Path]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    # the bytes of 一街 and of a broken sequence, labelled as text without a check
    streets = pa.array([b"\xe4\xb8\x80\xe8\xa1\x97", b"\xff\xfe\xe8\xa1\x97"], pa.binary())
    table = pa.table(
        {
            "区县": ["甲区", "甲区"],
            "街道": streets.view(pa.string()),
            "社区": ["北社区", "南社区"],
            "户数": [100, 200],
        }
    )
    path = tmp / "不是 UTF-8.parquet"
    pq.write_table(table, path)
    return [path]


CASES = {
    # format sniffing
    "zero-bytes": Case(
        _file("空表.xlsx", b""), ["文件是空的（0 字节）"], ["the file is empty (0 bytes)"]
    ),
    "pdf": Case(
        _file("报表.xlsx", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n"),
        ["这是 PDF 文档，不是工作簿"],
        ["this is a PDF document, not a workbook"],
    ),
    "html": Case(
        _file("导出.xls", "<html><body><table><tr><td>社区</td></tr></table>".encode()),
        [
            "这是以表格文件名保存的网页（HTML），不是工作簿",
            "提示：请在 Excel 或 WPS 表格中打开，另存为 .xlsx 格式",
        ],
        ["this is a web page (HTML)", "hint: open it in Excel or WPS and save it as .xlsx"],
    ),
    "docx": Case(
        _zip("街道报告.xlsx", {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"}),
        ["这是 Word 文档（.docx），不是工作簿"],
        ["this is a Word document (.docx), not a workbook"],
    ),
    "zip": Case(
        _zip("打包.xlsx", {"一街道.xlsx": "x", "二街道.xlsx": "y"}),
        ["这是 zip 压缩包，不是工作簿"],
        ["this is a zip archive, not a workbook"],
    ),
    "xlsb": Case(
        _zip("二进制.xlsb", {"[Content_Types].xml": "<Types/>", "xl/workbook.bin": "\x00"}),
        ["这是 .xlsb 二进制工作簿", "提示：请在 Excel 或 WPS 表格中另存为 .xlsx 格式"],
        ["this is an .xlsb binary workbook", "hint: save it as .xlsx"],
    ),
    "password": Case(
        _encrypted,
        ["加密.xlsx：工作簿设置了打开密码（已加密）", "WPS 表格（文件 > 文档加密）中取消密码"],
        ["the workbook is password-protected (encrypted)", "hint: remove the password in Excel"],
    ),
    # CSV
    "open-quote": Case(
        _open_quote,
        ['第 2 行有一个引号（"）开始的单元格没有结束引号', "提示：请在该行补上结束引号"],
        ["a quoted cell opened on line 2 is never closed", 'hint: close the quote (")'],
    ),
    "gbk-in-utf8": Case(
        _mixed_encoding,
        ["文本编码混杂：第 3 行之前是 UTF-8 编码，第 3 行不是", "CSV UTF-8（逗号分隔）"],
        ["mixes text encodings: the lines before line 3 are UTF-8", "save it as .xlsx or as CSV"],
    ),
    # limits and the zip guard
    "too-many-columns": Case(
        _clean_csv,
        [
            "社区.csv：文件有 7 列，超过每个工作表的列数上限（3 列）",
            "INDICATORS_MAX_COLUMNS=<列数>",
        ],
        ["the file has 7 columns, over the columns per sheet limit of 3 columns"],
        env={"INDICATORS_MAX_COLUMNS": "3"},
    ),
    "bad-limit-value": Case(
        _clean_csv,
        ["INDICATORS_MAX_COLUMNS='很多' 不是数字"],
        ["INDICATORS_MAX_COLUMNS='很多' is not a number"],
        env={"INDICATORS_MAX_COLUMNS": "很多"},
    ),
    "zip-ratio": Case(
        _bomb,
        ["其中的 xl/worksheets/sheet1.xml 解压后膨胀", "超过压缩比上限（200 倍）"],
        ["over the compression ratio limit of 200 to 1", "INDICATORS_MAX_COMPRESSION_RATIO=<to 1>"],
    ),
    # workbooks and sheets
    "missing-sheet": Case(
        _missing_sheet,
        ["城区.xlsx：没有名为「汇总表」的工作表", "提示：文件中的工作表有：「社区基本情况」"],
        ["no sheet named '汇总表'", "hint: the sheets are: '社区基本情况'"],
    ),
    "no-header": Case(
        _no_header,
        ["未找到表头行", '--map "表头=字段"'],
        ["no header row found", "hint: run `indicators inspect` on the file"],
    ),
    # parquet (the reason is pyarrow's own English text: data)
    "parquet": Case(
        _file("数据.parquet", b"PAR1" + b"\x00" * 64),
        ["数据.parquet：parquet 文件无法读取（"],
        ["the parquet file cannot be read ("],
        library_text=True,
    ),
    # text that is not UTF-8 in a string column (found by the reader fuzz): exit 70 before
    "parquet-not-utf8": Case(
        _not_utf8_parquet,
        [
            "不是 UTF-8.parquet：列「街道」第 2 条记录的文字不是 UTF-8 编码",
            "提示：请向报送单位重新索取",
        ],
        ['column "街道" holds text that is not UTF-8 at record 2', "hint: ask the sender"],
    ),
    # a roster and a mapping file
    "empty-roster": Case(
        _empty_roster,
        ["名册 名册.csv：文件是空的（0 字节）"],
        ["roster 名册.csv: the file is empty (0 bytes)"],
    ),
    "bad-mapping-line": Case(
        _bad_mapping,
        ["对照.csv：第 4 行不是“表头,字段”格式"],
        ["对照.csv: line 4 is not `header,field`"],
        code=USAGE,
    ),
}


def _run(case: Case, tmp: Path, *lang: str):
    result = check(*case.build(tmp), *lang, env=case.env or None)
    assert result.exit_code == case.code, result.output
    assert "Traceback" not in result.output
    return result.output


@pytest.mark.parametrize("name", CASES)
def test_file_level_error_in_chinese_and_english(tmp_path: Path, name: str) -> None:
    case = CASES[name]
    (tmp_path / "zh").mkdir()
    zh = _run(case, tmp_path / "zh")
    for fragment in case.zh:
        assert fragment in zh, f"{fragment!r} not in:\n{zh}"
    (tmp_path / "en").mkdir()
    en = _run(case, tmp_path / "en", "--lang", "en")
    for fragment in case.en:
        assert fragment in en, f"{fragment!r} not in:\n{en}"


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if not c.library_text])
def test_no_english_sentence_reaches_the_chinese_output(tmp_path: Path, name: str) -> None:
    case = CASES[name]
    args = case.build(tmp_path)
    out = check(*args, env=case.env or None).output
    for arg in args:  # file names are data
        out = out.replace(str(arg), "").replace(Path(str(arg)).name, "")
    assert not re.search(r"\b(error|hint|Error):", out), out
    assert ENGLISH_RUN.findall(out) == [], out


def test_report_error_fields_follow_the_report_language(tmp_path: Path) -> None:
    """JSON, CSV and Markdown carry an unreadable file's error in the report's language."""
    empty = tmp_path / "空表.csv"
    empty.write_bytes(b"")
    good = write_csv(tmp_path / "社区.csv", [HEADER, *ROWS])

    def error_of(*lang: str) -> dict:
        out = check(empty, good, "--format", "json", *lang).output
        files = json.loads(out[out.index("{") :])["files"]
        return next(f["error"] for f in files if f["name"] == empty.name)

    assert error_of()["message"] == "空表.csv：文件是空的（0 字节）"
    assert error_of("--lang", "en")["message"] == "空表.csv: the file is empty (0 bytes)"
    markdown = check(empty, good, "--format", "markdown").output
    assert "无法读取：空表.csv：文件是空的（0 字节）" in markdown
    assert "the file is empty" not in markdown
    table = check(empty, good, "--format", "csv").output
    assert "空表.csv：文件是空的（0 字节）" in table and "the file is empty" not in table
    english = check(empty, good, "--format", "csv", "--lang", "en").output
    assert "空表.csv: the file is empty (0 bytes)" in english


def test_combined_census_names_an_unreadable_part_in_chinese(tmp_path: Path) -> None:
    """--combine turns an unreadable part into a file-unreadable finding: worded too."""
    empty = tmp_path / "二街道.csv"
    empty.write_bytes(b"")
    good = write_csv(tmp_path / "一街道.csv", [HEADER, *ROWS])
    zh = check(good, empty, "--combine").output
    assert "文件无法读取：二街道.csv：文件是空的（0 字节）" in zh, zh
    assert "the file is empty" not in zh
    en = check(good, empty, "--combine", "--lang", "en").output
    assert "the file cannot be read: 二街道.csv: the file is empty (0 bytes)" in en, en


def test_a_template_without_a_header_is_refused_in_chinese(tmp_path: Path) -> None:
    """validate --template reads the template as a census is read; its refusal is worded."""
    from typer.testing import CliRunner

    from indicators.cli import app

    template = write_xlsx(tmp_path / "模板.xlsx", [["填表说明"], ["请按市里下发的格式填写"]])
    census = write_csv(tmp_path / "社区.csv", [HEADER, *ROWS])
    args = ["validate", str(census), "-p", "hengshui-2021-2025", "--template", str(template)]
    zh = CliRunner().invoke(app, args)
    assert zh.exit_code == DATA_INVALID, zh.output
    assert "错误：模板.xlsx：没有写明社区名称列和普查字段的表头行" in zh.output
    assert "提示：请使用 indicators template 生成的模板" in zh.output
    en = CliRunner().invoke(app, [*args, "--lang", "en"]).output
    assert "error: 模板.xlsx: no header row naming the community column" in en

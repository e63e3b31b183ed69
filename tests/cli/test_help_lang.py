"""--help in the user's language: every command and option text comes from the message
catalogue, in Chinese by default and in English with --lang en or INDICATORS_LANG=en."""

from __future__ import annotations

import pytest
import typer

from helpers import run_indicators
from indicators.cli import COMMANDS, app
from indicators.cli.common import chosen_lang
from indicators.model.i18n import catalogue


def _help(*args: str, env_lang: str | None = None) -> str:
    done = run_indicators(*args, lang=env_lang, columns=200)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_help_is_chinese_by_default():
    out = _help("check", "--help")
    assert "对照规划目标检查普查表" in out
    assert "退出码" in out and "Exit codes" not in out
    assert "规划编号" in out  # --plan
    assert "Census workbook" not in out


@pytest.mark.parametrize("how", ["flag", "flag=", "env"])
def test_help_in_english(how):
    if how == "flag":
        out = _help("check", "--help", "--lang", "en")
    elif how == "flag=":
        out = _help("check", "--lang=en", "--help")
    else:
        out = _help("check", "--help", env_lang="en")
    assert "Check census workbooks against a plan's targets" in out
    assert "Exit codes" in out and "退出码" not in out


def test_command_list_in_each_language():
    assert "逐年评估规划实施进展" in _help("--help")
    assert "Assess progress year by year" in _help("--help", env_lang="en")


def test_chosen_lang_reads_the_command_line_before_the_environment():
    assert chosen_lang(["check", "x.xlsx"], {}) == "zh"
    assert chosen_lang(["check", "--lang", "en"], {}) == "en"
    assert chosen_lang(["check", "--lang=en"], {"INDICATORS_LANG": "zh"}) == "en"
    assert chosen_lang(["check"], {"INDICATORS_LANG": "en"}) == "en"
    assert chosen_lang(["check", "--lang", "fr"], {"INDICATORS_LANG": "en"}) == "zh"
    assert chosen_lang(["check"], {"INDICATORS_LANG": "klingon"}) == "zh"


def test_every_help_text_comes_from_the_catalogue():
    """No command or option keeps a help string written in the code: each one is a
    catalogue text (here the zh one, the language these tests run in)."""
    texts = {v["zh"] for k, v in catalogue().items() if k.startswith("help.")}
    group = typer.main.get_command(app)
    assert group.help in texts
    for name, _ in COMMANDS:
        command = group.get_command(typer.Context(group), name)
        assert command.help in texts, name
        for param in command.params:
            if param.name == "help":
                continue
            assert getattr(param, "help", None) in texts, f"{name} {param.name}"


def test_every_catalogue_entry_is_one_zh_and_one_en_text():
    """A comma in an unquoted YAML flow mapping splits a text into extra keys:
    `en: ratio of totals (sum, then divide)` read as "ratio of totals (sum"."""
    for key, texts in catalogue().items():
        assert set(texts) == {"zh", "en"}, (key, texts)
        assert all(isinstance(v, str) and v for v in texts.values()), (key, texts)


def test_help_frame_follows_the_language():
    zh = _help("check", "--help")
    assert zh.startswith("用法：") and "indicators check [OPTIONS]" in zh.splitlines()[0]
    assert "选项：" in zh and "参数：" in zh and "显示本帮助并退出。" in zh
    assert "选项:" not in zh and "参数:" not in zh
    assert "Usage:" not in zh and "Show this message" not in zh
    en = _help("check", "--help", env_lang="en")
    assert en.startswith("Usage: ") and "Options:" in en
    assert "Show this message and exit." in en
    top = _help("--help")
    assert "命令：" in top and "  lint      检查规划文件的结构错误和可疑数字" in top


@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        (["check", "x.xlsx", "-p", "p", "--format", "pdf"], "--format：应为 table", "--format: expected one of table"),
        (["check", "x.xlsx", "-p", "p", "--fail-on", "all"], "--fail-on：应为 none", "--fail-on: expected one of none"),
        (["show", "hengshui-2021-2025", "--format", "pdf"], "--format：应为 table", "--format: expected one of table"),
        (["lint", "nope.yaml"], "nope.yaml：规划文件不存在", "nope.yaml: no such plan file"),
        (["template", "-p", "hengshui-2021-2025", "-o", "t.csv"], "模板是 .xlsx 工作簿", "the template is an .xlsx workbook"),
        (["inspect", "x.xlsx", "--map", "nomapping"], '--map 的写法是 "表头=字段"', '--map expects "header=field"'),
    ],
)  # fmt: skip
def test_usage_errors_in_each_language(tmp_path, args, zh, en):
    """Usage errors (exit 4) come from the catalogue: Chinese by default, English with en."""
    from typer.testing import CliRunner

    runner = CliRunner()
    if args[0] == "inspect":
        (tmp_path / "x.xlsx").write_bytes(b"")  # exists: the --map line is what is refused
        args = ["inspect", str(tmp_path / "x.xlsx"), *args[2:]]
    if args[0] == "template":
        args = [*args[:-1], str(tmp_path / args[-1])]
    for lang, expected in (("zh", zh), ("en", en)):
        result = runner.invoke(app, [*args, "--lang", lang])
        assert result.exit_code == 4, result.output
        assert expected in result.output, result.output

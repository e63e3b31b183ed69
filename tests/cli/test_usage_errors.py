"""click's own usage errors and --help frame in the user's language: Chinese by default,
English with --lang en; exit 4; help lines that fit the terminal in display cells."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from helpers import run_indicators
from indicators.cli import COMMANDS
from indicators.cli.wrap import fill, wrap_text

run = run_indicators


@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        (["check", "--plna", "x", "a.xlsx"], "错误：没有这个选项：--plna（可能是：--lang, --plan）", "error: No such option: --plna (Possible options: --lang, --plan)"),
        (["check"], "错误：缺少参数 '普查文件...'。", "error: Missing argument 'CENSUS...'."),
        (["check", "a.xlsx"], "错误：缺少选项 '--plan' / '-p'。", "error: Missing option '--plan' / '-p'."),
        (["check", "a.xlsx", "-p"], "错误：选项 -p 后面需要一个值。", "error: Option -p requires an argument."),
        (["check", "a.xlsx", "-p", "x", "--year", "二〇二三"], "错误：'--year' 的值无效：'二〇二三' 不是有效的整数。", "error: Invalid value for '--year': '二〇二三' is not a valid int."),
        (["plans", "more", "args"], "错误：多出了无法识别的参数：more args", "error: Got unexpected extra argument(s) (more args)"),
        (["chekc", "a.xlsx"], "错误：没有这个命令：'chekc'。您是不是要用 'check'？", "error: No such command 'chekc'. Did you mean 'check'?"),
        (["show"], "错误：缺少参数 '规划'。", "error: Missing argument 'PLAN'."),
    ],
)  # fmt: skip
def test_click_usage_errors_in_each_language(args, zh, en):
    for lang, expected, frame, english_only in (
        ("zh", zh, "查看帮助。", "Try '"),
        ("en", en, "for help.", "错误"),
    ):
        done = run(*args, lang=lang)
        assert done.returncode == 4, done.stderr
        assert expected in done.stderr.splitlines(), done.stderr
        assert english_only not in done.stderr
        assert frame in done.stderr, done.stderr  # with the usage line (also for `-p`)


def test_usage_line_names_the_arguments():
    """typer 0.28 wrote a required argument as `{census}...` even with a metavar."""
    zh = run("check", "--help").stdout.splitlines()[0]
    assert zh.startswith("用法：") and zh.endswith("indicators check [OPTIONS] 普查文件...")
    en = run("lint", "--help", lang="en").stdout.splitlines()[0]
    assert en.startswith("Usage: ") and en.endswith("indicators lint [OPTIONS] [FILES]...")
    assert "  PLAN  " in run("show", "--help", lang="en").stdout


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_help_page_fits_the_terminal(columns, lang):
    for name in ["", *(n for n, _ in COMMANDS)]:
        done = run(*([name] if name else []), "--help", lang=lang, columns=columns)
        assert done.returncode == 0, done.stderr
        lines = done.stdout.splitlines()
        # an example command stays on one line: folded by the terminal it still pastes whole
        wide = [
            x for x in lines if cell_len(x) > columns and not x.strip().startswith("indicators ")
        ]
        assert not wide, (name, wide)


def test_help_notes_are_in_the_help_language_and_examples_stay_whole():
    zh = run("check", "--help", columns=80).stdout
    assert "［必填］" in zh and "［默认：table］" in zh and "[required]" not in zh
    example = "    indicators check data/*.xlsx -p hengshui-2021-2025 -o gaps.xlsx --fail-on gap\n"
    assert example in zh
    en = run("check", "--help", lang="en", columns=80).stdout
    assert "[required]" in en and "[default: table]" in en


def test_wrapping_counts_cells_and_keeps_punctuation_with_its_text():
    text = "普查表或存放普查表的文件夹：.xlsx .xlsm，可重复（--out 指定）。" * 3
    lines = fill(text, 30, "  ", "    ").splitlines()
    assert all(cell_len(line) <= 30 for line in lines), lines
    assert not any(line.strip()[0] in "，。）：" for line in lines), lines
    assert "".join(line.strip() for line in lines).replace(" ", "") == text.replace(" ", "")
    assert fill("word " * 3, 8) == "word\nword\nword"
    assert all(cell_len(x) <= 10 for x in fill("a" * 25, 10).splitlines())
    # a file name in an example is never cut between its Chinese characters
    assert fill("-p p --template 模板.xlsx", 20) == "-p p --template\n模板.xlsx"
    assert "data/东城街道.xlsx" in fill("indicators validate data/东城街道.xlsx -p x", 30)


def test_wrapping_keeps_paragraphs_and_raw_blocks():
    text = "第一段很长的文字\n接着写\n\n\b\n  indicators check a.xlsx\n  indicators lint\n\n第三段"
    out = wrap_text(text, 12, "  ", "  ")
    paragraphs = out.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[1] == "    indicators check a.xlsx\n    indicators lint"
    assert "第一段很长的文字接着写".startswith(paragraphs[0].splitlines()[0].strip())


def test_an_error_not_recognised_keeps_clicks_english_under_our_labels():
    """A usage error a later click may add is shown as click words it, never lost."""
    from indicators.cli.usage_errors import UsageErrorBase, worded

    assert worded(UsageErrorBase("Option '--x' is deprecated."), "zh") == (
        "Option '--x' is deprecated."
    )


def test_indicators_alone_shows_the_help_and_exits_4():
    done = run()
    assert done.returncode == 4
    assert "命令：" in done.stderr and "错误：" not in done.stderr


def test_the_language_of_a_usage_error_is_read_from_the_line_being_parsed():
    """In process (CliRunner, an embedding script) sys.argv is not the command line: --lang
    is read from the arguments click parses."""
    from typer.testing import CliRunner

    from indicators.cli import app

    runner = CliRunner()
    en = runner.invoke(app, ["check", "--bogus", "--lang", "en"])
    assert en.exit_code == 4 and "error: No such option: --bogus" in en.output
    zh = runner.invoke(app, ["chek", "a.xlsx"])
    assert zh.exit_code == 4 and "错误：没有这个命令：'chek'。您是不是要用 'check'？" in zh.output

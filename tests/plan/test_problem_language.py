"""A plan file's problems in the reader's language: `check`, `lint` and `plans` show them in
Chinese by default and in English with --lang en; `lint --format json` keeps its fields
(and adds the key path)."""

from __future__ import annotations

import json
import re

import pytest
from tests.plan.plantext import indicator, plan_text
from typer.testing import CliRunner

from indicators.cli import app
from indicators.model.i18n import catalogue, t

runner = CliRunner()


@pytest.fixture
def bad_plan(tmp_path):
    """An operator typed as a word, a unit given as a list, a period of one year: what a
    clerk editing a copied plan by hand writes."""
    text = plan_text(indicator(target="{op: 大于等于, value: 30}", unit="[平方米]"))
    text = text.replace("period: [2021, 2025]", "period: [2021]")
    path = tmp_path / "衡水-修订.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_lint_shows_plan_problems_in_each_language(bad_plan):
    zh = runner.invoke(app, ["lint", str(bad_plan)])
    assert zh.exit_code == 3, zh.output
    assert "未知的运算符 '大于等于'（应为以下之一：" in zh.output
    assert "应为文字，例如 '%' 或 '平方米/百户'" in zh.output
    assert "应写成 [起始年, 终止年]" in zh.output
    assert "expected" not in zh.output and "unknown operator" not in zh.output
    en = runner.invoke(app, ["lint", str(bad_plan), "--lang", "en"])
    assert "unknown operator '大于等于' (expected one of:" in en.output
    assert "expected [first year, last year]" in en.output
    assert not re.search("[应未]", en.output.replace(bad_plan.name, ""))


def test_check_lists_each_problem_with_its_line_in_chinese(bad_plan, tmp_path):
    census = tmp_path / "c.csv"
    census.write_text("区县,街道,社区,户数\n甲区,一街道,北湖社区,100\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(census), "-p", str(bad_plan)])
    assert result.exit_code == 3, result.output
    assert "错误：" in result.output and "规划文件有 3 处问题" in result.output
    lines = [line for line in result.output.splitlines() if line.startswith("  ")]
    line = next(x for x in lines if "target.op" in x)
    assert re.search(
        r"衡水-修订\.yaml:\d+：（x）indicators\[0\]\.target\.op：未知的运算符", line
    ), line


def test_lint_json_keeps_its_fields_and_adds_the_key(bad_plan):
    out = runner.invoke(app, ["lint", str(bad_plan), "--format", "json", "--lang", "en"]).output
    findings = [f for f in json.loads(out)["files"][0]["findings"] if f["severity"] == "error"]
    op = next(f for f in findings if f["key"] == "indicators[0].target.op")
    assert op["code"] == "schema" and op["indicator"] == "x" and isinstance(op["line"], int)
    assert op["message"].startswith("indicators[0].target.op: unknown operator")
    assert {"severity", "code", "file", "line", "indicator", "message", "key"} <= set(op)


def test_every_plan_problem_has_both_languages_and_the_same_placeholders():
    for key, texts in catalogue().items():
        if key.startswith("plan."):
            names = [set(re.findall(r"(?<!\{)\{(\w+)\}(?!\})", texts[lang])) for lang in texts]
            assert names[0] == names[1], key
            for lang in texts:
                t(key, lang)  # a brace that is not a placeholder would raise here


@pytest.mark.parametrize(
    ("formula", "zh", "en"),
    [
        ("households ** 2", "不允许使用运算符 '**'（只能用 + - * /）（第 1 个字符处）",
         "operator '**' is not allowed (use + - * /) (at position 1)"),
        ("housholds / 100", "未知字段 'housholds'（是否想用 'households'？）",
         "unknown field 'housholds' (did you mean 'households'?)"),
        ("households[0]", "公式中不允许使用：下标", "not allowed in a formula: subscripts"),
        ("sqrt(households)", "不允许使用函数 'sqrt'", "function 'sqrt' is not allowed"),
    ],
)  # fmt: skip
def test_formula_errors_in_each_language(tmp_path, formula, zh, en):
    """A formula outside the language is a plan problem worded like the others: the reason
    and its position in the reader's language, never an English clause in a Chinese line."""
    path = tmp_path / "plan.yaml"
    path.write_text(plan_text(indicator(formula=formula)), encoding="utf-8")
    out = runner.invoke(app, ["lint", str(path)]).output
    assert zh in out, out
    line = next(x for x in out.splitlines() if zh in x)
    assert not re.search(r"[A-Za-z]{3,} [A-Za-z]{3,}", line.replace(formula, "")), line
    assert en in runner.invoke(app, ["lint", str(path), "--lang", "en"]).output


def test_every_recorded_oddity_is_worded_in_both_languages():
    """`lint` and `assess` name a plan's source oddities in words: every code the shipped
    plans record has a Chinese and an English text, and the Chinese lint line carries no
    English note (the note is the plan maintainer's, in the plan file)."""
    from pathlib import Path

    import yaml

    codes = set()
    for path in (Path(__file__).parents[2] / "targets").glob("*.yaml"):
        for ind in yaml.safe_load(path.read_text(encoding="utf-8")).get("indicators", []):
            codes.update(ind.get("oddities") or [])
    assert len(codes) >= 10
    texts = catalogue()
    for code in codes:
        entry = texts[f"oddity.{code}"]
        assert re.search("[\u4e00-\u9fff]", entry["zh"]) and entry["en"], code
    out = runner.invoke(app, ["lint"]).output
    lines = [x for x in out.splitlines() if "[oddity]" in x]
    assert len(lines) >= len(codes)
    for line in lines:
        assert not re.search(r"[A-Za-z]{3,} [A-Za-z]{3,} [A-Za-z]{3,}", line), line

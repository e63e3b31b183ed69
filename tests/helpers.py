"""Builders shared by tests: a plan from a YAML snippet, a census from rows."""

from __future__ import annotations

import textwrap

import pandas as pd
import pytest

from indicators.model.census import Census, census_from_frame
from indicators.plan.load import load_plan_text
from indicators.plan.model import Plan


def plan_from_indicators(indicators_yaml: str, fields_yaml: str = "", period=(2021, 2025)) -> Plan:
    """A plan whose `indicators:` list is the given YAML (indented or not)."""
    body = textwrap.indent(textwrap.dedent(indicators_yaml).strip(), "  ")
    fields = ""
    if fields_yaml:
        fields = "fields:\n" + textwrap.indent(textwrap.dedent(fields_yaml).strip(), "  ") + "\n"
    text = (
        f"id: test-plan\ntitle: 测试规划\nperiod: [{period[0]}, {period[1]}]\n{fields}"
        f"indicators:\n{body}\n"
    )
    return load_plan_text(text, "test-plan.yaml")


def census(rows: list[dict]) -> Census:
    """A census from rows; district/street default to one district and street."""
    filled = []
    for i, row in enumerate(rows):
        r = {"district": "甲区", "street": "一街道", "community": f"社区{i + 1}"}
        r.update(row)
        filled.append(r)
    return census_from_frame(pd.DataFrame(filled))


def crashed(output: str) -> bool:
    """Whether a command's output shows a crash: a traceback, or the internal-error label in
    any language (内部错误 by default, "internal error" with --lang en)."""
    from indicators.model.i18n import LANGS, t

    labels = [t("cli.internal_label", lang) for lang in LANGS]
    return "Traceback" in output or any(label in output for label in labels)


def run_indicators(*args: str, lang: str | None = None, columns: int = 80):
    """`python -m indicators ARGS` in a fresh process, as a terminal of `columns` cells in
    the default language (or `lang`) runs it; the CompletedProcess, output as text."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": str(columns)}
    env.pop("INDICATORS_LANG", None)
    if lang:
        env["INDICATORS_LANG"] = lang
    return subprocess.run(
        [sys.executable, "-m", "indicators", *args],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


@pytest.fixture(autouse=True)
def english_texts(request, monkeypatch):
    """Autouse in a module that binds it (`english = english_texts`): its tests assert the
    English texts of file-level errors (`--lang en`); the Chinese ones are asserted where the
    messages are defined. Tests marked `zh` keep the default language."""
    if not request.node.get_closest_marker("zh"):
        monkeypatch.setenv("INDICATORS_LANG", "en")

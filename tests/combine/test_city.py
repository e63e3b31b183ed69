"""`check --combine` on a city's street returns (see city.py): the figures of the same data
in one clean sheet, and the missing street, the double community and the duplicate file
named with their files and cells."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from indicators.cli import app

from .city import DOUBLE, MISSING_STREET, SENT_TWICE, build_city, clean_sheet, roster

PLAN = "hengshui-2021-2025"
runner = CliRunner()


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("city")
    (tmp / "returns").mkdir()
    build_city(tmp / "returns")
    clean_sheet(tmp / "clean.xlsx")
    roster(tmp / "roster.xlsx")
    return tmp


def _json(args: list[str]) -> dict:
    result = runner.invoke(app, [*args, "-p", PLAN, "--format", "json", "--lang", "en"])
    assert result.exit_code == 0, result.output
    files = json.loads(result.output)["files"]
    assert len(files) == 1
    return files[0]


@pytest.fixture(scope="module")
def combined(city) -> dict:
    return _json(
        ["check", str(city / "returns"), "--combine", "--roster", str(city / "roster.xlsx")]
    )


def test_the_city_is_a_realistic_mix(city):
    files = sorted((city / "returns").iterdir())
    assert len(files) >= 12
    assert {f.suffix for f in files} == {".xlsx", ".xls", ".csv"}
    assert (city / "returns" / f"{SENT_TWICE}(1).xlsx").exists()


def test_same_figures_as_one_clean_sheet(city, combined):
    clean = _json(["check", str(city / "clean.xlsx")])
    assert combined["communities"] == clean["communities"] == 116
    ours = {i["id"]: i for i in combined["indicators"]}
    theirs = {i["id"]: i for i in clean["indicators"]}
    assert ours.keys() == theirs.keys()
    for key, want in theirs.items():
        got = ours[key]
        _same(got["headline"], want["headline"], key)
        for level in ("street", "district", "city"):
            rows = [sorted(x["groups"][level], key=_key) for x in (got, want)]
            assert len(rows[0]) == len(rows[1]), (key, level)
            for a, b in zip(*rows, strict=True):
                _same(a, b, (key, level))


def _key(row: dict) -> tuple:
    return (row.get("district") or "", row.get("street") or "")


def _same(got: dict, want: dict, where) -> None:
    assert got.keys() == want.keys(), where
    for k, b in want.items():
        a = got[k]
        if isinstance(b, float) and isinstance(a, float):
            assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9), (where, k, a, b)
        elif isinstance(b, dict) and isinstance(a, dict):
            _same(a, b, (where, k))  # e.g. the headline as shown: figures summed in file order
        else:
            assert a == b, (where, k, a, b)


def _issues(combined: dict, code: str) -> list[dict]:
    return [i for i in combined["data_issues"] if i["code"] == code]


def test_names_the_duplicate_file(combined):
    [dup] = _issues(combined, "duplicate-file")
    assert f"{SENT_TWICE}(1).xlsx" in dup["message"] and f"{SENT_TWICE}.xlsx" in dup["message"]
    parts = {Path(p["path"]).name: p for p in combined["files"]}
    assert len(parts) == 16
    assert all(len(p["sha256"]) == 64 for p in parts.values())
    assert sum(1 for p in parts.values() if p["duplicate_of"]) == 1


def test_names_the_double_community_with_both_files_and_cells(combined):
    community, home, _ = DOUBLE
    [double] = _issues(combined, "community-in-two-files")
    assert double["severity"] == "warning"
    message = double["message"]
    assert community in message
    assert f"[{home}.xlsx]" in message and f"[{SENT_TWICE}" in message
    # counted where the roster puts it: the finding's own cell is the copy left out
    assert double["sheet"].startswith(f"[{SENT_TWICE}")
    assert double["cell"] == "B9"  # 序号 layout: 社区/村 in B, listed after 7 communities
    assert f"counted once (from [{home}.xlsx]" in message


def test_names_the_missing_street(combined):
    [missing] = _issues(combined, "street-not-reported")
    assert MISSING_STREET in missing["message"]
    assert combined["roster"]["missing"] and all(
        MISSING_STREET in label for label in combined["roster"]["missing"]
    )


def test_double_community_with_different_figures_is_an_error(city, tmp_path):
    import shutil

    returns = tmp_path / "returns"
    shutil.copytree(city / "returns", returns)
    text = (returns / "丰友街道.csv").read_text(encoding="gbk").splitlines()
    # 丰友街道 also lists 东华社区's district neighbour under its own name, with other figures
    head, first = text[0], text[1].split(",")
    first[4] = str(int(first[4]) + 1)
    (returns / "extra.csv").write_text("\n".join([head, ",".join(first)]) + "\n", encoding="gbk")
    result = runner.invoke(app, ["check", str(returns), "--combine", "-p", PLAN, "--lang", "en"])
    assert result.exit_code == 2
    assert "community-in-two-files-differ" in result.output
    assert "extra.csv" in result.output and "丰友街道.csv" in result.output


def test_about_lists_every_file(city, tmp_path):
    import openpyxl

    out = tmp_path / "city.xlsx"
    args = ["check", str(city / "returns"), "--combine", "-p", PLAN, "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    about = [str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value]
    lines = [text for text in about if "SHA-256" in text and "·" in text]
    assert len(lines) == 16
    assert any("建民街道.xls" in line and "社区基本情况" in line for line in lines)

"""`assess` on censuses as cities collect them: a field missing in one year is "no data"
for that year's indicators that need it, never a refusal, and changes nothing else."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from indicators.cli import app

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = [ROOT / f"sample_data/hengshui-2021-2025-census-{y}.xlsx" for y in (2021, 2022, 2023)]
DROPPED = ("是否成立残疾人协会", "当月已探访特殊困难老年人数（人）")
NEEDING = {"disabled_persons_association_coverage", "special_needs_elderly_monthly_visit_rate"}
runner = CliRunner()


def _without(src: Path, dst: Path, headers: tuple[str, ...]) -> Path:
    wb = openpyxl.load_workbook(src)
    ws = wb.active
    header_row = next(r for r in ws.iter_rows(min_row=1, max_row=5) if r[0].value == "区县")
    cols = [c.column for c in header_row if c.value in headers]
    assert len(cols) == len(headers)
    for col in sorted(cols, reverse=True):
        ws.delete_cols(col)
    wb.save(dst)
    return dst


def _assess(files: list[Path]) -> dict:
    args = ["assess", "-p", "hengshui-2021-2025", *map(str, files), "--format", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return {i["id"]: i for i in json.loads(result.output)["indicators"]}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("collected")
    first = _without(SAMPLES[0], tmp / "hengshui-census-2021.xlsx", DROPPED)
    return _assess(SAMPLES), _assess([first, *SAMPLES[1:]])


def test_the_dropped_fields_feed_the_expected_indicators(runs):
    complete, _ = runs
    assert set(complete) >= NEEDING


def test_missing_fields_are_no_data_for_that_year_only(runs):
    complete, partial = runs
    for ind in NEEDING:
        assert set(partial[ind]["no_data"]) == {"2021"}, ind
        assert partial[ind]["figures"]["2021"] is None
        assert partial[ind]["figures"]["2022"] == complete[ind]["figures"]["2022"]
        assert partial[ind]["figures"]["2023"] == complete[ind]["figures"]["2023"]
        assert "no-column" in partial[ind]["no_data"]["2021"]


def test_other_indicators_are_assessed_as_on_complete_data(runs):
    complete, partial = runs
    others = set(complete) - NEEDING
    assert others
    for ind in others:
        assert partial[ind]["no_data"] == complete[ind]["no_data"], ind
        assert partial[ind]["status"] == complete[ind]["status"], ind
        assert partial[ind]["figures"] == complete[ind]["figures"], ind


def test_workbook_says_no_data_with_the_reason_and_keeps_the_figure(tmp_path):
    first = _without(SAMPLES[0], tmp_path / "hengshui-census-2021.xlsx", DROPPED)
    out = tmp_path / "assessment.xlsx"
    args = ["assess", "-p", "hengshui-2021-2025", str(first), *map(str, SAMPLES[1:])]
    result = runner.invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out)["总览"]
    rows = {r[1].value: r for r in ws.iter_rows(min_row=2) if r[1].value}
    visit = rows["特殊困难老年人月探访率"]
    cells = [c for c in visit if c.value == "无数据"]
    assert len(cells) == 1
    assert "当月已探访特殊困难老年人数" in cells[0].comment.text
    later = [c for c in visit if c.comment is not None and c.value != "无数据"]
    # the figure kept beside the status is the one `check` gives for that year's census
    assert [c.comment.text.split("\n")[0] for c in later] == [
        f"{_check_value(path, 'special_needs_elderly_monthly_visit_rate'):.1f}%"
        for path in SAMPLES[1:]
    ]


def _check_value(census, indicator: str) -> float:
    import json

    args = ["check", str(census), "-p", "hengshui-2021-2025", "--format", "json"]
    result = runner.invoke(app, args)
    (found,) = [
        i for i in json.loads(result.output)["files"][0]["indicators"] if i["id"] == indicator
    ]
    return found["headline"]["value"]

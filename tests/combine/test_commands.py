"""--combine in assess and inspect, and the process pool reading the same as one process."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from indicators.cli import app
from indicators.plan import load_plan
from indicators.run.pipeline import ReadOptions, check_combined

from .city import build_city

ROOT = Path(__file__).resolve().parents[2]
PLAN = "hengshui-2021-2025"
runner = CliRunner()


def _split_by_street(year: int, folder: Path) -> Path:
    """The sample census of `year` as one file per street office in `folder`."""
    folder.mkdir(parents=True)
    book = openpyxl.load_workbook(ROOT / f"sample_data/{PLAN}-census-{year}.xlsx")
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    header, body = rows[1], [r for r in rows[2:] if r[2] and r[3]]
    # the street sheet (one row per street office): each office sends its own row
    street_rows = [list(r) for r in book.worksheets[1].iter_rows(values_only=True)]
    street_header, own = street_rows[1], {r[1]: r for r in street_rows[2:] if r[1]}
    streets: dict[str, list] = {}
    for r in body:
        streets.setdefault(r[1], []).append(r)
    for street, part in streets.items():
        wb = openpyxl.Workbook()
        wb.active.title = "社区基本情况"
        wb.active.append(header)
        for r in part:
            wb.active.append(r)
        sheet = wb.create_sheet("街道情况")
        sheet.append(street_header)
        sheet.append(own[street])
        wb.save(folder / f"{street}.xlsx")
    return folder


def _assess(*args: str) -> dict:
    result = runner.invoke(app, ["assess", "-p", PLAN, *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_assess_a_folder_per_year_equals_one_file_per_year(tmp_path):
    folders = [_split_by_street(y, tmp_path / str(y)) for y in (2021, 2022, 2023)]
    combined = _assess("--combine", *map(str, folders))
    whole = _assess(
        *[str(ROOT / f"sample_data/{PLAN}-census-{y}.xlsx") for y in (2021, 2022, 2023)]
    )
    assert combined["years"] == [2021, 2022, 2023]
    assert len(list(folders[0].iterdir())) == 16
    for a, b in zip(combined["indicators"], whole["indicators"], strict=True):
        assert a["id"] == b["id"]
        assert a["status"] == b["status"], a["id"]
        assert a["figures"] == b["figures"], a["id"]


def test_inspect_combined_lists_every_file_and_names_cells_with_files(tmp_path):
    build_city(tmp_path)
    result = runner.invoke(app, ["inspect", str(tmp_path), "--combine", "-p", PLAN, "--lang", "en"],
                           terminal_width=250)  # fmt: skip
    assert result.exit_code == 0, result.output
    files = [line for line in result.output.splitlines() if " · SHA-256 " in line]
    assert len(files) == 16  # and the duplicate-file finding names the SHA-256 too
    assert "[山兴街道(1).xlsx]山兴街道!B9" in result.output
    assert "116 communities" in result.output


def test_the_process_pool_reads_what_one_process_reads(tmp_path):
    files = build_city(tmp_path)
    plan = load_plan(PLAN)
    one = check_combined(plan, files, ReadOptions(), jobs=1)
    pool = check_combined(plan, files, ReadOptions(), jobs=2)
    assert one.census.frame.equals(pool.census.frame)
    assert one.census.issues == pool.census.issues
    # repr: a not computable headline holds NaN, which never equals itself
    assert [repr(r.headline) for r in one.results.indicators] == [
        repr(r.headline) for r in pool.results.indicators
    ]


def test_a_file_that_cannot_be_read_is_a_data_error_naming_it(tmp_path):
    build_city(tmp_path)
    (tmp_path / "附件.xlsx").write_bytes(b"not a workbook")
    result = runner.invoke(app, ["check", str(tmp_path), "--combine", "-p", PLAN])
    assert result.exit_code == 2
    assert "file-unreadable" in result.output and "附件.xlsx" in result.output


def test_github_annotations_of_a_combined_census_point_at_each_return(tmp_path):
    build_city(tmp_path)
    result = runner.invoke(
        app, ["validate", str(tmp_path), "--combine", "-p", PLAN, "-f", "github"]
    )
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("::warning")]
    double = next(line for line in warnings if "community-in-two-files" in line)
    assert double.startswith(f"::warning file={tmp_path}/山兴街道(1).xlsx,")

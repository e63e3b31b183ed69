"""Plans and numbers: round() arguments, JUnit text, control characters."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from helpers import crashed, english_texts
from indicators.cli import app

from .inputs import HEADER, PLAN, ROWS, runner, write_csv

english = english_texts  # the English texts of file-level errors (--lang en)

PLAN_FILE = Path(__file__).parents[2] / "targets" / f"{PLAN}.yaml"
PLAN_INVALID = 3


@pytest.mark.parametrize("digits", ["1e15", "-1e15", "households", "2.5", "1e308"])
def test_round_with_an_unusable_digits_argument_fails_lint_and_check(
    tmp_path: Path, digits: str
) -> None:
    """round(x, 1e15), round(x, -1e15), round(x, field) passed lint and crashed check."""
    text = PLAN_FILE.read_text(encoding="utf-8")
    old = "formula: commercial_service_area / building_area * 100"
    assert old in text
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        text.replace(old, f"formula: round(commercial_service_area / building_area, {digits})"),
        encoding="utf-8",
    )
    lint = runner.invoke(app, ["lint", str(plan)])
    assert lint.exit_code == PLAN_INVALID, lint.output
    assert "round()'s second argument must be a whole number from -15 to 15" in lint.output
    census = write_csv(tmp_path / "census.csv", [HEADER, *ROWS])
    check = runner.invoke(app, ["check", str(census), "--plan", str(plan)])
    assert check.exit_code == PLAN_INVALID, check.output
    assert "plan.yaml" in check.output and not crashed(check.output), check.output


def test_round_with_whole_digits_is_accepted(tmp_path: Path) -> None:
    text = PLAN_FILE.read_text(encoding="utf-8")
    old = "formula: commercial_service_area / building_area * 100"
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        text.replace(old, "formula: round(commercial_service_area / building_area * 100, -1)"),
        encoding="utf-8",
    )
    lint = runner.invoke(app, ["lint", str(plan)])
    assert "round()'s second argument" not in lint.output


def test_junit_with_control_characters_in_cells_is_valid_xml(tmp_path: Path) -> None:
    """--format junit wrote invalid XML when a cell held a control character."""
    rows = [HEADER, [*ROWS[0][:2], "甲\x01社区\x1b", *ROWS[0][3:]], ROWS[1]]
    rows.append([*ROWS[2][:3], "8\x0800", *ROWS[2][4:]])
    path = write_csv(tmp_path / "ctl.csv", rows)
    result = runner.invoke(app, ["validate", str(path), "--plan", PLAN, "--format", "junit"])
    assert result.exit_code == 2, result.output
    root = ET.fromstring(result.output.encode("utf-8"))  # raises on invalid XML
    assert root.tag == "testsuites"
    assert "8\\x0800" in result.output


def test_signed_nan_is_a_cell_error_not_a_blank(tmp_path: Path) -> None:
    """-nan, +nan, -NaN read as blank without a warning."""
    rows = [HEADER]
    for i, text in enumerate(["-nan", "+nan", "-NaN"]):
        rows.append(["A区", "一街道", f"社区{i}", text, 3500, 400, "是"])
    path = write_csv(tmp_path / "nan.csv", rows)
    result = runner.invoke(app, ["check", str(path), "--plan", PLAN, "--lang", "en"])
    assert result.exit_code == 2, result.output
    for cell, text in (("D2", "-nan"), ("D3", "+nan"), ("D4", "-NaN")):
        assert f"“{text}”" in result.output and cell in result.output


def test_huge_numbers_are_cell_errors_not_overflow(tmp_path: Path) -> None:
    """1e308 inputs overflowed: "not computable" with an empty reason, or "met" with no
    value, plus numpy warnings on stderr."""
    rows = [HEADER, ["A区", "一街道", "甲社区", 1200, "1e308", "1e308", "是"], *ROWS[1:]]
    path = write_csv(tmp_path / "huge.csv", rows)
    result = runner.invoke(app, ["check", str(path), "--plan", PLAN, "--lang", "en"])
    assert result.exit_code == 2, result.output
    assert "number-too-large" in result.output and "E2" in result.output
    assert "F2" in result.output and "RuntimeWarning" not in result.output


def test_gap_workbook_past_excels_16384_columns_is_refused(tmp_path: Path, monkeypatch) -> None:
    """With 6,000 indicators the gap workbook passed Excel's 16,384 columns and could not be
    opened, yet exit 0. A plan of 4,100 indicators takes minutes to check, so the test lowers
    the column limit below what the shipped plan needs instead; the check is the same."""
    from indicators.report import workbook_sheets

    monkeypatch.setattr(workbook_sheets, "EXCEL_COLUMNS", 40)
    census = write_csv(tmp_path / "census.csv", [HEADER, *ROWS])
    out = tmp_path / "gaps.xlsx"
    result = runner.invoke(
        app, ["check", str(census), "--plan", PLAN, "--out", str(out), "--lang", "en"]
    )
    assert result.exit_code == 4, result.output[-2000:]
    assert "over Excel's limit of 16384" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["census.csv"]
    csv_out = tmp_path / "gaps.csv"
    result = runner.invoke(app, ["check", str(census), "--plan", PLAN, "--out", str(csv_out)])
    assert result.exit_code == 0 and csv_out.exists()


def test_encrypted_workbook_with_stream_names_past_the_first_mb(tmp_path: Path) -> None:
    """An encrypted workbook whose stream names sit past the first MB was called "damaged,
    re-save it"."""
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1_200_000
    path = tmp_path / "secret.xlsx"
    path.write_bytes(ole + "EncryptedPackage".encode("utf-16-le") + b"\0" * 64)
    result = runner.invoke(app, ["check", str(path), "--plan", PLAN])
    assert result.exit_code == 2, result.output
    assert "secret.xlsx: the workbook is password-protected (encrypted)" in result.output

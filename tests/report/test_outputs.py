"""write_reports: suffix dispatch, refusing to overwrite inputs, atomic writes, clear errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from report_samples import small_results

from indicators import files as safe
from indicators.model.errors import OutputError
from indicators.report import outputs


def test_writes_each_format_by_suffix(tmp_path):
    paths = [tmp_path / f"gaps{s}" for s in (".xlsx", ".csv", ".json", ".md")]
    written = outputs.write_reports(small_results(), paths, "zh", [Path("small.xlsx")])
    assert written == paths
    assert all(p.stat().st_size > 0 for p in paths)
    assert paths[0].read_bytes()[:2] == b"PK"
    assert sorted(os.listdir(tmp_path)) == sorted(p.name for p in paths)  # no temp files left


def test_several_census_files_suffix_the_stem(tmp_path):
    results = small_results("east.xlsx")
    written = outputs.write_reports(
        results, [tmp_path / "gaps.xlsx"], "zh", [Path("east.xlsx"), Path("west.xlsx")]
    )
    assert written == [tmp_path / "gaps-east.xlsx"]


def test_refuses_to_overwrite_an_input(tmp_path):
    census = tmp_path / "small.xlsx"
    census.write_bytes(b"original")
    with pytest.raises(OutputError, match=r"small\.xlsx"):
        outputs.write_reports(small_results(), [tmp_path / "ok.md", census], "zh", [census])
    assert census.read_bytes() == b"original"
    assert not (tmp_path / "ok.md").exists()  # nothing written when any path is refused


def test_refuses_input_through_another_spelling(tmp_path, monkeypatch):
    census = tmp_path / "small.xlsx"
    census.write_bytes(b"original")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(OutputError):
        outputs.write_reports(small_results(), [Path("./sub/../small.xlsx")], "en", [census])
    assert census.read_bytes() == b"original"


def test_missing_folder_and_unknown_suffix(tmp_path):
    with pytest.raises(OutputError, match="does not exist"):
        outputs.write_reports(small_results(), [tmp_path / "no" / "g.xlsx"], "en", [])
    with pytest.raises(OutputError, match=r"\.xlsx, \.csv"):
        outputs.write_reports(small_results(), [tmp_path / "g.pdf"], "en", [])
    with pytest.raises(OutputError, match="folder"):
        outputs.write_reports(small_results(), [tmp_path], "en", [])


def test_failure_midway_leaves_the_old_report_and_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "gaps.xlsx"
    target.write_bytes(b"last week's report")

    def boom(*args, **kwargs):
        raise KeyboardInterrupt  # Ctrl-C while the workbook is being built

    monkeypatch.setattr("indicators.report.workbook.build_workbook", boom)
    with pytest.raises(KeyboardInterrupt):
        outputs.write_reports(small_results(), [target], "zh", [])
    assert target.read_bytes() == b"last week's report"
    assert os.listdir(tmp_path) == ["gaps.xlsx"]


def test_locked_or_unwritable_target_gets_a_clear_message(tmp_path, monkeypatch):
    target = tmp_path / "gaps.csv"
    target.write_text("open in Excel")

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(safe.os, "replace", refuse)
    with pytest.raises(OutputError, match="open in Excel"):
        outputs.write_reports(small_results(), [target], "en", [])
    assert target.read_text() == "open in Excel"
    assert os.listdir(tmp_path) == ["gaps.csv"]


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root can write")
def test_no_permission_folder(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="permission"):
            outputs.write_reports(small_results(), [folder / "g.md"], "en", [])
    finally:
        folder.chmod(0o700)


def test_neutralise():
    assert safe.neutralise("=1+1") == "'=1+1"
    for s in ("+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert safe.neutralise(s) == "'" + s
    assert safe.neutralise("新华社区") == "新华社区"

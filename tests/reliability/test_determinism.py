"""The same inputs give byte-identical json and csv reports when SOURCE_DATE_EPOCH is set
(reproducible builds: the only time in a report, `generated_at`, then follows it)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from .inputs import HEADER, ROWS, check, write_xlsx

MISSING = [
    m
    for m in ("indicators.report.json_report", "indicators.report.csv_report")
    if importlib.util.find_spec(m) is None
]
pytestmark = pytest.mark.skipif(
    bool(MISSING), reason=f"report writers not there yet: {', '.join(MISSING)}"
)

EPOCH = "1700000000"  # 2023-11-14T22:13:20Z


def _census(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "census.xlsx", [HEADER, *ROWS])


def _reports(census: Path, folder: Path, env: dict[str, str]) -> dict[str, bytes]:
    folder.mkdir()
    outs = [folder / "gaps.json", folder / "gaps.csv"]
    result = check(census, *[a for o in outs for a in ("--out", o)], env=env)
    assert result.exit_code == 0, result.output
    return {o.name: o.read_bytes() for o in outs}


def test_json_and_csv_reports_are_byte_identical(tmp_path: Path) -> None:
    census = _census(tmp_path)
    env = {"SOURCE_DATE_EPOCH": EPOCH}
    first = _reports(census, tmp_path / "first", env)
    second = _reports(census, tmp_path / "second", env)
    assert first == second
    report = json.loads(first["gaps.json"])
    assert "2023-11-14" in json.dumps(report, ensure_ascii=False)


def test_english_reports_are_byte_identical_too(tmp_path: Path) -> None:
    census = _census(tmp_path)
    env = {"SOURCE_DATE_EPOCH": EPOCH}
    runs = []
    for name in ("a", "b"):
        folder = tmp_path / name
        folder.mkdir()
        outs = [folder / "gaps.json", folder / "gaps.csv"]
        args = [a for o in outs for a in ("--out", o)]
        result = check(census, *args, "--lang", "en", env=env)
        assert result.exit_code == 0, result.output
        runs.append([o.read_bytes() for o in outs])
    assert runs[0] == runs[1]


def test_stdout_json_is_byte_identical(tmp_path: Path) -> None:
    census = _census(tmp_path)
    env = {"SOURCE_DATE_EPOCH": EPOCH}
    outputs = [check(census, "--format", "json", env=env).stdout for _ in range(2)]
    assert outputs[0] == outputs[1]
    json.loads(outputs[0])


def _assessed(folder: Path, env: dict[str, str], suffixes: tuple[str, ...]) -> dict[str, bytes]:
    import shutil

    from indicators.cli import app

    from .inputs import PLAN, runner

    folder.mkdir()
    sample = Path(__file__).parents[2] / "sample_data" / "hengshui-2021-2025-census-2023.xlsx"
    census = folder.parent / "census-2023.xlsx"  # one census (its path is in the reports)
    if not census.exists():
        shutil.copy(sample, census)
    outs = [folder / f"a{s}" for s in suffixes]
    args = ["assess", str(census), "--plan", PLAN, "--year-of", f"{census}=2023", "-q"]
    result = runner.invoke(app, [*args, *[a for o in outs for a in ("--out", str(o))]], env=env)
    assert result.exit_code == 0, result.output
    return {o.name: o.read_bytes() for o in outs}


def test_every_writer_that_states_a_time_follows_source_date_epoch(tmp_path: Path) -> None:
    """The assessment workbook said the time of the run (and so did every workbook's
    document properties, the Word draft's zip, the HTML pages' dates and JUnit) whatever
    SOURCE_DATE_EPOCH said: the time is now taken in one place (indicators.files.run_time)."""
    import zipfile

    import openpyxl

    env = {"SOURCE_DATE_EPOCH": EPOCH}
    suffixes = (".xlsx", ".html", ".json", ".md", ".docx")
    first = _assessed(tmp_path / "first", env, suffixes)
    second = _assessed(tmp_path / "second", env, suffixes)
    assert first == second
    book = tmp_path / "first" / "a.xlsx"
    with zipfile.ZipFile(book) as z:
        assert "<dcterms:created" in (core := z.read("docProps/core.xml").decode())
        assert "2023-11-14T22:13:20Z" in core
    about = openpyxl.load_workbook(book).worksheets[-1]
    assert any("2023-11-14" in str(c.value) for row in about.iter_rows() for c in row)
    assert "2023-11-14" in first["a.html"].decode()
    with zipfile.ZipFile(tmp_path / "first" / "a.docx") as z:  # python-docx said 2013
        assert "2023-11-14T22:13:20Z" in z.read("docProps/core.xml").decode()
        assert {i.date_time for i in z.infolist()} == {(2023, 11, 14, 22, 13, 20)}

    census = _census(tmp_path)
    gaps = []
    for name in ("g1", "g2"):
        folder = tmp_path / name
        folder.mkdir()
        outs = [folder / "gaps.xlsx", folder / "gaps.html"]
        result = check(census, *[a for o in outs for a in ("--out", o)], env=env)
        assert result.exit_code == 0, result.output
        gaps.append([o.read_bytes() for o in outs])
    assert gaps[0] == gaps[1]
    with zipfile.ZipFile(tmp_path / "g1" / "gaps.xlsx") as z:
        assert "2023-11-14T22:13:20Z" in z.read("docProps/core.xml").decode()
    junit = check(census, "--format", "junit", env=env).stdout
    assert 'timestamp="2023-11-14T22:13:20"' in junit

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

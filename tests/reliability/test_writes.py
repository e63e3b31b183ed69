"""Every writer: whole or not at all, never over an input, the mode a new file gets, and
nothing left behind after SIGTERM."""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import english_texts
from indicators.cli import app

from .inputs import PLAN, runner, sha256

english = english_texts  # the English texts of file-level errors (--lang en)

USAGE = 4


SAMPLE = Path(__file__).parents[2] / "sample_data" / "hengshui-2021-2025-census-2023.xlsx"


def _census(folder: Path, name: str = "census.xlsx") -> Path:
    """A census with every field the plan needs (assess refuses one that lacks any)."""
    import shutil

    return Path(shutil.copy(SAMPLE, folder / name))


def _assess(census: Path, *out: Path):
    args = ["assess", str(census), "--plan", PLAN, "--year-of", f"{census}=2023"]
    for o in out:
        args += ["--out", str(o)]
    return runner.invoke(app, args)


@pytest.mark.skipif(sys.platform == "win32", reason="hard links need POSIX here")
@pytest.mark.parametrize("suffix", [".json", ".md", ".xlsx"])
def test_assess_refuses_an_input_reached_through_a_hard_link(tmp_path: Path, suffix) -> None:
    """Through a hard link `assess` overwrote the input census, exit 0."""
    census = _census(tmp_path)
    digest = sha256(census)
    link = tmp_path / f"link{suffix}"
    os.link(census, link)
    result = _assess(census, link)
    assert result.exit_code == USAGE, result.output
    assert "is an input census file" in result.output or "输入" in result.output
    assert sha256(census) == digest


@pytest.mark.parametrize("suffix", [".json", ".md"])
def test_assess_text_report_on_a_full_disk_leaves_nothing(
    tmp_path: Path, monkeypatch, suffix: str
) -> None:
    """`assess --out x.json|x.md` wrote in place: a full disk left a truncated file, exit 70.
    An existing report is left as it was."""
    census = _census(tmp_path)
    out = tmp_path / f"assessment{suffix}"
    out.write_text("the old report\n", encoding="utf-8")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    result = _assess(census, out)
    assert result.exit_code == USAGE, result.output
    assert "No space left on device" in result.output
    assert out.read_text(encoding="utf-8") == "the old report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([census.name, out.name])


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_every_report_gets_the_mode_of_a_new_file(tmp_path: Path) -> None:
    """The assessment .xlsx was created 0600 (mkstemp), every other report 0644."""
    census = _census(tmp_path)
    old = os.umask(0o022)
    try:
        outs = [tmp_path / f"a{s}" for s in (".xlsx", ".json", ".md")]
        assert _assess(census, *outs).exit_code == 0
        gaps = [tmp_path / f"g{s}" for s in (".xlsx", ".csv", ".json", ".md")]
        args = ["check", str(census), "--plan", PLAN] + [x for g in gaps for x in ("--out", g)]
        assert runner.invoke(app, list(map(str, args))).exit_code == 0
        template = tmp_path / "t.xlsx"
        assert (
            runner.invoke(app, ["template", "--plan", PLAN, "--out", str(template)]).exit_code == 0
        )
    finally:
        os.umask(old)
    for path in [*outs, *gaps, template]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path.name


def test_template_is_written_whole_or_not_at_all(tmp_path: Path, monkeypatch) -> None:
    """`template --out` wrote in place: a failure part-way left half a workbook."""
    import indicators.report.template as template

    def broken(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(template, "_help_sheet", broken)
    out = tmp_path / "模板.xlsx"
    result = runner.invoke(app, ["template", "--plan", PLAN, "--out", str(out)])
    assert result.exit_code == USAGE, result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is POSIX")
def test_sigterm_while_writing_leaves_no_temporary_files(tmp_path: Path) -> None:
    """SIGTERM (kill, timeout, CI cancellation) left hidden .tmp / .splice files beside the
    report; Ctrl-C was handled, SIGTERM was not."""
    import csv

    import openpyxl

    rows = list(openpyxl.load_workbook(SAMPLE, read_only=True).active.iter_rows(values_only=True))
    census = tmp_path / "big.csv"
    with census.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(rows[1])
        for copy in range(250):  # 30,000 communities: the report takes a while to write
            for r in rows[2:]:
                if r[2]:
                    writer.writerow([r[0], f"{r[1]}{copy}", f"{r[2]}{copy}", *r[3:]])
    digest = sha256(census)
    out = tmp_path / "out"
    out.mkdir()
    command = ["check", str(census), "--plan", PLAN, "-q", "--out", str(out / "gaps.xlsx")]
    proc = subprocess.Popen(
        [sys.executable, "-m", "indicators", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if any(p.name.startswith(".") for p in out.iterdir()):  # the temporary file is there
            break
        time.sleep(0.01)
    assert proc.poll() is None, proc.communicate()[1].decode()
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err.decode()
    assert "terminated; no partial output was left behind" in err.decode()
    assert list(out.iterdir()) == []
    assert sha256(census) == digest


def test_assessment_workbook_neutralises_text_by_the_one_rule(tmp_path: Path) -> None:
    """report/assessment_workbook.py had its own prefix list without a leading tab or
    carriage return; its text cells now go through indicators.files.neutralise, like the CSV
    report and the roster."""
    import openpyxl
    import pandas as pd

    from indicators.assess.assessment import assess
    from indicators.model.census import census_from_frame
    from indicators.plan import load_plan
    from indicators.report.assessment_workbook import write_assessment_workbook

    names = ["\t=1+1", "\r@SUM(A1)", '=HYPERLINK("http://evil.example","点我")', "-西关村"]
    cols = ["district", "street", "community", "households", "facility_area"]
    rows = [(n, f"{k}街道", n, 1000 + k, 300.0) for k, n in enumerate(names)]
    rows += [("乙区", "三街道", "北湖社区", 1200, 250.0)]
    years = [
        (y, census_from_frame(pd.DataFrame(rows, columns=cols), f"c-{y}.xlsx"))
        for y in (2021, 2022)
    ]
    a = assess(load_plan(PLAN), years)
    out = write_assessment_workbook(a, tmp_path / "a.xlsx", "zh")
    cells = [
        c.value
        for ws in openpyxl.load_workbook(out).worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str)
    ]
    shown = [v for v in cells if any(n.strip() in v for n in names)]
    assert shown  # the districts are in the workbook
    for v in shown:
        assert not v.startswith(("=", "+", "-", "@", "\t", "\r")), repr(v)
    assert "'\t=1+1" in cells
    # openpyxl shows the carriage return as Excel stores it in XML, _x000D_
    assert "'\r@SUM(A1)" in cells or "'_x000D_@SUM(A1)" in cells


@pytest.mark.parametrize("step", ["created", "closed"])
def test_signal_right_after_the_temporary_file_is_created_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    """SIGTERM raises in whatever line runs when it lands. With mkstemp the temporary file
    existed before the `try` that removes it; one landing in between left it behind (seen
    under load in the SIGTERM test above). Here the interruption is raised at the first
    instruction after the file exists (os.close of its descriptor)."""
    import indicators.files as files

    real_close = os.close

    def interrupted(fd: int) -> None:
        if step == "closed":
            real_close(fd)
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "close", interrupted)
    out = tmp_path / "gaps.csv"
    with pytest.raises(KeyboardInterrupt):
        files.write_text_atomic(out, "a,b\n")
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


def test_a_temporary_name_taken_by_someone_else_is_not_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the temporary file cannot be created, nothing of ours exists to remove: a file
    already there under that name belongs to someone else and stays."""
    import indicators.files as files

    monkeypatch.setattr(files.secrets, "token_hex", lambda n: "taken")
    theirs = tmp_path / ".gaps.csv.taken.tmp"
    theirs.write_text("not ours", encoding="utf-8")
    with pytest.raises(files.OutputError):
        files.write_text_atomic(tmp_path / "gaps.csv", "a,b\n", "en")
    assert theirs.read_text(encoding="utf-8") == "not ours"
    assert not (tmp_path / "gaps.csv").exists()

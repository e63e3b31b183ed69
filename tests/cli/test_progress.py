"""Progress while a census is read and a gap workbook is written: on stderr, at a terminal
only; a pipe or a log file never gets a spinner frame."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

from rich.console import Console

from indicators.cli.progress import working

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data/hengshui-2021-2025.xlsx"


def test_working_draws_at_a_terminal_and_nothing_elsewhere():
    tty = io.StringIO()
    with working("正在写入 gaps.xlsx …", console=Console(file=tty, force_terminal=True)):
        pass
    assert "正在写入 gaps.xlsx" in tty.getvalue()
    piped = io.StringIO()
    with working("正在写入 gaps.xlsx …", console=Console(file=piped, force_terminal=False)):
        pass
    assert piped.getvalue() == ""
    quiet = io.StringIO()
    with working("x", show=False, console=Console(file=quiet, force_terminal=True)):
        pass
    assert quiet.getvalue() == ""


def _check(tmp_path: Path, stderr, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "120"}
    env.pop("INDICATORS_LANG", None)
    args = [sys.executable, "-m", "indicators", "check", str(SAMPLE), "-p", "hengshui-2021-2025"]
    args += ["--out", str(tmp_path / "gaps.xlsx"), *extra]
    return subprocess.run(args, env=env, stdout=subprocess.PIPE, stderr=stderr, timeout=300)


def test_piped_output_carries_no_progress(tmp_path):
    done = _check(tmp_path, subprocess.PIPE)
    assert done.returncode == 0
    out, err = done.stdout.decode(), done.stderr.decode()
    assert (tmp_path / "gaps.xlsx").exists()
    assert "报告已写入" in out
    for text in ("正在写入", "正在读取", "writing", "reading", "\x1b"):
        assert text not in out and text not in err


def _at_a_terminal(run) -> tuple[subprocess.CompletedProcess, str]:
    """Run with stderr on a pseudo-terminal; returns the process and what stderr showed."""
    leader, follower = pty.openpty()
    try:
        done = run(follower)
        os.close(follower)
        follower = -1
        raw = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the pty is closed once the child has gone
                break
            if not chunk:
                break
            raw += chunk
    finally:
        if follower != -1:
            os.close(follower)
        os.close(leader)
    return done, raw.decode("utf-8", "replace")


def test_terminal_sees_reading_and_writing_on_stderr(tmp_path):
    done, err = _at_a_terminal(lambda tty: _check(tmp_path, tty))
    assert done.returncode == 0
    assert "正在读取 hengshui-2021-2025.xlsx" in err
    assert "正在写入 gaps.xlsx" in err
    assert "正在" not in done.stdout.decode()  # stdout (a pipe here) has none of it


def test_assess_shows_each_year_being_read(tmp_path):
    files = [ROOT / f"sample_data/hengshui-2021-2025-census-{y}.xlsx" for y in (2021, 2022)]
    args = [sys.executable, "-m", "indicators", "assess", "-p", "hengshui-2021-2025"]
    args += [*map(str, files), "--lang", "en"]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done, err = _at_a_terminal(
        lambda tty: subprocess.run(args, env=env, stdout=subprocess.PIPE, stderr=tty, timeout=300)
    )
    assert done.returncode == 0
    assert "reading hengshui-2021-2025-census-2021.xlsx" in err
    assert "reading hengshui-2021-2025-census-2022.xlsx" in err

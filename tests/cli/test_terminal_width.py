"""The terminal summary honours COLUMNS when piped, and below 120 columns never splits a
figure or a status across lines (one block per indicator)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from rich.cells import cell_len

ROOT = Path(__file__).resolve().parents[2]


def run(columns: str) -> str:
    env = {**os.environ, "COLUMNS": columns, "PYTHONIOENCODING": "utf-8"}
    args = [sys.executable, "-m", "indicators", "check"]
    args += [str(ROOT / "sample_data/hengshui-2021-2025.xlsx"), "-p", "hengshui-2021-2025"]
    done = subprocess.run(args, env=env, capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_piped_output_at_80_columns_is_compact_and_whole():
    out = run("80")
    lines = out.splitlines()
    assert all(cell_len(line) <= 80 for line in lines)
    assert "┃" not in out  # no table squeezed into 80 columns
    # every figure line is one line: label, then the whole figure
    assert "    现状：87/120 个社区达标（72.5%）" in lines
    assert "    差距：33 个社区" in lines
    assert any(line.startswith("    补齐所需：还需 25 个社区建立志愿服务站点") for line in lines)
    assert sum(line.startswith("✗ 未达标  ") for line in lines) == 23


def test_wide_terminal_keeps_the_table():
    out = run("160")
    assert "┃" in out and all(cell_len(line) <= 160 for line in out.splitlines())
    assert "87/120 个社区达标（72.5%）" in out

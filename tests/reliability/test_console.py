"""Chinese Windows consoles, markup and escape sequences in census text, usage exit codes,
closed pipes. Most run the real program in a child process: the console encoding and the
pipe are properties of the process, not of click's test runner."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import crashed
from indicators.cli import app

from .inputs import HEADER, PLAN, ROWS, runner, sha256, write_csv, write_xlsx

USAGE = 4
INTERNAL = 70


def run(*args: str | Path, encoding: str = "utf-8", cwd: Path | None = None):
    env = {**os.environ, "PYTHONIOENCODING": encoding, "COLUMNS": "120"}
    env.pop("INDICATORS_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "indicators", *map(str, args)],
        capture_output=True,
        env=env,
        cwd=cwd,
        timeout=120,
    )


@pytest.fixture(scope="module")
def census(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("console")
    return write_xlsx(folder / "census.xlsx", [HEADER, *ROWS])


COMMANDS = {
    "check": ["check", "{census}", "--plan", PLAN],
    "check-gaps": ["check", "{census}", "--plan", PLAN, "--fail-on", "gap"],
    "check-json": ["check", "{census}", "--plan", PLAN, "--format", "json"],
    "validate": ["validate", "{census}", "--plan", PLAN],
    "inspect": ["inspect", "{census}"],
    "assess": ["assess", "{census}", "--plan", PLAN, "--year-of", "{census}=2023"],
    "lint": ["lint", f"targets/{PLAN}.yaml"],
    "plans": ["plans"],
    "show": ["show", PLAN],
    "template": ["template", "--plan", PLAN, "--out", "{folder}/t.xlsx", "--force"],
}


@pytest.mark.parametrize("encoding", ["gbk", "ascii"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_runs_on_a_gbk_or_ascii_console(
    census: Path, command: str, encoding: str
) -> None:
    """PYTHONIOENCODING=gbk is what a Chinese-locale Windows gives a redirected or piped
    Python: check, assess and lint exited 70 on the ✓ glyph."""
    args = [a.format(census=census, folder=census.parent) for a in COMMANDS[command]]
    proc = run(*args, encoding=encoding, cwd=Path(__file__).parents[2])
    out = (proc.stdout + proc.stderr).decode(encoding, "strict")  # what the console got
    assert proc.returncode in (0, 1, 2), out
    assert not crashed(out), out
    if command == "validate" and encoding == "ascii":
        assert "OK" in out or "X" in out or "!" in out  # the glyph, in plain words


def test_markup_in_names_and_paths_is_printed_as_it_is(tmp_path: Path) -> None:
    """A header or name holding `[/]` made inspect, assess, check --out and lint exit 70,
    and `[draft]` vanished from file names in messages."""
    folder = tmp_path / "[draft]"
    folder.mkdir()
    header = [*HEADER[:3], "户数[/]", *HEADER[4:]]
    rows = [[*r[:2], f"[/]{r[2]}[bold]", *r[3:]] for r in ROWS]
    rows[1][4] = "[/]3600[red]"  # a bad number: its text is shown in the issue
    path = write_xlsx(folder / "[draft]社区[b].xlsx", [header, *rows])
    digest = sha256(path)
    inspect = runner.invoke(app, ["inspect", str(path)])
    assert inspect.exit_code == 0, inspect.output
    assert "[draft]社区[b].xlsx" in inspect.output
    assert "户数[/]" in inspect.output and "[/]3600[red]" in inspect.output
    out = tmp_path / "[draft]gaps.xlsx"
    fixed = write_xlsx(folder / "[draft]ok[i].xlsx", [header, *rows[:1], *rows[2:]])
    check = runner.invoke(app, ["check", str(fixed), "--plan", PLAN, "--out", str(out)])
    assert check.exit_code == 0, check.output
    assert out.exists() and "[draft]gaps.xlsx" in check.output
    assess = runner.invoke(app, ["assess", str(path), "--plan", PLAN, "--year-of", f"{path}=2023"])
    assert assess.exit_code in (0, 2), assess.output
    assert not crashed(assess.output), assess.output
    broken = write_csv(folder / "[b]坏.csv", [["只有一列"], ["[/]"]])
    bad = runner.invoke(app, ["check", str(broken), "--plan", PLAN])
    assert bad.exit_code == 2 and "[b]坏.csv" in bad.output, bad.output
    assert sha256(path) == digest


def test_markup_in_a_plan_is_printed_as_it_is(tmp_path: Path) -> None:
    plan = (Path(__file__).parents[2] / "targets" / f"{PLAN}.yaml").read_text(encoding="utf-8")
    lines = plan.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("title:"):
            lines[i] = 'title: "[/]草案[draft]"'
            break
    path = tmp_path / "[draft]plan.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["lint", str(path)])
    assert result.exit_code in (0, 3), result.output
    assert not crashed(result.output), result.output
    assert "[draft]plan.yaml" in result.output


def test_escape_sequences_in_cells_are_shown_escaped(tmp_path: Path) -> None:
    """A cell holding ESC[2J (clear screen) or a bidi override was echoed raw."""
    rows = [[*HEADER, "备注\x1b[2J\x1b[31m"], [*ROWS[0], ""], [*ROWS[1], ""]]
    rows.append([*ROWS[2][:3], "8\u202e00", *ROWS[2][4:], ""])
    path = write_csv(tmp_path / "esc.csv", rows)
    proc = run("inspect", path)
    out = proc.stdout.decode("utf-8")
    assert proc.returncode == 0, out + proc.stderr.decode()
    assert "\x1b" not in out and "\u202e" not in out
    assert "备注\\x1b[2J\\x1b[31m" in out and "8\\u202e00" in out


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names are bytes")
def test_file_name_that_is_not_utf8_is_readable_in_reports(tmp_path: Path) -> None:
    """GBK bytes in a file name (a zip made on Windows, unpacked on Linux) made every --out
    exit 70. The reports name the file as the GBK it is; the console too."""
    import shutil
    import zipfile

    sample = Path(__file__).parents[2] / "sample_data" / "hengshui-2021-2025-census-2023.xlsx"
    path = tmp_path / os.fsdecode("社区".encode("gbk") + b".xlsx")
    shutil.copy(sample, path)
    digest = sha256(path)
    outs = ["--out", "r.json", "--out", "r.md", "--out", "r.csv", "--out", "r.xlsx"]
    proc = run("check", path, "--plan", PLAN, *outs, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    assert "社区.xlsx" in proc.stdout.decode("utf-8")
    for name in ("r.json", "r.md", "r.csv"):
        assert "社区.xlsx" in (tmp_path / name).read_text(encoding="utf-8-sig"), name
    with zipfile.ZipFile(tmp_path / "r.xlsx") as z:
        assert any("社区.xlsx" in z.read(n).decode("utf-8") for n in z.namelist())
    year = f"{path}=2023"
    proc = run("assess", path, "--plan", PLAN, "--year-of", year, "--out", "a.xlsx", "--out",
               "a.json", cwd=tmp_path)  # fmt: skip
    assert proc.returncode == 0, proc.stderr.decode()
    assert "社区.xlsx" in (tmp_path / "a.json").read_text(encoding="utf-8")
    assert (tmp_path / "a.xlsx").exists()
    assert sha256(path) == digest


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--bogus"],
        ["check"],
        ["no-such-command"],
        ["check", "x.csv", "--plan", PLAN, "--lang", "fr"],
        ["check", "x.csv", "--plan", PLAN, "--format", "pdf"],
    ],
    ids=["unknown-option", "missing-argument", "unknown-command", "bad-lang", "bad-choice"],
)
def test_usage_errors_exit_4(args: list[str]) -> None:
    """click exits 2 for usage errors; 2 is documented as "the census cannot be used"."""
    result = runner.invoke(app, args)
    assert result.exit_code == USAGE, result.output


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pipe")
@pytest.mark.parametrize("command", ["check", "inspect", "show"])
def test_closed_pipe_is_not_a_failure_of_the_data(census: Path, command: str) -> None:
    """`indicators check … | head -1` exited 1, which is documented as "targets not met"."""
    args = {
        "check": ["check", census, "--plan", PLAN],
        "inspect": ["inspect", census],
        "show": ["show", PLAN],
    }[command]
    proc = subprocess.Popen(
        [sys.executable, "-m", "indicators", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # what `head -1` does
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141, err
    assert not crashed(err) and "Exception" not in err, err

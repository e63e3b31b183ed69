"""One overwrite policy for every command that writes (README "Output files"):

- an output replaces a previous file of that name, whole, in one step;
- a file the command reads (census, roster, mapping, plan) is never replaced, however it is
  reached (a symbolic link here; hard links in test_writes.py);
- a template is where data is typed in: `template` replaces an unfilled template, never a
  workbook that holds data (it is a census then); `--force` is still accepted;
- every writer syncs its file before the rename, so a full disk at that point leaves the
  previous file as it was and nothing beside it.
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
from pathlib import Path

import openpyxl
import pytest

from indicators.cli import app

from .inputs import PLAN, clean_xlsx, runner, sha256

USAGE = 4
SAMPLES = Path(__file__).parents[2] / "sample_data"
SAMPLE = SAMPLES / "hengshui-2021-2025-census-2023.xlsx"
PLAN_FILE = Path(__file__).parents[2] / "targets" / f"{PLAN}.yaml"

# (command, suffix of its output): every command and format that writes a file
WRITERS = [
    *[("check", s) for s in (".xlsx", ".csv", ".json", ".md", ".html")],
    *[("assess", s) for s in (".xlsx", ".json", ".md", ".html", ".docx")],
    ("template", ".xlsx"),
    ("roster", ".xlsx"),
    ("roster", ".csv"),
    ("inspect", ".yaml"),
]


def _census(folder: Path, command: str) -> Path:
    if command == "assess":  # assess wants every field the plan needs
        return Path(shutil.copy(SAMPLE, folder / "census-2023.xlsx"))
    return clean_xlsx(folder / "census-2023.xlsx")


def _args(command: str, census: Path, out: Path, plan: str = PLAN) -> list[str]:
    if command == "check":
        return ["check", str(census), "--plan", plan, "-q", "--out", str(out)]
    if command == "assess":
        year = ["--year-of", f"{census}=2023"]
        return ["assess", str(census), "--plan", plan, *year, "-q", "--out", str(out)]
    if command == "template":
        return ["template", "--plan", plan, "--out", str(out), "--rows", "20"]
    if command == "roster":
        return ["roster", str(census), "--out", str(out)]
    return ["inspect", str(census), "--save-mapping", str(out)]


def _run(args: list[str], env: dict[str, str] | None = None):
    return runner.invoke(app, args, env=env)


@pytest.mark.parametrize(("command", "suffix"), WRITERS)
def test_an_output_replaces_the_previous_file(tmp_path: Path, command: str, suffix: str) -> None:
    census = _census(tmp_path, command)
    out = tmp_path / f"out{suffix}"
    if command == "template":  # the previous template, made with other settings
        assert _run(["template", "--plan", PLAN, "--out", str(out), "--rows", "5"]).exit_code == 0
    else:
        out.write_bytes(b"the previous report\n")
    before = out.read_bytes()
    result = _run(_args(command, census, out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes() != before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([census.name, out.name])


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges there")
@pytest.mark.parametrize(("command", "suffix"), WRITERS)
def test_an_input_reached_through_a_symbolic_link_is_never_replaced(
    tmp_path: Path, command: str, suffix: str
) -> None:
    census = _census(tmp_path, command)
    plan = Path(shutil.copy(PLAN_FILE, tmp_path / "plan.yaml"))
    source = plan if command == "template" else census  # what the command reads
    digest = sha256(source)
    (tmp_path / "sub").mkdir()
    link = tmp_path / "sub" / f"link{suffix}"
    link.symlink_to(os.path.relpath(source, link.parent))
    result = _run(_args(command, census, link, plan=str(plan)))
    assert result.exit_code == USAGE, result.output
    assert "link" in result.output and ("输入" in result.output or "读取" in result.output)
    assert sha256(source) == digest and link.is_symlink()


@pytest.mark.parametrize(
    ("command", "option", "name"),
    [
        ("check", "--roster", "roster.xlsx"),
        ("check", "--mapping", "mapping.csv"),
        ("assess", "--mapping", "mapping.md"),  # any name: --mapping reads what it is given
        ("inspect", "--mapping", "mapping.yaml"),
        ("inspect", "--plan", "plan.yaml"),
    ],
)
def test_a_roster_mapping_or_plan_read_by_the_command_is_never_replaced(
    tmp_path: Path, command: str, option: str, name: str
) -> None:
    """Only census files were compared with the outputs: `check --roster r.xlsx --out
    r.xlsx` replaced the roster with a gap report, and `inspect --mapping m.yaml
    --save-mapping m.yaml` the mapping file it had just read."""
    census = _census(tmp_path, command)
    given = tmp_path / name
    if option == "--roster":
        shutil.copy(SAMPLES / "hengshui-2021-2025-roster.xlsx", given)
    elif option == "--plan":
        shutil.copy(PLAN_FILE, given)
    else:
        given.write_text("户数,households\n", encoding="utf-8")
    digest = sha256(given)
    args = _args(command, census, given)
    result = _run([*args, option, str(given)])
    assert result.exit_code == USAGE, result.output
    assert "读取的文件" in result.output
    assert sha256(given) == digest


def _template(tmp_path: Path, name: str = "模板.xlsx") -> Path:
    out = tmp_path / name
    assert _run(["template", "--plan", PLAN, "--out", str(out), "--rows", "5"]).exit_code == 0
    return out


def test_template_does_not_replace_a_filled_template(tmp_path: Path) -> None:
    """`template` used to refuse any existing file without --force, while every report was
    replaced. Now it replaces like the others, except a workbook holding typed-in data:
    that is a census, an input of the next run, and it names the first filled cell."""
    out = _template(tmp_path)
    wb = openpyxl.load_workbook(out)
    wb["社区基本情况"]["C4"] = "东风社区"
    wb.save(out)
    digest = sha256(out)
    for extra in ([], ["--force"]):
        result = _run(["template", "--plan", PLAN, "--out", str(out), *extra])
        assert result.exit_code == USAGE, result.output
        assert "已填入数据（社区基本情况!C4）" in result.output
        assert sha256(out) == digest


def test_template_does_not_replace_a_file_it_cannot_read_as_a_workbook(tmp_path: Path) -> None:
    out = tmp_path / "名单.xlsx"
    out.write_text("区县,街道,社区\nA区,一街道,甲社区\n", encoding="utf-8")
    digest = sha256(out)
    result = _run(["template", "--plan", PLAN, "--out", str(out), "--lang", "en"])
    assert result.exit_code == USAGE, result.output
    assert "cannot be shown to hold no typed-in data" in result.output
    assert "not an .xlsx workbook" in result.output
    assert sha256(out) == digest


def test_template_replaces_a_census_sheet_with_only_its_header(tmp_path: Path) -> None:
    """Headers (and the 填表说明 sheet, full of text) are not typed-in data."""
    out = _template(tmp_path)
    wb = openpyxl.load_workbook(out)
    assert wb["填表说明"].max_row > 5
    result = _run(["template", "--plan", PLAN, "--out", str(out), "--rows", "7"])
    assert result.exit_code == 0, result.output


BINARY = [("check", ".xlsx"), ("assess", ".xlsx"), ("assess", ".docx"), ("template", ".xlsx")]
BINARY += [("roster", ".xlsx")]


@pytest.mark.parametrize(("command", "suffix"), BINARY)
def test_a_full_disk_when_syncing_leaves_the_previous_file(
    tmp_path: Path, monkeypatch, command: str, suffix: str
) -> None:
    """Workbooks and documents were renamed into place without an fsync: after a crash the
    new name could point at an empty file. Now every writer syncs through files.py, so the
    failure is seen, reported (exit 4) and the previous file kept."""
    census = _census(tmp_path, command)
    out = tmp_path / f"out{suffix}"
    if command == "template":
        out = _template(tmp_path, f"out{suffix}")
    else:
        out.write_bytes(b"the previous report\n")
    before = out.read_bytes()

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    result = _run(_args(command, census, out))
    assert result.exit_code == USAGE, result.output
    assert "No space left on device" in result.output
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([census.name, out.name])

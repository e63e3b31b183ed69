"""The pre-commit hook and the example workflow, run for real on the data repository."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .repo import BAD_CELL

PROJECT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def env() -> dict[str, str]:
    """PATH with this environment's `indicators` first, as pre-commit and CI would have it."""
    if not (BIN / "indicators").exists():
        pytest.skip(f"no indicators script next to {sys.executable}")
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


def hook() -> dict:
    hooks = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (found,) = [h for h in hooks if h["id"] == "indicators-validate"]
    return found


def run_hook(repo, *files: Path) -> subprocess.CompletedProcess:
    h = hook()
    names = [str(f.relative_to(repo["root"])) for f in files]
    assert all(re.search(h["files"], n) for n in names)
    cmd = [*shlex.split(h["entry"]), "--plan", "targets/plan.yaml", *names]
    return subprocess.run(
        cmd, cwd=repo["root"], env=env(), capture_output=True, text=True, timeout=120
    )


def test_hook_definition():
    h = hook()
    assert h["entry"] == "indicators validate"
    assert h["language"] == "python" and h["pass_filenames"] is True
    for name in ("data/a.xlsx", "data/B.XLS", "x.csv", "y.xlsm", "z.ods"):
        assert re.search(h["files"], name), name
    for name in ("README.md", "data/a.xlsx.bak", "plan.yaml"):
        assert not re.search(h["files"], name), name


def test_hook_entry_passes_the_good_file(repo):
    done = run_hook(repo, repo["good"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "格式正确" in done.stdout


def test_hook_entry_fails_the_bad_file(repo):
    done = run_hook(repo, repo["good"], repo["bad"])
    assert done.returncode == 2, done.stdout + done.stderr
    assert BAD_CELL in done.stdout


def workflow_step(name: str) -> dict:
    flow = yaml.safe_load((PROJECT / "examples" / "validate-submissions.yml").read_text("utf-8"))
    steps = flow["jobs"]["validate"]["steps"]
    (step,) = [s for s in steps if s.get("name") == name]
    return step


def run_workflow(repo) -> subprocess.CompletedProcess:
    """The workflow's validation step, as the runner would run it at the repository root."""
    if shutil.which("bash") is None:
        pytest.skip("bash is needed to run the workflow step")
    step = workflow_step("Validate every workbook under data/")
    assert step["shell"] == "bash"
    return subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        cwd=repo["root"],
        env={**env(), "PLAN": "targets/plan.yaml"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_workflow_installs_indicators():
    assert "pip install" in workflow_step("Install indicators")["run"]


def test_example_data_repository_in_ci(repo):
    done = run_workflow(repo)
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    errors = [x for x in lines if x.startswith("::error ")]
    assert len(errors) == 3
    assert all(x.startswith("::error file=data/2024/西城街道.xlsx,") for x in errors)
    assert any(f"::{BAD_CELL}：" in x for x in errors)
    # The clerk's copy is fixed: the run goes green.
    repo["bad"].unlink()
    shutil.copy(repo["good"], repo["good"].with_name("西城街道.xlsx"))
    fixed = run_workflow(repo)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "::error" not in fixed.stdout


def test_workflow_with_no_submissions(repo):
    shutil.rmtree(repo["root"] / "data")
    done = run_workflow(repo)
    assert done.returncode == 0
    assert "no submissions" in done.stdout

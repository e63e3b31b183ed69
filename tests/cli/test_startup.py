"""Start-up: help texts must not pay for pandas and numpy (about half a second)."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer

# Runs the command in a fresh interpreter and reports the modules it loaded.
_PROBE = """
import sys
sys.argv = ["indicators", *sys.argv[1:]]
from indicators.cli import main
try:
    main()
except SystemExit:
    pass
sys.stderr.write("MODULES=" + ",".join(sorted(sys.modules)) + "\\n")
"""
HEAVY = ("pandas", "numpy", "python_calamine", "xlsxwriter")


def _loaded(*args: str) -> tuple[set[str], str]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    line = [ln for ln in done.stderr.splitlines() if ln.startswith("MODULES=")]
    assert line, done.stderr
    return set(line[-1].removeprefix("MODULES=").split(",")), done.stdout


def _heavy_modules(*args: str) -> tuple[list[str], str]:
    loaded, out = _loaded(*args)
    return sorted(m for m in HEAVY if m in loaded), out


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("check", "--help"),
        ("assess", "--help"),
        ("inspect", "--help"),
        ("validate", "--help"),
        ("--version",),
    ],
)
def test_help_imports_neither_pandas_nor_numpy(args: tuple[str, ...]) -> None:
    heavy, out = _heavy_modules(*args)
    assert out.strip(), "the help text was printed"
    assert heavy == [], f"indicators {' '.join(args)} imported {heavy}"


def test_every_command_is_registered() -> None:
    """A command module that fails to import is an error, not a command that quietly vanishes."""
    import click

    from indicators.cli import COMMANDS, app

    group = typer.main.get_command(app)
    ctx = click.Context(group)
    names = group.list_commands(ctx)
    assert names == [
        "check", "plans", "show", "lint", "inspect", "validate", "template", "assess", "roster"
    ]  # fmt: skip
    assert [name for name, _ in COMMANDS] == names
    for name in names:
        command = group.get_command(ctx, name)
        assert command is not None and command.name == name
        assert command.params, f"{name}: its options were read from the function"


def test_a_command_imports_no_other_command_module() -> None:
    """`check` pays for its own module only: importing every command's module (assess, plans,
    inspect ...) cost about 0.1 s of every run's start-up."""
    loaded, _ = _loaded("check", "--help")
    others = {
        f"indicators.cli.{m}"
        for m in ("assess", "plans", "inspect", "validate", "template", "roster")
    }
    assert "indicators.cli.check" in loaded
    assert not loaded & others, sorted(loaded & others)

"""Option parsing shared by commands: --map, input files, what to print on stdout."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.text import Text

from indicators.errors import UsageError
from indicators.i18n import t

if TYPE_CHECKING:
    from indicators.checking import FileOutcome


# Options several commands share, declared once so their names and help stay the same.
def sheet_option():
    return typer.Option(None, "--sheet", help="Read only these sheets (repeatable).")


def map_option():
    return typer.Option(None, "--map", help='Map a header to a field: --map "实有户数=households".')


def mapping_option():
    return typer.Option(None, "--mapping", help="A YAML or CSV file of header -> field mappings.")


def roster_option():
    return typer.Option(
        None,
        "--roster",
        help="Communities expected to report (xlsx/csv: 区县, 街道, 社区, optional "
        "统计用区划代码, 类型): lists missing, unlisted and misfiled ones; coverage first.",
    )


def debug_option():
    return typer.Option(False, "--debug", help="Show the traceback of an internal error.")


# --format value -> (module, function) rendering a list of FileOutcome to text.
STDOUT_FORMATS = {
    "json": ("indicators.report.json_report", "render_json"),
    "markdown": ("indicators.report.markdown", "render_markdown"),
    "csv": ("indicators.report.csv_report", "render_csv"),
    "junit": ("indicators.report.junit", "render_junit"),
    "github": ("indicators.report.github", "render_github"),
}


def parse_map_options(pairs: list[str] | None, mapping_file: Path | None) -> dict[str, str] | None:
    """--map "实有户数=households" (repeatable) and --mapping FILE, merged; --map wins."""
    mapping: dict[str, str] = {}
    if mapping_file is not None:
        from indicators.read import load_mapping_file

        if not mapping_file.exists():
            raise UsageError(f"--mapping: no such file: {mapping_file}")
        mapping.update(load_mapping_file(mapping_file))
    for pair in pairs or []:
        header, sep, field = pair.partition("=")
        if not sep or not header.strip() or not field.strip():
            raise UsageError(
                f'--map expects "header=field", e.g. "实有户数=households"; got {pair!r}'
            )
        mapping[header.strip()] = field.strip()
    return mapping or None


def require_files(paths: list[Path]) -> None:
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file")
        if path.is_dir():
            raise UsageError(f"{path} is a folder; give the census files in it, e.g. {path}/*.xlsx")


@dataclass
class Printers:
    fmt: str

    def table(self, console: Console, outcome: FileOutcome, lang: str) -> None:
        from indicators.report.terminal import print_issues, print_summary

        if outcome.error is not None:
            # The message starts with the file's name; show the path once, not twice.
            message = outcome.error.message.removeprefix(f"{outcome.path.name}: ")
            console.print(
                Text.assemble((str(outcome.path), "bold red"), f": {message}"), soft_wrap=True
            )
            if outcome.error.hint:  # e.g. which variable raises the limit that was hit
                console.print(f"  hint: {outcome.error.hint}", soft_wrap=True)
            return
        census = outcome.census
        if census.errors:
            console.print(
                t("check.data_errors", lang, file=outcome.path.name, n=len(census.errors))
            )
            print_issues(console, census.errors, lang)
            return
        print_summary(console, outcome.results, lang)

    def stdout(self, console: Console, outcomes: list[FileOutcome], lang: str) -> None:
        module, name = STDOUT_FORMATS[self.fmt]
        text = getattr(importlib.import_module(module), name)(outcomes, lang)
        console.file.write(text if text.endswith("\n") else text + "\n")


def stdout_formats(fmt: str) -> Printers:
    if fmt != "table" and fmt not in STDOUT_FORMATS:
        choices = ", ".join(["table", *STDOUT_FORMATS])
        raise UsageError(f"--format: expected one of {choices}, not {fmt!r}")
    return Printers(fmt)

"""Option parsing shared by commands: --map, input files, what to print on stdout."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.text import Text

from indicators.cli.common import choice_error, h, print_hint, without_file_name
from indicators.model.errors import UsageError
from indicators.model.i18n import DEFAULT_LANG, t

if TYPE_CHECKING:
    from indicators.run.pipeline import FileOutcome


# Options several commands share, declared once so their names and help stay the same.
def sheet_option():
    return typer.Option(None, "--sheet", help=h("sheet"))


def map_option():
    return typer.Option(None, "--map", help=h("map"))


def mapping_option():
    return typer.Option(None, "--mapping", help=h("mapping"))


def roster_option():
    return typer.Option(
        None,
        "--roster",
        help=h("roster"),
    )


def combine_option():
    return typer.Option(
        False,
        "--combine",
        help=h("combine"),
    )


def debug_option():
    return typer.Option(False, "--debug", help=h("debug"))


# --format value -> (module, function) rendering a list of FileOutcome to text.
STDOUT_FORMATS = {
    "json": ("indicators.report.json_report", "render_json"),
    "markdown": ("indicators.report.markdown", "render_markdown"),
    "csv": ("indicators.report.csv_report", "render_csv"),
    "junit": ("indicators.report.junit", "render_junit"),
    "github": ("indicators.report.github", "render_github"),
}


def parse_map_options(
    pairs: list[str] | None, mapping_file: Path | None, lang: str = DEFAULT_LANG
) -> dict[str, str] | None:
    """--map "实有户数=households" (repeatable) and --mapping FILE, merged; --map wins."""
    mapping: dict[str, str] = {}
    if mapping_file is not None:
        from indicators.read import load_mapping_file

        if not mapping_file.exists():
            raise UsageError(t("usage.option_no_file", lang, option="--mapping", path=mapping_file))
        mapping.update(load_mapping_file(mapping_file))
    for pair in pairs or []:
        header, sep, field = pair.partition("=")
        if not sep or not header.strip() or not field.strip():
            raise UsageError(t("usage.map_pair", lang, got=repr(pair)))
        mapping[header.strip()] = field.strip()
    return mapping or None


def require_files(paths: list[Path], lang: str = DEFAULT_LANG) -> None:
    for path in paths:
        if not path.exists():
            raise UsageError(t("usage.no_file", lang, path=path))
        if path.is_dir():
            raise UsageError(t("usage.is_folder", lang, path=path))


def census_inputs(paths: list[Path], lang: str = DEFAULT_LANG) -> list[Path]:
    """Census files as given; a folder stands for the census files in it (and below)."""
    from indicators.read.combine import expand_inputs

    for path in paths:
        if not path.exists():
            raise UsageError(t("usage.no_file", lang, path=path))
        if path.is_dir() and not expand_inputs([path]):
            raise UsageError(t("combine.no_files", lang, path=path))
    return expand_inputs(paths)


def print_combined_summary(
    console: Console, outcome: FileOutcome, lang: str, findings: bool = True
) -> None:
    """Files, streets and communities that went into a combined census; with `findings`,
    what only combining finds (a file sent twice, a community in two files...)."""
    census = outcome.census
    if census is None or not census.parts:
        return
    frame = census.frame
    streets = frame[["district", "street"]].drop_duplicates().shape[0] if len(frame) else 0
    dups = sum(1 for p in census.parts if p.duplicate_of is not None)
    text = t(
        "combine.summary",
        lang,
        files=len(census.parts) - dups,
        duplicates=dups,
        streets=streets,
        communities=len(frame),
    )
    console.print(text, markup=False)
    if not findings:
        return
    from indicators.read.combine import FINDINGS
    from indicators.report.terminal import print_issues

    found = [i for i in census.issues if i.code in FINDINGS]
    if found:
        print_issues(console, found, lang)


@dataclass
class Printers:
    fmt: str

    def table(self, console: Console, outcome: FileOutcome, lang: str) -> None:
        from indicators.report.terminal import print_issues, print_summary

        if outcome.error is not None:
            # The message starts with the file's name; show the path once, not twice.
            message = without_file_name(outcome.error, outcome.path, lang)
            sep = t("cli.label_sep", lang)
            console.print(
                Text.assemble((str(outcome.path), "bold red"), sep, message), soft_wrap=True
            )
            # e.g. which variable raises the limit that was hit
            print_hint(outcome.error.hint_text(lang), lang, console)
            return
        census = outcome.census
        if census.errors:
            console.print(
                t("check.data_errors", lang, file=outcome.path.name, n=len(census.errors))
            )
            print_issues(console, census.errors, lang)
            _after_errors(console, outcome, lang)
            return
        print_summary(console, outcome.results, lang)
        _missing_summary(console, outcome, lang)

    def stdout(self, console: Console, outcomes: list[FileOutcome], lang: str) -> None:
        module, name = STDOUT_FORMATS[self.fmt]
        text = getattr(importlib.import_module(module), name)(outcomes, lang)
        console.file.write(text if text.endswith("\n") else text + "\n")


def stdout_formats(fmt: str, lang: str = DEFAULT_LANG) -> Printers:
    if fmt != "table" and fmt not in STDOUT_FORMATS:
        raise choice_error("--format", ["table", *STDOUT_FORMATS], fmt, lang)
    return Printers(fmt)


def _after_errors(console: Console, outcome: FileOutcome, lang: str) -> None:
    """After the errors that stopped a check: the plan fields the sheet lacks (each with its
    closest column and --map line) and how many warnings wait, so one fix round does it all."""
    from indicators.report.terminal import print_issues

    issues = outcome.census.issues
    missing = [i for i in issues if i.code == "missing-field" and i.severity.value != "error"]
    missing.sort(key=lambda i: not i.params.get("near"))  # the ones a --map line fixes first
    if missing:
        console.print(t("check.missing_fields", lang, n=len(missing)))
        print_issues(console, missing, lang)
    warnings = sum(1 for i in issues if i.severity.value == "warning") - len(missing)
    if warnings > 0:
        plan = outcome.plan.id if outcome.plan else "PLAN"
        console.print(
            t("check.more_warnings", lang, n=warnings, file=outcome.path, plan=plan),
            markup=False,
            soft_wrap=True,
        )


def _missing_summary(console: Console, outcome: FileOutcome, lang: str) -> None:
    """Under the summary: how many plan fields the sheet lacks and how many indicators that
    leaves not computable; each field an unused column may hold, with its --map line."""
    missing = [i for i in outcome.census.issues if i.code == "missing-field"]
    if not missing or outcome.plan is None:
        return
    fields = {i.params.get("field") for i in missing}
    blocked = [ind for ind in outcome.plan.checkable if fields & set(ind.fields)]
    console.print(
        t("check.missing_summary", lang, fields=len(fields), indicators=len(blocked)),
        soft_wrap=True,
    )
    for i in missing:
        if i.params.get("near"):
            names = "、".join(
                ind.name(lang) for ind in blocked if i.params.get("field") in ind.fields
            )
            console.print(
                t(
                    "check.missing_near",
                    lang,
                    field=i.params["field_name"],
                    near=i.params["near"],
                    map=i.params["map"],
                    indicators=names,
                ),
                markup=False,
                soft_wrap=True,
            )

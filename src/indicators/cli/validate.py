"""`indicators validate`: is a submission well formed for a plan? No target is judged."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.text import Text

from indicators.cli.common import (
    choice_error,
    console,
    h,
    handle_errors,
    lang_option,
    print_hint,
    without_file_name,
)
from indicators.cli.options import (
    census_inputs,
    combine_option,
    debug_option,
    map_option,
    mapping_option,
    parse_map_options,
    print_combined_summary,
    roster_option,
    sheet_option,
    stdout_formats,
)
from indicators.cli.progress import working
from indicators.model.errors import UsageError
from indicators.model.i18n import t
from indicators.model.issues import Severity
from indicators.plan import load_plan
from indicators.run.pipeline import FileOutcome, ReadOptions, exit_code, read_file

FORMATS = ("table", "json", "junit", "github")


@handle_errors
def validate(
    files: list[Path] = typer.Argument(..., help=h("validate.files")),
    plan: str = typer.Option(..., "--plan", "-p", help=h("validate.plan")),
    format_: str = typer.Option("table", "--format", "-f", help=h("validate.format")),
    strict: bool = typer.Option(False, "--strict", help=h("validate.strict")),
    sheet: list[str] = sheet_option(),
    map_: list[str] = map_option(),
    mapping: Path = mapping_option(),
    roster: Path = roster_option(),
    template: Path = typer.Option(
        None,
        "--template",
        help=h("validate.template"),
    ),
    combine: bool = combine_option(),
    lang: str = lang_option(),
    debug: bool = debug_option(),
) -> None:
    """Check that submissions are well formed for a plan, without judging any target.

    Required fields present, numbers where numbers belong, values in range, no duplicate
    communities, subtotal rows that add up (and, with --roster, the expected communities under
    the right street and district). Every finding names its sheet and cell.

    Examples:

      indicators validate data/*.xlsx --plan hengshui-2021-2025

      indicators validate data/东城街道.xlsx -p targets/my-plan.yaml --format github --strict

      indicators validate returns/ --combine -p hengshui-2021-2025 --template 模板.xlsx

    Exit codes: 0 well formed (warnings allowed unless --strict); 2 data errors (or warnings
    with --strict), or a file cannot be read; 3 plan file invalid; 4 usage error.
    """
    if format_ not in FORMATS:
        raise choice_error("--format", FORMATS, format_, lang)
    printers = stdout_formats(format_, lang)
    files = census_inputs(files, lang)
    if roster is not None:
        _check_roster(roster, lang)
    if template is not None and not template.is_file():
        raise UsageError(t("usage.option_no_file", lang, option="--template", path=template))
    the_plan = load_plan(plan)
    required = None
    if template is not None:
        from indicators.run.requirements import template_fields

        required = frozenset(template_fields(template, the_plan))
    options = ReadOptions(
        sheets=sheet or None,
        mapping=parse_map_options(map_, mapping, lang),
        roster=roster,
        required=required,
    )
    show = format_ == "table"
    if combine:
        outcomes = [_read_combined(the_plan, files, options, show, lang)]
    else:
        outcomes = []
        for path in files:
            with working(t("progress.reading", lang, file=path.name)):
                outcomes.append(_read_one(the_plan, path, options))
    for outcome in outcomes:
        if show:
            _print_file(outcome, lang, strict)
    if show:
        _print_combined(outcomes, lang, strict)
        _print_way_forward(the_plan, outcomes, lang)
    else:
        printers.stdout(console, outcomes, lang)
    raise typer.Exit(int(exit_code(outcomes, "error", strict=strict)))


def _read_one(the_plan, path: Path, options: ReadOptions) -> FileOutcome:
    from indicators.run.requirements import group_missing

    outcome = read_file(the_plan, path, options)
    if outcome.census is not None:
        outcome.census.issues[:] = group_missing(outcome.census.issues, the_plan)
    return outcome


def _read_combined(the_plan, files: list[Path], options, show: bool, lang: str) -> FileOutcome:
    from indicators.run.pipeline import read_combined
    from indicators.run.requirements import group_missing

    with working(t("combine.reading", lang, n=len(files))):
        outcome = read_combined(the_plan, files, options, as_collected=False)
    if outcome.census is not None:
        outcome.census.issues[:] = group_missing(outcome.census.issues, the_plan)
    if show:
        print_combined_summary(console, outcome, lang, findings=False)
    return outcome


def _print_way_forward(the_plan, outcomes: list[FileOutcome], lang: str) -> None:
    """When plan columns are missing: the plan that narrows this one to what the census
    collects, and the --template alternative."""
    from indicators.run.requirements import missing_fields, narrowing_plan

    missing: list[str] = []
    for o in outcomes:
        for f in missing_fields(o.census.issues if o.census is not None else []):
            if f not in missing:
                missing.append(f)
    if not missing:
        return
    console.print(t("validate.narrow_hint", lang, plan=the_plan.id), markup=False, soft_wrap=True)
    console.print(narrowing_plan(the_plan, missing, lang), markup=False, soft_wrap=True)
    console.print(t("validate.template_hint", lang), markup=False, soft_wrap=True)


def _check_roster(path: Path, lang: str) -> None:
    if not path.exists():
        raise UsageError(t("usage.option_no_file", lang, option="--roster", path=path))
    try:
        import indicators.roster  # noqa: F401
    except ModuleNotFoundError as exc:
        if exc.name != "indicators.roster":
            raise
        raise UsageError(t("usage.roster_unavailable", lang)) from None


def _print_file(outcome: FileOutcome, lang: str, strict: bool) -> None:
    from indicators.report.findings import findings
    from indicators.report.terminal import print_issues

    name = outcome.path.as_posix()
    if outcome.error is not None:
        message = without_file_name(outcome.error, outcome.path, lang)
        text = t("validate.file_unreadable", lang, file=name, message=message)
        console.print(Text.assemble(("✗", "bold red"), f" {text}"), soft_wrap=True)
        print_hint(outcome.error.hint_text(lang), lang, console)
        return
    census = outcome.census
    shown = findings(outcome)
    errors = sum(1 for i in shown if i.severity is Severity.ERROR)
    warnings = len(shown) - errors
    notes = len(census.issues) - len(shown)
    if errors:
        key, mark = "validate.file_errors", ("✗", "bold red")
    elif warnings:
        key, mark = "validate.file_warnings", ("✗", "red") if strict else ("!", "yellow")
    else:
        key, mark = "validate.file_ok", ("✓", "green")
    text = t(key, lang, file=name, n=len(census.frame), errors=errors, warnings=warnings)
    console.print(Text.assemble(mark, f" {text}"), soft_wrap=True)
    if shown:
        print_issues(console, shown, lang)
    if notes:
        console.print(f"  {t('validate.info_note', lang, n=notes)}", style="dim")


def _print_combined(outcomes: list[FileOutcome], lang: str, strict: bool) -> None:
    from indicators.report.findings import counts

    totals = counts(outcomes)
    if strict:
        failed = sum(1 for o in outcomes if not o.ok or _has_warnings(o))
        totals.update(failed=failed, ok=len(outcomes) - failed)
    line = t("validate.combined", lang, **totals)
    if strict:
        line += " " + t("validate.strict_note", lang)
    console.print(line)


def _has_warnings(outcome: FileOutcome) -> bool:
    issues = outcome.census.issues if outcome.census is not None else []
    return any(i.severity is Severity.WARNING for i in issues)

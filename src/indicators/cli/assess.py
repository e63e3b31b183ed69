"""`indicators assess`: one census per year against a plan; progress toward each target."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.text import Text

from indicators.cli.common import LANG_HELP, check_lang, console, err_console, handle_errors
from indicators.cli.options import parse_map_options, require_files
from indicators.errors import ExitCode, UsageError
from indicators.i18n import t

FORMATS = ("table", "json", "markdown")
OUT_SUFFIXES = (".xlsx", ".json", ".md")


@handle_errors
def assess(
    census: list[Path] = typer.Argument(..., help="One census workbook per year."),
    plan: str = typer.Option(
        ..., "--plan", "-p", help="Plan id from targets/ (see `indicators plans`) or a YAML path."
    ),
    out: list[Path] = typer.Option(
        None, "--out", "-o", help="Write the assessment: .xlsx (workbook with charts), .json, .md."
    ),
    format_: str = typer.Option(
        "table", "--format", "-f", help="What to print: table, json, markdown."
    ),
    year_of: list[str] = typer.Option(
        None, "--year-of", help="Year of a file: --year-of census.xlsx=2023 (repeatable)."
    ),
    years: str = typer.Option(
        None, "--years", help="Years of the files in the order given: --years 2021,2022,2023."
    ),
    sheet: list[str] = typer.Option(None, "--sheet", help="Read only these sheets (repeatable)."),
    map_: list[str] = typer.Option(
        None, "--map", help='Map a header to a field: --map "实有户数=households".'
    ),
    mapping: Path = typer.Option(
        None, "--mapping", help="A YAML or CSV file of header -> field mappings."
    ),
    lang: str = typer.Option("zh", "--lang", help=LANG_HELP, callback=check_lang),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors."),
    debug: bool = typer.Option(False, "--debug", help="Show the traceback of an internal error."),
) -> None:
    """Assess progress year by year, from the plan's baseline toward each target.

    The year of each file comes from --year-of or --years, else from a year column in the
    census, else from a 4-digit year in the file name (the plan id and period are ignored).

    Example:

      indicators assess --plan hengshui-2021-2025 census-2021.xlsx census-2022.xlsx
      census-2023.xlsx --out assessment-2023.xlsx

    Status per indicator (Statistics Canada / Open SDG progress measure): target achieved,
    on track, acceleration needed, limited progress, deterioration, not enough data.

    Exit codes: 0 assessed; 2 census data invalid; 3 plan file invalid; 4 usage error.
    """
    from indicators.assess import assess as run_assessment
    from indicators.assess import parse_year_of, parse_years, resolve_years
    from indicators.checking import ReadOptions, read_file
    from indicators.plan import load_plan

    if format_ not in FORMATS:
        raise UsageError(f"--format: expected one of {', '.join(FORMATS)}, not {format_!r}")
    require_files(census)
    _check_outputs(out or [], census, lang)
    given = parse_year_of(year_of, census)
    if years:
        if given:
            raise UsageError("give the years with either --years or --year-of, not both")
        given = parse_years(years, census)
    the_plan = load_plan(plan)
    options = ReadOptions(sheets=sheet or None, mapping=parse_map_options(map_, mapping))
    outcomes = [read_file(the_plan, path, options) for path in census]
    if _report_errors(outcomes, lang):
        raise typer.Exit(int(ExitCode.DATA_INVALID))
    found = resolve_years(census, given, {o.path: o.census.year for o in outcomes}, the_plan)
    inputs = [(found[o.path], o.census) for o in outcomes]
    assessment = run_assessment(the_plan, inputs)
    show = not quiet
    if show and format_ == "table":
        from indicators.report.assessment_text import print_assessment

        print_assessment(console, assessment, lang)
    elif show:
        from indicators.report import assessment_text

        render = (
            assessment_text.render_json if format_ == "json" else assessment_text.render_markdown
        )
        text = render(assessment, lang)
        console.file.write(text if text.endswith("\n") else text + "\n")
    for path in out or []:
        _write(assessment, path, lang)
        if show and format_ == "table":
            console.print(t("assess.written", lang, path=path))
    raise typer.Exit(int(ExitCode.OK))


def _check_outputs(paths: list[Path], inputs: list[Path], lang: str) -> None:
    from indicators.report.safe import check_outputs

    for path in paths:
        if path.suffix.lower() not in OUT_SUFFIXES:
            raise UsageError(f"--out {path}: expected a file ending in {', '.join(OUT_SUFFIXES)}")
    # the same checks as every writer: an input reached through a hard or symbolic link is
    # refused too (through a hard link `assess` overwrote a census file, exit 0)
    check_outputs(paths, inputs, lang)


def _report_errors(outcomes, lang: str) -> bool:
    from indicators.report.terminal import print_issues

    bad = False
    for o in outcomes:
        if o.error is not None:
            err_console.print(
                Text.assemble((str(o.path), "bold red"), f": {o.error.message}"), soft_wrap=True
            )
            if o.error.hint:
                err_console.print(f"  hint: {o.error.hint}", soft_wrap=True)
            bad = True
        elif o.census.errors:
            err_console.print(
                t("assess.data_errors", lang, file=o.path.name, n=len(o.census.errors))
            )
            print_issues(err_console, o.census.errors, lang)
            bad = True
    return bad


def _write(assessment, path: Path, lang: str) -> None:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from indicators.report.assessment_workbook import write_assessment_workbook

        write_assessment_workbook(assessment, path, lang)
        return
    from indicators.report import assessment_text
    from indicators.report.safe import write_text_atomic

    render = assessment_text.render_json if suffix == ".json" else assessment_text.render_markdown
    write_text_atomic(path, render(assessment, lang) + "\n", lang)

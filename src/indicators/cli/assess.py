"""`indicators assess`: one census per year against a plan; progress toward each target."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.text import Text

from indicators.cli.common import (
    choice_error,
    console,
    err_console,
    h,
    handle_errors,
    lang_option,
    print_hint,
    without_file_name,
)
from indicators.cli.options import parse_map_options, require_files
from indicators.cli.progress import working
from indicators.model.errors import ExitCode, UsageError
from indicators.model.i18n import t

FORMATS = ("table", "json", "markdown")
OUT_SUFFIXES = (".xlsx", ".json", ".md", ".docx", ".html")


@handle_errors
def assess(
    census: list[Path] = typer.Argument(..., help=h("assess.census")),
    plan: str = typer.Option(..., "--plan", "-p", help=h("plan")),
    out: list[Path] = typer.Option(
        None,
        "--out",
        "-o",
        help=h("assess.out"),
    ),
    format_: str = typer.Option("table", "--format", "-f", help=h("assess.format")),
    year_of: list[str] = typer.Option(None, "--year-of", help=h("assess.year_of")),
    years: str = typer.Option(None, "--years", help=h("assess.years")),
    sheet: list[str] = typer.Option(None, "--sheet", help=h("sheet")),
    map_: list[str] = typer.Option(None, "--map", help=h("map")),
    mapping: Path = typer.Option(None, "--mapping", help=h("mapping")),
    combine: bool = typer.Option(
        False,
        "--combine",
        help=h("assess.combine"),
    ),
    lang: str = lang_option(),
    quiet: bool = typer.Option(False, "--quiet", "-q", help=h("quiet")),
    debug: bool = typer.Option(False, "--debug", help=h("debug")),
) -> None:
    """Assess progress year by year, from the plan's baseline toward each target.

    The year of each file comes from --year-of or --years, else from a year column in the
    census, else from a 4-digit year in the file name (the plan id and period are ignored).

    Example:

      indicators assess --plan hengshui-2021-2025 census-2021.xlsx census-2022.xlsx
      census-2023.xlsx --out assessment-2023.xlsx

      indicators assess --plan hengshui-2021-2025 --combine returns/2021 returns/2022
      returns/2023

    Status per indicator (Statistics Canada / Open SDG progress measure): target achieved,
    on track, acceleration needed, limited progress, deterioration, not enough data.

    Exit codes: 0 assessed; 2 census data invalid; 3 plan file invalid; 4 usage error.
    """
    from indicators.assess.assessment import assess as run_assessment
    from indicators.assess.years import parse_year_of, parse_years, resolve_years
    from indicators.plan import load_plan
    from indicators.run.pipeline import ReadOptions, read_as_collected

    if format_ not in FORMATS:
        raise choice_error("--format", FORMATS, format_, lang)
    if combine:
        groups = _year_groups(census, lang)
        census = list(groups)
    else:
        require_files(census, lang)
    inputs = [f for files in groups.values() for f in files] if combine else census
    _check_outputs(out or [], inputs, lang, [mapping, Path(plan)])
    if any(p.suffix.lower() == ".docx" for p in out or []):
        from indicators.report.annual_docx import require

        require(lang)  # before any census is read
    given = parse_year_of(year_of, census)
    if years:
        if given:
            raise UsageError(t("usage.years_both", lang))
        given = parse_years(years, census)
    the_plan = load_plan(plan)
    options = ReadOptions(sheets=sheet or None, mapping=parse_map_options(map_, mapping, lang))
    outcomes = []
    for key, files in groups.items() if combine else ((p, [p]) for p in census):
        with working(t("progress.reading", lang, file=key.name), show=not quiet):
            if combine:
                outcomes.append(_read_group(the_plan, key, files, options))
            else:
                outcomes.append(read_as_collected(the_plan, key, options))
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


def _year_groups(paths: list[Path], lang: str) -> dict[Path, list[Path]]:
    """--combine: a folder is one year's census; files are grouped by the year in their
    names (a file without one is a census of its own)."""
    from indicators.assess.years import year_from_name
    from indicators.cli.options import census_inputs

    groups: dict[Path, list[Path]] = {}
    by_year: dict[int, Path] = {}
    for path in paths:
        files = census_inputs([path], lang)
        if path.is_dir():
            groups[path] = files
            continue
        year = year_from_name(path)
        key = by_year.setdefault(year, path) if year is not None else path
        groups.setdefault(key, []).append(path)
    return groups


def _read_group(the_plan, key: Path, files: list[Path], options):
    """One year's files read as one census, named by the folder (or first file) given."""
    from dataclasses import replace

    from indicators.run.pipeline import read_combined

    outcome = read_combined(the_plan, files, options)
    outcome.path = key
    if outcome.census is not None:
        outcome.census.source = replace(outcome.census.source, path=key)
    return outcome


def _check_outputs(paths: list[Path], inputs: list[Path], lang: str, others: list) -> None:
    from indicators.files import check_outputs

    for path in paths:
        if path.suffix.lower() not in OUT_SUFFIXES:
            raise UsageError(
                t("usage.assess_out", lang, path=path, suffixes=", ".join(OUT_SUFFIXES))
            )
    # the same checks as every writer: an input reached through a hard or symbolic link is
    # refused too (through a hard link `assess` overwrote a census file, exit 0)
    check_outputs(paths, inputs, lang, others)


def _report_errors(outcomes, lang: str) -> bool:
    from indicators.report.terminal import print_issues

    bad = False
    for o in outcomes:
        if o.error is not None:
            err_console.print(
                Text.assemble(
                    (str(o.path), "bold red"),
                    t("cli.label_sep", lang),
                    without_file_name(o.error, o.path, lang),
                ),
                soft_wrap=True,
            )
            print_hint(o.error.hint_text(lang), lang)
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
    if suffix in (".docx", ".html"):
        from indicators.report.annual import draft

        if suffix == ".docx":
            from indicators.report.annual_docx import write_docx as write
        else:
            from indicators.report.annual_html import write_html as write
        write(draft(assessment, lang), path, lang)
        return
    if suffix == ".xlsx":
        from indicators.report.assessment_workbook import write_assessment_workbook

        write_assessment_workbook(assessment, path, lang)
        return
    from indicators.files import write_text_atomic
    from indicators.report import assessment_text

    render = assessment_text.render_json if suffix == ".json" else assessment_text.render_markdown
    write_text_atomic(path, render(assessment, lang) + "\n", lang)

"""`indicators check`: census files against a plan; summary, gap reports, exit code."""

from __future__ import annotations

from pathlib import Path

import typer

from indicators.cli.common import choice_error, console, h, handle_errors, lang_option
from indicators.cli.options import (
    census_inputs,
    combine_option,
    debug_option,
    map_option,
    mapping_option,
    parse_map_options,
    print_combined_summary,
    require_files,
    roster_option,
    sheet_option,
    stdout_formats,
)
from indicators.cli.progress import working
from indicators.model.i18n import t


@handle_errors
def check(
    census: list[Path] = typer.Argument(..., help=h("check.census")),
    plan: str = typer.Option(..., "--plan", "-p", help=h("plan")),
    out: list[Path] = typer.Option(
        None,
        "--out",
        "-o",
        help=h("check.out"),
    ),
    format_: str = typer.Option("table", "--format", "-f", help=h("check.format")),
    year: int = typer.Option(
        None,
        "--year",
        help=h("check.year"),
    ),
    sheet: list[str] = sheet_option(),
    map_: list[str] = map_option(),
    mapping: Path = mapping_option(),
    roster: Path = roster_option(),
    combine: bool = combine_option(),
    fail_on: str = typer.Option(
        "none",
        "--fail-on",
        help=h("check.fail_on"),
    ),
    lang: str = lang_option(),
    quiet: bool = typer.Option(False, "--quiet", "-q", help=h("check.quiet")),
    debug: bool = debug_option(),
) -> None:
    """Check census workbooks against a plan's targets and report the gaps.

    Examples:

      indicators check sample_data/hengshui-2021-2025.xlsx --plan hengshui-2021-2025

      indicators check data/*.xlsx -p hengshui-2021-2025 -o gaps.xlsx --fail-on gap

      indicators check returns/ --combine -p hengshui-2021-2025 --roster roster.xlsx -o city.xlsx

    Exit codes: 0 ran (all targets met, or gaps not asked to fail); 1 targets not met with
    --fail-on gap/binding-gap; 2 census data invalid; 3 plan file invalid; 4 usage error.
    """
    from indicators.run.pipeline import FAIL_ON, ReadOptions, check_file, exit_code

    if fail_on not in FAIL_ON:
        raise choice_error("--fail-on", FAIL_ON, fail_on, lang)
    if not combine and census:
        from indicators.read import ahead

        ahead.start(census[0])  # parsed while pandas is imported and the plan is loaded
    printers = stdout_formats(format_, lang)
    census = census_inputs(census, lang)
    if roster is not None:
        require_files([roster], lang)
    if out:
        from indicators.report.outputs import precheck_outputs

        read = [roster, mapping, Path(plan)]  # never replaced either
        if combine:  # one report, named as given; it must not overwrite any input
            from indicators.files import check_outputs

            precheck_outputs(out, census[:1], lang, read)
            check_outputs(out, census, lang)
        else:
            precheck_outputs(out, census, lang, read)
    from indicators.plan import load_plan

    the_plan = load_plan(plan)
    options = ReadOptions(
        sheets=sheet or None,
        mapping=parse_map_options(map_, mapping, lang),
        year=year,
        roster=roster,
    )
    outcomes = []
    show = not quiet and format_ == "table"
    if combine:
        outcome = _check_combined(the_plan, census, options, show, lang)
        if show:
            _show(outcome, printers, lang)
        if out and outcome.results is not None:
            _write(outcome.results, out, lang, [], show, quiet)
        if not quiet and format_ != "table":
            printers.stdout(console, [outcome], lang)
        raise typer.Exit(int(exit_code([outcome], fail_on)))
    for path in census:
        if show and len(census) > 1:
            console.rule(str(path))
        with working(t("progress.reading", lang, file=path.name), show=not quiet):
            outcome = check_file(the_plan, path, options)
        outcomes.append(outcome)
        if show and outcome.roster is not None:
            from indicators.report.roster_text import print_roster

            print_roster(console, outcome.roster, lang)
        if show:
            printers.table(console, outcome, lang)
        if out and outcome.results is not None:
            _write(outcome.results, out, lang, census, show, quiet)
    if not quiet and format_ != "table":
        printers.stdout(console, outcomes, lang)
    if show and len(census) > 1:
        ok = sum(1 for o in outcomes if o.ok)
        console.print(
            t("check.combined", lang, files=len(outcomes), ok=ok, failed=len(outcomes) - ok)
        )
        console.print(t("combine.suggest", lang), markup=False)
    raise typer.Exit(int(exit_code(outcomes, fail_on)))


def _check_combined(the_plan, files: list[Path], options, show: bool, lang: str):
    from indicators.run.pipeline import check_combined

    if not show:
        return check_combined(the_plan, files, options)
    from rich.progress import Progress

    with Progress(transient=True, console=console) as bar:
        task = bar.add_task(t("combine.reading", lang, n=len(files)), total=len(files))
        outcome = check_combined(
            the_plan, files, options, on_read=lambda o: bar.update(task, advance=1)
        )
    print_combined_summary(console, outcome, lang)
    return outcome


def _show(outcome, printers, lang: str) -> None:
    if outcome.roster is not None:
        from indicators.report.roster_text import print_roster

        print_roster(console, outcome.roster, lang)
    printers.table(console, outcome, lang)


def _write(
    results, out: list[Path], lang: str, inputs: list[Path], show: bool, quiet: bool
) -> None:
    """Write the --out reports; a big gap workbook takes seconds (about 9 s at 50,000
    communities), so a person at a terminal sees which file is being written meanwhile."""
    from indicators.report.outputs import output_paths, write_reports

    names = ", ".join(p.name for p in output_paths(results, out, inputs))
    with working(t("progress.writing", lang, file=names), show=not quiet):
        written = write_reports(results, out, lang, inputs=inputs)
    if show:
        for path in written:
            console.print(t("summary.report_written", lang, path=path))

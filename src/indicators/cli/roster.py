"""`indicators roster`: write a roster (the communities expected to report) from a census."""

from __future__ import annotations

from pathlib import Path

import typer

from indicators.cli.common import console, h, handle_errors, lang_option
from indicators.cli.options import require_files
from indicators.model.i18n import t
from indicators.model.issues import Severity


@handle_errors
def roster(
    census: Path = typer.Argument(..., help=h("roster.census")),
    out: Path = typer.Option(..., "--out", "-o", help=h("roster.out")),
    sheet: list[str] = typer.Option(None, "--sheet", help=h("sheet")),
    lang: str = lang_option(),
    debug: bool = typer.Option(False, "--debug", help=h("debug")),
) -> None:
    """Write the census's communities (district, street, name, type, code) as a roster.

    Next year, check the new census against it with --roster to see who did not report,
    who is new and who moved street.

    Example:

      indicators roster census-2024.xlsx --out roster-2025.xlsx
    """
    from indicators.read import read_census
    from indicators.report.terminal import print_issues
    from indicators.roster import roster_from_census, write_roster
    from indicators.roster.model import check_output, identity_vocabulary

    require_files([census], lang)
    check_output(out, [census])
    data = read_census(census, vocabulary=identity_vocabulary(), sheets=sheet or None)
    result = roster_from_census(data)
    problems = [i for i in data.issues if i.severity is Severity.ERROR]
    n = write_roster(result, out, inputs=[census])
    if problems:
        console.print(t("roster.census_issues", lang, n=len(problems)))
        print_issues(console, problems, lang)
    frame = result.frame
    console.print(
        t(
            "roster.written",
            lang,
            path=out,
            n=n,
            districts=frame["district"].nunique(),
            streets=frame[["district", "street"]].drop_duplicates().shape[0],
        )
    )

"""`indicators inspect`: how each column and each row of a census file was understood."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from indicators.cli.common import console, h, handle_errors, lang_option
from indicators.cli.options import parse_map_options
from indicators.model.fields import shared_vocabulary
from indicators.model.i18n import t
from indicators.model.issues import Severity

if TYPE_CHECKING:
    from indicators.model.census import Census


@handle_errors
def inspect(
    census: list[Path] = typer.Argument(..., help=h("inspect.census")),
    sheet: list[str] | None = typer.Option(None, "--sheet", help=h("inspect.sheet")),
    map_: list[str] | None = typer.Option(None, "--map", help=h("map")),
    mapping_file: Path | None = typer.Option(None, "--mapping", help=h("mapping")),
    plan: str | None = typer.Option(None, "--plan", "-p", help=h("inspect.plan")),
    save_mapping: Path | None = typer.Option(
        None,
        "--save-mapping",
        help=h("inspect.save_mapping"),
    ),
    combine: bool = typer.Option(False, "--combine", help=h("inspect.combine")),
    lang: str = lang_option(),
) -> None:
    """Show how each column and row of a census file is read, and every data issue.

    Each column is matched on its header, its group heading, the unit written in it and a
    sample of its cells. The 把握 (confidence) column says how sure the reading is:

      sure    used;

      likely  used, and reported with a --map line to confirm it (or to leave it out);

      mapped  named by you with --map or --mapping.

    A column that is not used says why: 形似…，口径不同 (a look-alike: 户籍人口 looks like
    常住人口 but means something else), 像…，但单位或数值不符 (its unit or cells rule the field
    out), 可能是…（未使用） (a weak match).
    Use it with --map "表头=字段": the field by its id or its Chinese name, e.g.
    --map "常住人口（万人）=常住人口" (the unit in the header still scales the values).

    Examples:

      indicators inspect 社区基本情况.xlsx

      indicators inspect 报表.xls --sheet A区 --map "实有户数=households"

      indicators inspect census.xlsx --plan hengshui-2021-2025

      indicators inspect 西城街道.xlsx --save-mapping 西城街道-layout.yaml

    Exit codes: 0 shown (even with data issues); 2 the file cannot be read; 4 usage error.
    """
    from indicators.read import ahead

    if not combine and census:
        ahead.start(census[0])  # parsed while pandas is imported (read/ahead.py)
    from indicators.cli.options import census_inputs
    from indicators.read import read_census

    files = census_inputs(census, lang)
    if save_mapping is not None:
        from indicators.files import check_outputs

        check_outputs([save_mapping], files, lang, [mapping_file, Path(plan or "")])
    vocabulary, required = shared_vocabulary(), None
    if plan is not None:
        from indicators.plan import load_plan

        the_plan = load_plan(plan)
        vocabulary, required = the_plan.vocabulary, the_plan.required_fields()

    def read(path: Path) -> Census:
        return read_census(
            path,
            vocabulary=vocabulary,
            sheets=sheet or None,
            mapping=parse_map_options(map_, mapping_file, lang),
            required=required,
            attachable=combine,  # a street or district sheet sent as a file of its own
        )

    if combine:
        from indicators.read.combine import combine as combine_censuses
        from indicators.read.combine import identical_files, part_lines

        duplicates = identical_files(files)
        one = combine_censuses([read(p) for p in files if p not in duplicates], duplicates)
        for line in part_lines(one, lang):
            console.print(line, markup=False, soft_wrap=True)
        print_inspection(one, lang)
        read_ones = [one]
    else:
        read_ones = []
        for path in files:
            if len(files) > 1:
                console.rule(str(path))
            read_ones.append(read(path))
            print_inspection(read_ones[-1], lang)
    if save_mapping is not None:
        from indicators.files import write_text_atomic
        from indicators.read.mapping import write_mapping

        write_text_atomic(save_mapping, write_mapping(read_ones), lang)
        console.print(t("inspect.saved", lang, path=str(save_mapping)))


def print_inspection(census: Census, lang: str) -> None:
    from indicators.report.terminal import print_issues

    src = census.source
    encoding = f" ({src.encoding})" if src.encoding else ""
    console.print(
        t(
            "inspect.source",
            lang,
            file=src.path.name,
            format=src.format,
            encoding=encoding,
            sha256=src.sha256,
        ),
        soft_wrap=True,
    )
    console.print(_columns_table(census, lang))
    console.print(_rows_table(census, lang))
    if census.issues:
        print_issues(console, census.issues, lang, limit=200)
    counts = {s: sum(1 for i in census.issues if i.severity is s) for s in Severity}
    console.print(
        t(
            "inspect.summary",
            lang,
            communities=len(census.frame),
            fields=len(census.fields),
            excluded=len(census.excluded_rows),
            errors=counts[Severity.ERROR],
            warnings=counts[Severity.WARNING],
        )
    )


def _columns_table(census: Census, lang: str) -> Table:
    table = Table(title=t("inspect.columns", lang), header_style="bold")
    for key in ("sheet", "column", "header", "field", "confidence", "unit", "scale"):
        table.add_column(t(f"inspect.col.{key}", lang), overflow="fold")
    for c in census.columns:
        if c.field:
            how = t(f"inspect.confidence.{c.confidence or 'sure'}", lang)
        elif c.resembles:
            known = shared_vocabulary().get(c.resembles)
            name = known.name(lang) if known else c.resembles
            how = t(f"inspect.resembles.{c.resemblance}", lang, field=name)
        else:
            how = ""
        table.add_row(
            c.sheet or "",
            c.column,
            c.header,
            c.field or t("inspect.ignored", lang),
            how,
            c.unit or "",
            "" if c.scale == 1.0 else f"×{c.scale:g}",
        )
    return table


ROW_KINDS = ("data", "street", "district")  # rows read: consecutive ones shown as one range


def _rows_table(census: Census, lang: str) -> Table:
    """Runs of community rows collapsed to ranges; every other row listed with its text."""
    entries = [(sheet, row, "data", "") for sheet, row in census.row_origin]
    entries += [(sheet, row, "street", "") for sheet, row in census.street_origin]
    entries += [(sheet, row, "district", "") for sheet, row in census.district_origin]
    entries += [(e.sheet, e.row, e.kind, e.text) for e in census.excluded_rows]
    sheet_order = {s: i for i, s in enumerate(dict.fromkeys(e[0] for e in entries))}
    entries.sort(key=lambda e: (sheet_order[e[0]], e[1]))
    table = Table(title=t("inspect.rows", lang), header_style="bold")
    for key in ("sheet", "rows", "kind", "text"):
        table.add_column(t(f"inspect.col.{key}", lang), overflow="fold")
    run: list = []
    for entry in [*entries, (None, -1, "end", "")]:
        same_run = run and entry[2] in ROW_KINDS and entry[2] == run[0][2] and entry[0] == run[0][0]
        if same_run and entry[1] == run[-1][1] + 1:
            run.append(entry)
            continue
        if run:
            sheet, first, kind, text = run[0]
            rows = str(first) if len(run) == 1 else f"{first}-{run[-1][1]} ({len(run)})"
            table.add_row(sheet or "", rows, t(f"inspect.kind.{kind}", lang), text)
        run = [entry]
    return table

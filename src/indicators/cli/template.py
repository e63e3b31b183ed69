"""`indicators template`: the fillable submission workbook for a plan."""

from __future__ import annotations

from pathlib import Path

import typer

from indicators.cli.common import console, h, handle_errors, lang_option
from indicators.files import check_outputs
from indicators.model.errors import DataError, OutputError, UsageError
from indicators.model.i18n import t
from indicators.plan import load_plan
from indicators.report.template import DEFAULT_ROWS, MAX_ROWS, typed_in, write_template


@handle_errors
def template(
    plan: str = typer.Option(..., "--plan", "-p", help=h("template.plan")),
    out: Path = typer.Option(Path("template.xlsx"), "--out", "-o", help=h("template.out")),
    rows: int = typer.Option(DEFAULT_ROWS, "--rows", help=h("template.rows")),
    force: bool = typer.Option(False, "--force", hidden=True, help=h("template.force")),
    lang: str = lang_option("lang_template"),
    debug: bool = typer.Option(False, "--debug", help=h("debug")),
) -> None:
    """Write a submission template for a plan: one column per field the plan needs.

    Chinese headers with units, a help note on each header, drop-down lists for 城市/农村 and
    是/否, whole numbers and areas >= 0 enforced, the header row frozen and protected, and a
    填表说明 sheet listing the plan's indicators and the fields feeding each. A filled template
    passes `indicators validate` as is.

    Examples:

      indicators template --plan hengshui-2021-2025 --out 衡水社区普查模板.xlsx

      indicators template -p targets/my-plan.yaml -o template.xlsx --rows 1000

    An existing --out is replaced, like every report, unless data was typed into it (then
    it is a census, and is left as it is).

    Exit codes: 0 written; 3 plan file invalid; 4 usage error.
    """
    if out.suffix.lower() != ".xlsx":
        raise UsageError(t("usage.template_xlsx", lang, got=repr(out.name)))
    if not 1 <= rows <= MAX_ROWS:
        raise UsageError(t("usage.rows", lang, max=MAX_ROWS, got=rows))
    check_outputs([out], [], lang, others=[Path(plan)])
    if out.is_file():
        _refuse_filled(out, lang)
    the_plan = load_plan(plan)
    n = write_template(the_plan, out, rows=rows, lang=lang)
    console.print(
        t(
            "template.written",
            lang,
            path=out,
            fields=n,
            rows=rows,
            indicators=len(the_plan.checkable),
        ),
        soft_wrap=True,
    )


def _refuse_filled(out: Path, lang: str) -> None:
    """A template is where the data is typed in: a filled one is a census, never replaced."""
    try:
        cell = typed_in(out)
    except DataError as exc:
        raise OutputError(t("output.not_a_template", lang, path=out, reason=exc.message)) from None
    if cell is not None:
        raise OutputError(t("output.holds_data", lang, path=out, cell=cell))

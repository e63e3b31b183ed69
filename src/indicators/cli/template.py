"""`indicators template`: the fillable submission workbook for a plan."""

from __future__ import annotations

from pathlib import Path

import typer

from indicators.cli.common import console, h, handle_errors, lang_option
from indicators.model.errors import UsageError
from indicators.model.i18n import t
from indicators.plan import load_plan
from indicators.report.template import DEFAULT_ROWS, MAX_ROWS, write_template


@handle_errors
def template(
    plan: str = typer.Option(..., "--plan", "-p", help=h("template.plan")),
    out: Path = typer.Option(Path("template.xlsx"), "--out", "-o", help=h("template.out")),
    rows: int = typer.Option(DEFAULT_ROWS, "--rows", help=h("template.rows")),
    force: bool = typer.Option(False, "--force", help=h("template.force")),
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

    Exit codes: 0 written; 3 plan file invalid; 4 usage error.
    """
    if out.suffix.lower() != ".xlsx":
        raise UsageError(t("usage.template_xlsx", lang, got=repr(out.name)))
    if not 1 <= rows <= MAX_ROWS:
        raise UsageError(t("usage.rows", lang, max=MAX_ROWS, got=rows))
    if out.exists() and not force:
        raise UsageError(t("usage.exists", lang, path=out))
    if not out.parent.exists():
        raise UsageError(t("usage.no_folder", lang, path=out.parent))
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

"""The roster part of the terminal summary: coverage first, then every finding by name."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from indicators.model.i18n import has, t

# Findings in the order a planner acts on them: who is missing, who is extra, who is misfiled.
ORDER = (
    "missing-community",
    "unexpected-community",
    "misfiled-community",
    "code-name-mismatch",
    "code-differs",
    "code-mismatch",
    "code-invalid",
    "duplicate-code",
)


def print_roster(console: Console, comparison, lang: str, limit: int = 100) -> None:
    """Coverage line ("119 of 122 communities reported ..."), then a table of the findings.

    `comparison` is an indicators.roster.RosterComparison; call this before the indicator
    summary so coverage is the first thing read.
    """
    # the console takes no markup: "[名册.xlsx]Sheet1!C5" is shown as it is
    console.print(t("roster.title", lang, roster=comparison.roster.file), style="dim")
    complete = not comparison.missing and not comparison.unexpected
    style = "bold green" if complete and not comparison.issues else "bold yellow"
    console.print(comparison.coverage(lang), style=style, soft_wrap=True)
    if not comparison.issues:
        return
    rank = {code: n for n, code in enumerate(ORDER)}
    shown = sorted(comparison.issues, key=lambda i: rank.get(i.code, len(ORDER)))
    table = Table(header_style="bold")
    for key in ("finding", "location", "message"):
        table.add_column(t(f"roster.col.{key}", lang), overflow="fold")
    for issue in shown[:limit]:
        label = f"roster.label.{issue.code}"
        table.add_row(
            t(label, lang) if has(label) else issue.code,
            issue.location or "—",
            issue.message(lang),
        )
    console.print(table)
    if len(shown) > limit:
        console.print(t("check.more_issues", lang, n=len(shown) - limit))

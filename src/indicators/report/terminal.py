"""The terminal summary (rich). Status words are always printed, so it reads without colour."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from indicators.engine.results import MET, NO_TARGET, NOT_COMPUTABLE, NOT_MET, Results
from indicators.model.i18n import t
from indicators.model.issues import DataIssue, Severity
from indicators.report.summary import SummaryRow, summary_rows
from indicators.report.wording import Wording

_STYLE = {MET: "green", NOT_MET: "bold red", NOT_COMPUTABLE: "yellow", NO_TARGET: "dim"}
_MARK = {MET: "✓", NOT_MET: "✗", NOT_COMPUTABLE: "?", NO_TARGET: "·"}


COMPACT_BELOW = 120  # columns: below this each indicator is a block of short lines
# The table's two columns that fold (the indicator's name, what it takes) share what the
# figures leave; below these widths the table would not fit and blocks are printed instead.
MIN_NAME, MIN_WHAT = 12, 16


def print_summary(console: Console, results: Results, lang: str) -> None:
    plan, census = results.plan, results.census
    frame = census.frame
    title = t("summary.title", lang, plan=plan.title, file=census.source.path.name)
    console.print(Text(title, style="bold"))
    console.print(
        t(
            "summary.communities",
            lang,
            n=f"{len(frame):,}",
            districts=frame["district"].nunique() if "district" in frame else 0,
            streets=frame[["district", "street"]].drop_duplicates().shape[0]
            if "street" in frame
            else 0,
        )
    )
    rows = summary_rows(results, Wording.of(results, lang))
    if console.width < COMPACT_BELOW or not _print_table(console, rows, lang):
        _print_blocks(console, rows, lang)
    counts = {s: 0 for s in (MET, NOT_MET, NOT_COMPUTABLE)}
    for r in results.indicators:
        if r.headline.status in counts:
            counts[r.headline.status] += 1
    console.print(
        t(
            "summary.counts",
            lang,
            met=counts[MET],
            not_met=counts[NOT_MET],
            not_computable=counts[NOT_COMPUTABLE],
            not_assessed=len(results.not_assessed),
        )
    )
    console.print(t("summary.method_note", lang), style="dim")
    print_issue_counts(console, census.issues, lang)


def _status_text(row: SummaryRow, lang: str) -> Text:
    return Text(f"{_MARK.get(row.status, '')} {row.status_text}", style=_STYLE.get(row.status, ""))


def _what(row: SummaryRow, lang: str) -> str:
    if row.status == NOT_COMPUTABLE and row.result.headline.reason:
        return row.reason
    return row.what_it_takes


def _print_table(console: Console, rows: list[SummaryRow], lang: str) -> bool:
    """One row per indicator; numbers and statuses never wrap, names and sentences fold in
    the width the figures leave. The widths are set here, not left to rich, which gave a
    120-199 column terminal a table wider than the screen and cut off "what it takes".
    False, printing nothing, when the table cannot fit."""
    lines = []
    for row in rows:
        scope = "" if row.result.indicator.scope == "all" else f"·{row.scope}"
        what = Text(_what(row, lang))
        if row.where:
            label = t("summary.col.where", lang) + ("：" if lang == "zh" else ": ")
            what.append(("\n" if what.plain else "") + label + row.where, style="dim")
        name = (
            f"{row.name}（{row.level}{scope}）"
            if lang == "zh"
            else f"{row.name} ({row.level}{scope})"
        )
        lines.append(
            (
                Text(name),
                Text(row.target),
                Text(row.actual_text),
                Text(row.gap_text),
                _status_text(row, lang),
                what,
            )
        )
    heads = [
        t(f"summary.col.{key}", lang) for key in ("indicator", "target", "actual", "gap", "status")
    ]
    heads.append(t("col.what_it_takes", lang))
    fixed = [
        max([cell_len(heads[i])] + [cell_len(cells[i].plain) for cells in lines])
        for i in range(1, 5)
    ]
    room = console.width - sum(fixed) - (3 * len(heads) + 1)  # padding and borders
    if room < MIN_NAME + MIN_WHAT:
        return False
    longest = max([cell_len(cells[0].plain) for cells in lines] or [MIN_NAME])
    name_width = max(MIN_NAME, min(longest, room * 4 // 7))
    table = Table(show_lines=False, header_style="bold")
    table.add_column(heads[0], width=name_width, overflow="fold")
    for head, width in zip(heads[1:5], fixed, strict=True):
        table.add_column(head, width=width, no_wrap=True)
    table.add_column(heads[5], width=room - name_width, overflow="fold")
    for cells in lines:
        table.add_row(*cells)
    console.print(table)
    return True


def _print_blocks(console: Console, rows: list[SummaryRow], lang: str) -> None:
    """Narrow terminals: one block per indicator, each fact on its own line, so that no
    number or status is ever split across lines."""
    sep = "：" if lang == "zh" else ": "
    for row in rows:
        head = _status_text(row, lang)
        head.append("  ")
        head.append(row.name, style="bold")
        console.print(head)
        facts = [
            (t("summary.col.target", lang), row.target),
            (t("summary.col.actual", lang), row.actual_text),
            (t("summary.col.gap", lang), row.gap_text),
        ]
        if row.city_text:
            facts.append((t("col.city_figure", lang), row.city_text))
        what = _what(row, lang)
        if what:
            facts.append((t("col.what_it_takes", lang), what))
        for label, value in facts:
            console.print(Text(f"    {label}{sep}{value}"))
        if row.where:
            # one district per line: a line never has to break inside a figure
            console.print(Text(f"    {t('summary.col.where', lang)}{sep}"))
            for part in row.where.split("、" if lang == "zh" else ", "):
                console.print(Text(f"      {part}"))


def print_issue_counts(console: Console, issues: list[DataIssue], lang: str) -> None:
    errors = sum(1 for i in issues if i.severity is Severity.ERROR)
    warnings = sum(1 for i in issues if i.severity is Severity.WARNING)
    if errors or warnings:
        console.print(t("summary.issues", lang, errors=errors, warnings=warnings))


def print_issues(console: Console, issues: list[DataIssue], lang: str, limit: int = 50) -> None:
    """A table of data issues with their cells, errors first."""
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    shown = sorted(issues, key=lambda i: order[i.severity])
    table = Table(header_style="bold")
    for key in ("location", "severity", "code", "message"):
        table.add_column(t(f"issues.col.{key}", lang), overflow="fold")
    for issue in shown[:limit]:
        # Text, not markup: locations and messages carry what a sheet said ("[主城区]").
        table.add_row(
            Text(issue.location),
            t(f"severity.{issue.severity.value}", lang),
            issue.code,
            Text(issue.message(lang)),
        )
    console.print(table)
    if len(shown) > limit:
        console.print(t("check.more_issues", lang, n=len(shown) - limit))

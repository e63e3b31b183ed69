"""The terminal summary (rich). Status words are always printed, so it reads without colour."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from indicators.engine.results import MET, NO_TARGET, NOT_COMPUTABLE, NOT_MET, Results
from indicators.i18n import t
from indicators.issues import DataIssue, Severity
from indicators.report.text import fmt_number, status_label

_STYLE = {MET: "green", NOT_MET: "bold red", NOT_COMPUTABLE: "yellow", NO_TARGET: "dim"}
_MARK = {MET: "✓", NOT_MET: "✗", NOT_COMPUTABLE: "?", NO_TARGET: "·"}


def print_summary(console: Console, results: Results, lang: str) -> None:
    plan, census = results.plan, results.census
    frame = census.frame
    title = t("summary.title", lang, plan=plan.title, file=census.source.path.name)
    console.print(Text(title, style="bold"))
    console.print(
        t(
            "summary.communities",
            lang,
            n=len(frame),
            districts=frame["district"].nunique() if "district" in frame else 0,
            streets=frame[["district", "street"]].drop_duplicates().shape[0]
            if "street" in frame
            else 0,
        )
    )
    table = Table(show_lines=False, header_style="bold")
    for key in ("indicator", "level", "target", "actual", "gap", "status", "failing", "binding"):
        table.add_column(t(f"summary.col.{key}", lang), overflow="fold")
    for r in results.indicators:
        ind, h = r.indicator, r.headline
        unit = ind.unit or ""
        failing = f"{h.communities_failing}/{h.communities_in_scope}"
        if h.communities_not_computable:
            failing += " " + t("summary.not_computable_note", lang, n=h.communities_not_computable)
        if ind.level in ("street", "district"):
            failing = t(
                "summary.units_failing",
                lang,
                failing=h.units_failing,
                total=h.units_total,
                level=t(f"level.{ind.level}", lang),
            )
        status = f"{_MARK.get(h.status, '')} {status_label(h.status, lang)}"
        table.add_row(
            Text(ind.name(lang)),
            t(f"level.{ind.level}", lang)
            + ("" if ind.scope == "all" else f"·{t(f'scope.{ind.scope}', lang)}"),
            ind.target_text_for(results.year)
            + (f" {unit}" if unit and unit != "%" else ("%" if unit == "%" else "")),
            fmt_number(h.value, unit),
            fmt_number(h.gap, unit if unit != "%" else "") if h.gap == h.gap else "—",
            Text(status, style=_STYLE.get(h.status, "")),
            failing,
            t(f"binding.{str(ind.binding).lower()}", lang),
        )
    console.print(table)
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

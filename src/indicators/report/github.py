"""GitHub Actions workflow commands: one annotation per finding, naming the file.

`::error file=data/东城街道.xlsx,title=数据错误 not-a-number::社区基本情况!E3：「户数」应为数字…`

A workbook has no lines GitHub could point at, so the sheet and cell lead the message. Escaping
follows the runner's rules (actions/toolkit `command.ts`): in the message `%`, CR and LF; in a
property value also `:` and `,`. Targets not met (only `indicators check` evaluates them) are
warnings; notes on how a file was read are left out. A plain summary line ends the output.
"""

from __future__ import annotations

from indicators.engine.results import NOT_MET, Results
from indicators.model.i18n import t
from indicators.model.issues import DataIssue, Severity
from indicators.report.findings import counts, findings, located_message
from indicators.report.worded import worded
from indicators.run.pipeline import FileOutcome


def render_github(outcomes: list[FileOutcome], lang: str = "zh") -> str:
    lines: list[str] = []
    for outcome in outcomes:
        file = outcome.path.as_posix()
        # A combined census's findings point at the return they are in.
        combined = outcome.census is not None and bool(outcome.census.parts)
        lines += [
            _issue_line(issue.file if combined else file, issue, lang)
            for issue in findings(outcome)
        ]
        if outcome.results is not None:
            lines += _gap_lines(file, outcome.results, lang)
    lines.append(t("github.summary", lang, **counts(outcomes)))
    return "\n".join(lines) + "\n"


def _issue_line(file: str, issue: DataIssue, lang: str) -> str:
    level = "error" if issue.severity is Severity.ERROR else "warning"
    title = t(f"github.title.{level}", lang, code=issue.code)
    message = located_message(issue, lang)
    if issue.severity is Severity.ERROR and issue.cell:
        message += ("。" if lang == "zh" else ". ") + t("github.fix_hint", lang)
    return command(level, message, file=file, title=title)


def _gap_lines(file: str, results: Results, lang: str) -> list[str]:
    """A warning per target missed, worded as the headline every format shows."""
    table = worded(results, lang)
    out = []
    for r in results.indicators:
        if r.headline.status != NOT_MET:
            continue
        ind = r.indicator
        cells = table.headline(r)
        message = t(
            "github.indicator_not_met",
            lang,
            name=ind.name(lang),
            actual=cells["actual_text"],
            target=cells["target"],
            gap=cells["gap_text"],
        )
        out.append(command("warning", message, file=file, title=t("github.title.not_met", lang)))
    return out


def command(level: str, message: str, **properties: str) -> str:
    """`::level key=value,...::message`, every part escaped."""
    props = ",".join(f"{k}={escape_property(v)}" for k, v in properties.items() if v)
    return (
        f"::{level} {props}::{escape_data(message)}"
        if props
        else f"::{level}::{escape_data(message)}"
    )


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")

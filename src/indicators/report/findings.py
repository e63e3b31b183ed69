"""The findings of a run, per file, as the CI renderers (junit, github) list them.

A file that could not be read at all has no DataIssue; it becomes one error finding with the
stable code `file-unreadable`, so every renderer treats it like any other finding.
"""

from __future__ import annotations

from indicators.model.issues import DataIssue, Severity
from indicators.plan.model import Indicator
from indicators.report.text import with_unit
from indicators.run.pipeline import FileOutcome

UNREADABLE = "file-unreadable"
_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def findings(outcome: FileOutcome, *, with_info: bool = False) -> list[DataIssue]:
    """Errors first, then warnings (and notes when asked), in reading order within each."""
    if outcome.error is not None:
        error = outcome.error  # value: the English text; the message is worded in the lang shown
        issue = DataIssue(
            UNREADABLE,
            Severity.ERROR,
            str(outcome.path),
            value=error.message,
            params={"value": error.said},
        )
        return [issue]
    issues = outcome.census.issues if outcome.census is not None else []
    kept = [i for i in issues if with_info or i.severity is not Severity.INFO]
    return sorted(kept, key=lambda i: _ORDER[i.severity])


def counts(outcomes: list[FileOutcome]) -> dict[str, int]:
    """Files, passed, failed, errors, warnings: the combined summary of a run."""
    errors = warnings = 0
    for o in outcomes:
        for i in findings(o):
            errors += i.severity is Severity.ERROR
            warnings += i.severity is Severity.WARNING
    ok = sum(1 for o in outcomes if o.ok)
    return {
        "files": len(outcomes),
        "ok": ok,
        "failed": len(outcomes) - ok,
        "errors": errors,
        "warnings": warnings,
    }


def located_message(issue: DataIssue, lang: str) -> str:
    """`社区基本情况!E3：「户数」应为数字，实际为「约九百」` (the cell first, then the message)."""
    sep = "：" if lang == "zh" else ": "
    return f"{issue.location}{sep}{issue.message(lang)}" if issue.location else issue.message(lang)


def target_text(indicator: Indicator, year: int | None = None) -> str:
    """ "≥ 30 平方米/百户", "≥ 100%": the target with the indicator's unit."""
    text = indicator.target_text_for(year)
    if indicator.unit and text.endswith(indicator.unit):
        return text
    return with_unit(text, indicator.unit, "zh")

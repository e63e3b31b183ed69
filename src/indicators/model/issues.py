"""Data issues: every problem found in a census input, as a small frozen record.

Issues are collected, never raised one by one. Each carries a stable `code` (listed in the
README), a severity, and where it is, as Excel shows it (sheet name and cell such as F17).
The human message is built from the message catalogue (`i18n`) so it follows `--lang`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum

from indicators.model.errors import wording
from indicators.model.i18n import DEFAULT_LANG, has, t


class Severity(str, Enum):
    ERROR = "error"  # the value cannot be used; a check stops with a report of all errors
    WARNING = "warning"  # used, but the planner should look (reported, does not stop a check)
    INFO = "info"  # how something was understood (rows skipped, units converted)


@dataclass(frozen=True)
class DataIssue:
    code: str  # stable kebab-case code, e.g. "not-a-number"
    severity: Severity
    file: str  # file name as given
    sheet: str | None = None
    cell: str | None = None  # "F17" (column letters + row number) or "17" for a whole row
    header: str | None = None  # the header as written in the sheet
    value: str | None = None  # the value as written in the sheet
    expected: str | None = None  # what was expected, in plain words
    params: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def location(self) -> str:
        """`社区基本情况!F17` when sheet and cell are known, else what is known."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.cell or self.sheet or ""

    def message(self, lang: str = "zh") -> str:
        return issue_message(self, lang)

    def to_dict(self, lang: str = "zh") -> dict:
        d = asdict(self)
        d["severity"] = self.severity.value
        d["location"] = self.location
        d["message"] = self.message(lang)
        return d


def column_letter(index: int) -> str:
    """0-based column index to Excel letters: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """0-based row and column to an Excel reference: (16, 5) -> F17."""
    return f"{column_letter(col)}{row + 1}"


def issue_message(issue: DataIssue, lang: str = DEFAULT_LANG) -> str:
    params = {
        "header": issue.header,
        "value": issue.value,
        "expected": issue.expected,
        "location": issue.location,
        "cell": issue.cell,
        **{k: wording(v, lang) for k, v in issue.params.items()},  # a Said: an error's text
    }
    key = f"issue.{issue.code}"
    if issue.value and has(f"variant.{issue.code}.as-written"):
        # "「社区工作者人数」为「不详」，按缺失处理", not "is empty"
        key = f"variant.{issue.code}.as-written"
    elif issue.params.get("near") and has(f"variant.{issue.code}.near"):
        key = f"variant.{issue.code}.near"  # a missing field with a column that may be it
    return t(key, lang, **params)

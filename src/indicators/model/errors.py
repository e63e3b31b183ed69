"""Error types and the process exit codes they map to.

The exit codes are part of the public interface (README, `--help`) and must stay stable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum

from indicators.model.i18n import t


class ExitCode(IntEnum):
    OK = 0  # ran; every checked target met (or gaps found but not asked to fail on them)
    GAPS = 1  # targets not met, and the user asked to fail on gaps (--fail-on gap/binding-gap)
    DATA_INVALID = 2  # the census file cannot be used: unreadable, or data errors found
    PLAN_INVALID = 3  # the plan file is invalid
    USAGE = 4  # bad command-line usage: unknown option, missing file, output path refused
    INTERNAL = 70  # a bug in indicators itself (run with --debug for the traceback)


@dataclass(frozen=True)
class Said:
    """A message from the catalogue, worded only when shown: an error is raised deep in the
    reader or the plan loader, which do not know the reader's language; the command does.

    A parameter may itself be a `Said` (a file name prefix around a reason, say); it is worded
    in the same language.
    """

    key: str
    params: Mapping[str, object] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        return t(self.key, lang, **{k: wording(v, lang) for k, v in self.params.items()})

    def __str__(self) -> str:
        return self.text("en")


def said(key: str, **params: object) -> Said:
    return Said(key, params)


Text = str | Said


def wording(value: object, lang: str) -> object:
    """`value` in `lang` when it is a `Said`; anything else as it is."""
    return value.text(lang) if isinstance(value, Said) else value


class IndicatorsError(Exception):
    """Base class for errors that are the user's to fix; carries its exit code.

    The message and hint are plain text or a `Said` from the catalogue. `message` and `hint`
    give English (logs, `str()`); `text(lang)` and `hint_text(lang)` give what the user reads.
    """

    exit_code: ExitCode = ExitCode.INTERNAL

    def __init__(self, message: Text, *, hint: Text | None = None) -> None:
        super().__init__(str(message))
        self.said = message
        self.said_hint = hint

    @property
    def message(self) -> str:
        return str(self.said)

    @property
    def hint(self) -> str | None:
        return None if self.said_hint is None else str(self.said_hint)

    def text(self, lang: str) -> str:
        return str(wording(self.said, lang))

    def hint_text(self, lang: str) -> str | None:
        return None if self.said_hint is None else str(wording(self.said_hint, lang))


class UsageError(IndicatorsError):
    exit_code = ExitCode.USAGE


class PlanError(IndicatorsError):
    """A plan file is invalid. `problems` lists every problem found, each with its location."""

    exit_code = ExitCode.PLAN_INVALID

    def __init__(self, message: Text, problems: list[str] | None = None, **kw) -> None:
        super().__init__(message, **kw)
        self.problems = problems or []


class DataError(IndicatorsError):
    """The census input cannot be used (unreadable file, no header, limit exceeded...)."""

    exit_code = ExitCode.DATA_INVALID


class OutputError(IndicatorsError):
    """A report cannot be written where asked (would overwrite the input, no permission...)."""

    exit_code = ExitCode.USAGE

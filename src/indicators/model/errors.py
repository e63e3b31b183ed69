"""Error types and the process exit codes they map to.

The exit codes are part of the public interface (README, `--help`) and must stay stable.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  # ran; every checked target met (or gaps found but not asked to fail on them)
    GAPS = 1  # targets not met, and the user asked to fail on gaps (--fail-on gap/binding-gap)
    DATA_INVALID = 2  # the census file cannot be used: unreadable, or data errors found
    PLAN_INVALID = 3  # the plan file is invalid
    USAGE = 4  # bad command-line usage: unknown option, missing file, output path refused
    INTERNAL = 70  # a bug in indicators itself (run with --debug for the traceback)


class IndicatorsError(Exception):
    """Base class for errors that are the user's to fix; carries its exit code."""

    exit_code: ExitCode = ExitCode.INTERNAL

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(IndicatorsError):
    exit_code = ExitCode.USAGE


class PlanError(IndicatorsError):
    """A plan file is invalid. `problems` lists every problem found, each with its location."""

    exit_code = ExitCode.PLAN_INVALID

    def __init__(self, message: str, problems: list[str] | None = None, **kw) -> None:
        super().__init__(message, **kw)
        self.problems = problems or []


class DataError(IndicatorsError):
    """The census input cannot be used (unreadable file, no header, limit exceeded...)."""

    exit_code = ExitCode.DATA_INVALID


class OutputError(IndicatorsError):
    """A report cannot be written where asked (would overwrite the input, no permission...)."""

    exit_code = ExitCode.USAGE

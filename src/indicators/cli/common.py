"""What every command shares: the error handler, the console, common options."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

from indicators.errors import ExitCode, IndicatorsError, PlanError

# Without a terminal (CI, pipes) rich prints plain text: no colour codes, fixed width.
# COLUMNS, when set, wins in both cases (rich reads it when no width is given).
console = Console(
    highlight=False,
    width=None if sys.stdout.isatty() or os.environ.get("COLUMNS", "").isdigit() else 160,
)
err_console = Console(stderr=True, highlight=False)

LANG_HELP = "Language of labels and messages: zh (中文) or en."
DEBUG_ENV = "INDICATORS_DEBUG"


def check_lang(lang: str) -> str:
    if lang not in ("zh", "en"):
        raise typer.BadParameter("expected zh or en", param_hint="--lang")
    return lang


def handle_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn user mistakes into one clear message and a documented exit code.

    A bug in indicators itself exits 70 with a short note; --debug (or INDICATORS_DEBUG=1)
    shows the traceback instead.
    """

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except typer.Exit:
            raise
        except IndicatorsError as exc:
            print_error(exc)
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            err_console.print("interrupted; no partial output was left behind")
            raise typer.Exit(130) from None
        except Exception:
            if os.environ.get(DEBUG_ENV) or "--debug" in sys.argv:
                raise
            err_console.print(
                "[bold red]internal error[/]: indicators hit a bug. Run again with --debug "
                "for the traceback and report it with the command you ran."
            )
            raise typer.Exit(int(ExitCode.INTERNAL)) from None

    return wrapper


def print_error(exc: IndicatorsError) -> None:
    err_console.print(f"[bold red]error[/]: {escape(exc.message)}", soft_wrap=True)
    if isinstance(exc, PlanError):
        for problem in exc.problems:
            if problem != exc.message:
                err_console.print(f"  {problem}", soft_wrap=True, markup=False)
    if exc.hint:
        err_console.print(f"  hint: {escape(exc.hint)}", soft_wrap=True)

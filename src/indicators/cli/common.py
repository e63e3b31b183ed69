"""What every command shares: the error handler, the console, common options."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.text import Text

from indicators.cli.console import SafeConsole
from indicators.model.errors import ExitCode, IndicatorsError, PlanError, UsageError
from indicators.model.i18n import DEFAULT_LANG, LANGS, t

# Without a terminal (CI, pipes) rich prints plain text: no colour codes, fixed width.
# Markup is off: see indicators.cli.console.
# COLUMNS, when set, wins in both cases (rich reads it when no width is given).
console = SafeConsole(
    width=None if sys.stdout.isatty() or os.environ.get("COLUMNS", "").isdigit() else 160
)
err_console = SafeConsole(stderr=True)
# 128 + SIGPIPE, what a shell reports for a command whose reader went away (`| head`): not
# 1 (targets not met) nor 70 (a bug); the data was fine, the rest of the output unread.
CLOSED_PIPE = 141

DEBUG_ENV = "INDICATORS_DEBUG"
LANG_ENV = "INDICATORS_LANG"


def chosen_lang(argv: list[str] | None = None, environ: dict[str, str] | None = None) -> str:
    """The language of --help texts. click prints help before --lang is parsed, so it is
    read here from the command line (`--lang en`, `--lang=en`), else INDICATORS_LANG, else
    zh: the same order `--lang` itself follows."""
    args = sys.argv[1:] if argv is None else argv
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1] if args[i + 1] in LANGS else DEFAULT_LANG
        if arg.startswith("--lang="):
            value = arg.partition("=")[2]
            return value if value in LANGS else DEFAULT_LANG
    value = (os.environ if environ is None else environ).get(LANG_ENV, "")
    return value if value in LANGS else DEFAULT_LANG


HELP_LANG = chosen_lang()


def h(key: str) -> str:
    """A --help text from the message catalogue (data/messages/help.yaml)."""
    return t(f"help.{key}", HELP_LANG)


def lang_option(key: str = "lang"):
    """--lang, shared by every command: zh by default, INDICATORS_LANG when set."""
    return typer.Option(DEFAULT_LANG, "--lang", envvar=LANG_ENV, help=h(key), callback=check_lang)


def choice_error(option: str, choices, got: str, lang: str) -> UsageError:
    """`--format: expected one of table, json, not 'x'` in the user's language."""
    return UsageError(
        t("usage.choice", lang, option=option, choices=", ".join(choices), got=repr(got))
    )


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise typer.BadParameter(t("usage.lang", HELP_LANG), param_hint="--lang")
    return lang


def handle_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn user mistakes into one clear message and a documented exit code.

    A bug in indicators itself exits 70 with a short note; --debug (or INDICATORS_DEBUG=1)
    shows the traceback instead.
    """

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        lang = kwargs.get("lang") if kwargs.get("lang") in LANGS else HELP_LANG
        try:
            return fn(*args, **kwargs)
        except typer.Exit:
            raise
        except IndicatorsError as exc:
            print_error(exc, lang)
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM (see on_sigterm)
            terminated = isinstance(exc, Terminated)
            err_console.print(t("cli.terminated" if terminated else "cli.interrupted", lang))
            raise typer.Exit(TERMINATED if terminated else 130) from None
        except BrokenPipeError:
            raise typer.Exit(closed_pipe()) from None
        except Exception:
            if os.environ.get(DEBUG_ENV) or "--debug" in sys.argv:
                raise
            err_console.print(
                Text.assemble(
                    (t("cli.internal_label", lang), "bold red"),
                    t("cli.label_sep", lang),
                    t("cli.internal", lang, env=f"{DEBUG_ENV}=1"),
                )
            )
            raise typer.Exit(int(ExitCode.INTERNAL)) from None

    return wrapper


def print_error(exc: IndicatorsError, lang: str = DEFAULT_LANG) -> None:
    """`error: <message>`, the plan's problems one per line, then `hint: <hint>`."""
    sep = t("cli.label_sep", lang)
    message = exc.text(lang)
    err_console.print(
        Text.assemble((t("cli.error_label", lang), "bold red"), sep, message), soft_wrap=True
    )
    if isinstance(exc, PlanError):
        for problem in getattr(exc, "records", None) or exc.problems:
            if str(problem) == exc.message:
                continue
            line = problem.shown(lang) if hasattr(problem, "shown") else str(problem)
            if line != message:
                err_console.print(f"  {line}", soft_wrap=True)
    print_hint(exc.hint_text(lang), lang)


def without_file_name(exc: IndicatorsError, path: Path, lang: str) -> str:
    """The message of a file's error when the line already starts with the file's path."""
    text = exc.text(lang)
    for sep in (t("cli.label_sep", lang), ": "):
        text = text.removeprefix(f"{path.name}{sep}")
    return text


def print_hint(hint: str | None, lang: str, out: Console | None = None) -> None:
    """`  hint: <hint>` (提示：…) under an error, when there is one."""
    if hint:
        line = f"  {t('cli.hint_label', lang)}{t('cli.label_sep', lang)}{hint}"
        (out or err_console).print(line, soft_wrap=True)


TERMINATED = 143  # 128 + SIGTERM


class Terminated(KeyboardInterrupt):
    """SIGTERM (kill, timeout, a cancelled CI job) raised as an exception, so every
    temporary file is removed on the way out as it is for Ctrl-C."""


def on_sigterm(signum: int, frame: object) -> None:
    raise Terminated


def closed_pipe() -> int:
    """The reader of stdout went away: send the rest of the output nowhere (so the flush
    at exit cannot fail again) and return the exit code for it."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (tests): nothing to redirect
        pass
    return CLOSED_PIPE

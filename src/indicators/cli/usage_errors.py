"""click's usage errors (unknown option, missing argument, bad value...) in the user's
language, exit 4.

typer 0.28 ships its own copy of click with the gettext calls taken out, so there is no
translation to install: the group catches each usage error (`indicators.cli._Group`) and
raises `Translated`, a `ClickException` whose `show()` (click's public hook for how an error
is printed) words it from the catalogue (usage.yaml, `click.*`). Each kind of error is told
apart by its class name and read through its documented attributes (`option_name`,
`possibilities`, `param`); a message not recognised keeps click's English text under the
translated labels, so nothing is ever lost.
"""

from __future__ import annotations

import re
from typing import IO, Any

import typer
from rich.text import Text

from indicators.cli.common import HELP_LANG, err_console
from indicators.model.errors import ExitCode
from indicators.model.i18n import t

# typer's copy of click's UsageError: the base of typer.BadParameter
UsageErrorBase: type[Exception] = typer.BadParameter.__mro__[1]

_EXTRA = re.compile(r"Got unexpected extra argument(\(s\)|s?) \((?P<args>.*)\)\Z", re.S)
_NOT_VALID = re.compile(
    r"(?P<value>.*) is not a valid (?P<kind>int|integer|float|boolean)\.\Z", re.S
)
_REQUIRES = re.compile(r"Option .* requires (an argument|\d+ arguments)\.\Z", re.S)


def kind(exc: BaseException) -> str:
    """click's name for the error: NoSuchOption, MissingParameter, BadParameter..."""
    for cls in type(exc).__mro__:
        if cls.__name__ in (
            "NoSuchOption",
            "MissingParameter",
            "BadParameter",
            "BadOptionUsage",
            "NoArgsIsHelpError",
        ):
            return cls.__name__
    return "UsageError"


def _param_hint(exc: Any) -> str:
    hint = getattr(exc, "param_hint", None)
    if hint is None and getattr(exc, "param", None) is not None:
        hint = exc.param.get_error_hint(exc.ctx)
    if hint is not None and not isinstance(hint, str):
        hint = " / ".join(repr(x) for x in hint)
    return hint or ""


def worded(exc: Any, lang: str) -> str:
    """The error's message (without the `Error:` label) in `lang`."""
    name = kind(exc)
    message = str(getattr(exc, "message", "") or "")
    if name == "NoSuchOption":
        option = exc.option_name
        if message != f"No such option: {option}":
            return exc.format_message()
        text = t("click.no_such_option", lang, option=option)
        if exc.possibilities:
            options = ", ".join(sorted(exc.possibilities))
            text += t("click.possible_options", lang, options=options)
        return text
    if name == "MissingParameter":
        kind_key = {"argument": "click.missing_argument", "option": "click.missing_option"}
        param = getattr(exc, "param", None)
        param_type = exc.param_type or (param.param_type_name if param is not None else "")
        key = kind_key.get(param_type, "click.missing_parameter")
        text = t(key, lang, name=_param_hint(exc))
        return f"{text} {message}" if message else text
    if name == "BadParameter":
        matched = _NOT_VALID.match(message)
        if matched:
            what = t(f"click.kind.{matched['kind']}", lang)
            message = t("click.not_valid", lang, value=matched["value"], kind=what)
        hint = _param_hint(exc)
        if not hint:
            return t("click.invalid_value", lang, message=message)
        return t("click.invalid_value_for", lang, name=hint, message=message)
    if name == "BadOptionUsage" and _REQUIRES.match(message):
        return t("click.requires_value", lang, option=exc.option_name)
    matched = _EXTRA.match(message)
    if matched:
        return t("click.extra_arguments", lang, args=matched["args"])
    if message == "Missing command.":
        return t("click.missing_command", lang)
    return exc.format_message()


class NoSuchCommand(UsageErrorBase):  # type: ignore[misc, valid-type]
    """`indicators chek`: the command name and the closest ones, in the user's language."""

    def __init__(self, name: str, matches: list[str], ctx: Any, lang: str = HELP_LANG) -> None:
        message = t("click.no_such_command", lang, name=repr(name))
        if matches:
            suggestions = ", ".join(repr(m) for m in matches)
            message += t("click.did_you_mean", lang, names=suggestions)
        super().__init__(message, ctx)  # type: ignore[call-arg]


class Translated(UsageErrorBase):  # type: ignore[misc, valid-type]
    """A click usage error shown in the help language (`--lang`, INDICATORS_LANG, zh):
    the usage line, how to get help, then the error; exit 4."""

    exit_code = int(ExitCode.USAGE)

    def __init__(self, original: Any, lang: str = HELP_LANG) -> None:
        self.lang = lang
        self.text = original.message if isinstance(original, NoSuchCommand) else None
        if self.text is None:
            self.text = worded(original, lang)
        super().__init__(self.text, original.ctx)  # type: ignore[call-arg]

    def format_message(self) -> str:
        return self.text

    def show(self, file: IO[Any] | None = None) -> None:
        lang, ctx = self.lang, self.ctx  # type: ignore[attr-defined]
        sep = t("cli.label_sep", lang)
        if ctx is not None:
            err_console.print(Text(ctx.get_usage()), soft_wrap=True)
            if ctx.command.get_help_option(ctx) is not None:
                command = f"{ctx.command_path} {ctx.help_option_names[0]}"
                err_console.print(Text(t("click.try_help", lang, command=command)))
            err_console.print()
        err_console.print(
            Text.assemble((t("cli.error_label", lang), "bold red"), sep, self.text),
            soft_wrap=True,
        )

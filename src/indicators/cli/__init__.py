"""The `indicators` command line. Each command lives in its own module and is thin."""

from __future__ import annotations

import sys
from difflib import get_close_matches

import typer

from indicators import __version__
from indicators.cli.common import HELP_LANG, chosen_lang, h
from indicators.cli.helptext import Command, Group
from indicators.cli.usage_errors import NoSuchCommand, Translated, UsageErrorBase, kind
from indicators.model.errors import ExitCode


class _Group(Group):
    """click gives every usage error (unknown option, bad value, missing argument) exit 2,
    which `indicators` documents as "the census cannot be used": they exit 4 here, worded
    in the user's language (indicators.cli.usage_errors)."""

    def make_context(self, info_name, args, *rest, **kwargs):  # type: ignore[no-untyped-def]
        lang = chosen_lang(list(args))  # --lang anywhere on the line, else INDICATORS_LANG
        try:
            ctx = super().make_context(info_name, args, *rest, **kwargs)
        except UsageErrorBase as exc:
            raise _translated(exc, lang) from None
        ctx.meta[_LANG] = lang
        return ctx

    def invoke(self, ctx):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except UsageErrorBase as exc:
            raise _translated(exc, ctx.meta.get(_LANG, HELP_LANG)) from None

    def list_commands(self, ctx):  # type: ignore[no-untyped-def]
        return [name for name, _ in COMMANDS]

    def get_command(self, ctx, name):  # type: ignore[no-untyped-def]
        """The command, its module imported on first use: `check` does not pay for
        importing `assess`, `plans`, `inspect` ... (tests/cli/test_startup.py)."""
        if name not in self.commands and name in _WHERE:
            self.commands[name] = command(name)
        return self.commands.get(name)

    def resolve_command(self, ctx, args):  # type: ignore[no-untyped-def]
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            matches = get_close_matches(name, self.list_commands(ctx))
            raise NoSuchCommand(name, matches, ctx, ctx.meta.get(_LANG, HELP_LANG))
        return super().resolve_command(ctx, args)


_LANG = "indicators.lang"  # the context's language of usage errors


def _translated(exc: Exception, lang: str) -> Exception:
    if isinstance(exc, Translated):
        return exc
    if kind(exc) == "NoArgsIsHelpError":  # `indicators` alone: the help page, as it is
        exc.exit_code = int(ExitCode.USAGE)  # type: ignore[attr-defined]
        return exc
    return Translated(exc, lang)


app = typer.Typer(
    cls=_Group,
    name="indicators",
    help=h("root"),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"indicators {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help=h("version")
    ),
) -> None:
    """Check community-services census workbooks against planning targets."""


# Every command by name: the module in indicators.cli and the function in it. A module is
# imported when its command runs (or a help page lists it), never for another command; none
# of them imports pandas or the readers at import time, so `indicators --help` stays fast.
COMMANDS = (
    ("check", "check:check"),
    ("plans", "plans:plans"),
    ("show", "plans:show"),
    ("lint", "plans:lint"),
    ("inspect", "inspect:inspect"),
    ("validate", "validate:validate"),
    ("template", "template:template"),
    ("assess", "assess:assess"),
    ("roster", "roster:roster"),
)
_WHERE = dict(COMMANDS)


def command(name: str) -> Command:
    """The click command `name`, built by typer from its function as `app.command` would."""
    from importlib import import_module

    module, function = _WHERE[name].split(":")
    callback = getattr(import_module(f"indicators.cli.{module}"), function)
    one = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)
    one.command(name, help=h(f"cmd.{name}"), short_help=h(f"short.{name}"), cls=Command)(callback)
    built = typer.main.get_command(one)  # one command: the command itself, not a group
    assert isinstance(built, Command)
    return built


def main() -> None:
    import signal

    from indicators.cli.common import closed_pipe, on_sigterm
    from indicators.cli.console import setup_streams

    setup_streams()
    signal.signal(signal.SIGTERM, on_sigterm)
    try:
        app()
    except BrokenPipeError:  # raised outside a command (help text, --version)
        sys.exit(closed_pipe())

"""The `indicators` command line. Each command lives in its own module and is thin."""

from __future__ import annotations

import sys

import typer
from typer.core import TyperGroup

from indicators import __version__
from indicators.cli.assess import assess
from indicators.cli.check import check
from indicators.cli.inspect import inspect
from indicators.cli.plans import lint, plans, show
from indicators.cli.roster import roster
from indicators.cli.template import template
from indicators.cli.validate import validate
from indicators.model.errors import ExitCode

# typer ships its own copy of click; its usage error is the base of typer.BadParameter
_UsageError = typer.BadParameter.__mro__[1]


class _Group(TyperGroup):
    """click gives every usage error (unknown option, bad value, missing argument) exit 2,
    which `indicators` documents as "the census cannot be used": they exit 4 here."""

    def make_context(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        try:
            return super().make_context(*args, **kwargs)
        except _UsageError as exc:
            exc.exit_code = int(ExitCode.USAGE)
            raise

    def invoke(self, ctx):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except _UsageError as exc:
            exc.exit_code = int(ExitCode.USAGE)
            raise


app = typer.Typer(
    cls=_Group,
    name="indicators",
    help=(
        "Check community-services census workbooks against planning targets "
        "(社区服务体系规划指标测算).\n\n"
        "Exit codes: 0 ok · 1 targets not met (only with --fail-on) · 2 census data invalid · "
        "3 plan file invalid · 4 usage error · 70 internal error."
    ),
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
        False, "--version", callback=_version, is_eager=True, help="Show the version."
    ),
) -> None:
    """Check community-services census workbooks against planning targets."""


# Every command, registered by name. Each module keeps pandas and the readers out of its
# import-time path, so `indicators --help` stays fast (tests/cli/test_startup.py).
for _name, _command in (
    ("check", check),
    ("plans", plans),
    ("show", show),
    ("lint", lint),
    ("inspect", inspect),
    ("validate", validate),
    ("template", template),
    ("assess", assess),
    ("roster", roster),
):
    app.command(_name)(_command)


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

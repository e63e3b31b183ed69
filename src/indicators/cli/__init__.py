"""The `indicators` command line. Each command lives in its own module and is thin."""

from __future__ import annotations

import typer

from indicators import __version__

app = typer.Typer(
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


def _register() -> None:
    from indicators.cli.check import check

    app.command("check")(check)
    for module, name in (
        ("indicators.cli.plans", "plans"),
        ("indicators.cli.plans", "show"),
        ("indicators.cli.plans", "lint"),
        ("indicators.cli.inspect", "inspect"),
        ("indicators.cli.validate", "validate"),
        ("indicators.cli.template", "template"),
        ("indicators.cli.assess", "assess"),
        ("indicators.cli.roster", "roster"),
    ):
        try:
            mod = __import__(module, fromlist=[name])
        except ModuleNotFoundError as exc:
            if exc.name == module:
                continue  # command not built yet
            raise
        app.command(name)(getattr(mod, name))


_register()


def main() -> None:
    app()

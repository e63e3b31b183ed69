"""The frame of every --help page in the help language: the usage prefix, the section
headings and the --help option's own line, which click writes in English.

Done through click's public hooks only: a command's `context_class`, the context's
`make_formatter` and the command's `get_help_option`. The texts are in
data/messages/help.yaml, in the help language (indicators.cli.common.chosen_lang).
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from indicators.cli.common import h

# click's English heading -> catalogue key
_HEADINGS = {
    "Arguments": "heading.arguments",
    "Options": "heading.options",
    "Commands": "heading.commands",
}


class _Formatter:
    """click's help formatter with the usage prefix and the headings translated."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        self._inner.write_usage(prog, args, prefix if prefix is not None else h("heading.usage"))

    def section(self, name: str):  # a context manager, as click's is
        key = _HEADINGS.get(name)
        return self._inner.section(h(key) if key else name)


class Context(typer.Context):
    def make_formatter(self) -> Any:
        return _Formatter(super().make_formatter())


def _translated(option: Any) -> Any:
    if option is not None:
        option.help = h("help_option")
    return option


class Command(TyperCommand):
    context_class = Context

    def get_help_option(self, ctx: Any) -> Any:
        return _translated(super().get_help_option(ctx))


class Group(TyperGroup):
    context_class = Context

    def get_help_option(self, ctx: Any) -> Any:
        return _translated(super().get_help_option(ctx))

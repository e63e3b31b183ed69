"""The frame of every --help page in the help language: the usage prefix, the section
headings and the --help option's own line, which click writes in English.

Done through click's public hooks only: a command's `context_class`, the context's
`make_formatter` and the command's `get_help_option`. The texts are in
data/messages/help.yaml, in the help language (indicators.cli.common.chosen_lang).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any

import typer
from rich.cells import cell_len
from typer.core import TyperCommand, TyperGroup

from indicators.cli.common import h
from indicators.cli.wrap import fill, wrap_text

# click's English notes after an option's help: "[required]", "[default: table]"
_EXTRA = re.compile(r"\[(required|default: ([^\]]*))\]")
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
        prefix = prefix if prefix is not None else h("heading.usage")
        lead = f"{prefix:>{self._inner.current_indent}}{prog} "
        text_width = self._inner.width - self._inner.current_indent
        if text_width >= cell_len(lead) + 20:  # the arguments fit right of the prefix
            self._inner.write(fill(args, text_width, lead, " " * cell_len(lead)) + "\n")
        else:
            indent = " " * (max(self._inner.current_indent, cell_len(prefix)) + 4)
            self._inner.write(f"{lead}\n{fill(args, text_width, indent, indent)}\n")

    @contextlib.contextmanager
    def section(self, name: str) -> Iterator[None]:
        """click's section, with the heading's colon in the help language (参数：)."""
        key = _HEADINGS.get(name)
        heading = (h(key) if key else name) + h("heading.colon")
        self._inner.write_paragraph()
        self._inner.write(" " * self._inner.current_indent + heading + "\n")
        self._inner.indent()
        try:
            yield
        finally:
            self._inner.dedent()

    # click's own layout, measured in terminal cells rather than characters
    def write_text(self, text: str) -> None:
        indent = " " * self._inner.current_indent
        self._inner.write(wrap_text(text, self._inner.width, indent, indent) + "\n")

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        indent, width = self._inner.current_indent, self._inner.width
        first_col = min(max((cell_len(r[0]) for r in rows), default=0), col_max) + col_spacing
        text_width = max(width - first_col - 2, 10)
        for first, second in rows:
            self._inner.write(" " * indent + first)
            if not second:
                self._inner.write("\n")
                continue
            if cell_len(first) <= first_col - col_spacing:
                self._inner.write(" " * (first_col - cell_len(first)))
            else:
                self._inner.write("\n" + " " * (first_col + indent))
            lines = wrap_text(_EXTRA.sub(_extra, second), text_width).splitlines() or [""]
            self._inner.write(lines[0] + "\n")
            for line in lines[1:]:
                self._inner.write(" " * (first_col + indent) + line + "\n")


def _extra(m: re.Match) -> str:
    """click's "[required]" / "[default: x]" in the help language (［必填］, ［默认：x］)."""
    if m.group(2) is None:
        return h("extra.required")
    return h("extra.default").format(value=m.group(2))


class Context(typer.Context):
    def make_formatter(self) -> Any:
        return _Formatter(super().make_formatter())


def _translated(option: Any) -> Any:
    if option is not None:
        option.help = h("help_option")
    return option


def _name_arguments(params: list[Any]) -> None:
    """Each argument shown by its name in the help language (普查文件... / CENSUS...)."""
    for param in params:
        if param.param_type_name == "argument" and param.metavar is None and param.name:
            name = h(f"argument.{param.name}")
            param.metavar = name + ("..." if param.nargs != 1 else "")


def _usage_pieces(command: Any, ctx: Any) -> list[str]:
    """The usage line's arguments as click writes them (`CENSUS...`, `[FILES]...`): typer
    0.28 wraps a required argument in braces, metavar or not (`{census}...`)."""
    pieces = [command.options_metavar] if command.options_metavar else []
    for param in command.get_params(ctx):
        if param.param_type_name != "argument" or param.metavar is None:
            pieces.extend(param.get_usage_pieces(ctx))
        elif param.required:
            pieces.append(param.metavar)
        else:
            name, dots = param.metavar.removesuffix("..."), param.metavar.endswith("...")
            pieces.append(f"[{name}]" + ("..." if dots else ""))
    return pieces


def _with_context(parse_args: Any, ctx: Any, args: list[str]) -> list[str]:
    """click's parser raises some usage errors ("option -p needs a value") without the
    context, which the error needs to show the command's usage line."""
    try:
        return parse_args(ctx, args)
    except Exception as exc:
        if getattr(exc, "ctx", False) is None and hasattr(exc, "exit_code"):
            exc.ctx = ctx  # type: ignore[attr-defined]
        raise


class Command(TyperCommand):
    context_class = Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _name_arguments(self.params)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return _with_context(super().parse_args, ctx, args)

    def get_help_option(self, ctx: Any) -> Any:
        return _translated(super().get_help_option(ctx))

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return _usage_pieces(self, ctx)


class Group(TyperGroup):
    context_class = Context

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return _with_context(super().parse_args, ctx, args)

    def get_help_option(self, ctx: Any) -> Any:
        return _translated(super().get_help_option(ctx))

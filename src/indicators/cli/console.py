"""The terminal: output that any console can take and that no census text can steer.

- Markup is off by default. Sheet names, headers, file names and plan titles are data; rich
  markup in them (`[/]`, `[draft]`) crashed or vanished. Styling is given as `style=` or as
  `Text` objects, never by formatting user text into a markup string.
- Control characters from a cell (an escape sequence that clears the screen, a backspace,
  a bidi override) are shown as `\\x1b`, `\\u202e`, never sent to the terminal.
- A console whose encoding cannot show a glyph (PYTHONIOENCODING=gbk or ascii, which is what
  a Chinese Windows gives a redirected Python) gets plain words ("OK", "X") or "?" instead of
  a UnicodeEncodeError; a file name that is not valid UTF-8 (GBK bytes from a Windows zip)
  prints with "?" for the bytes that cannot be shown.
"""

from __future__ import annotations

import codecs
import io
import re
import sys
from collections.abc import Iterable

from rich.console import Console
from rich.segment import Segment
from rich.table import Table

DEGRADE = "indicators.degrade"
# Glyphs our own messages use, with what a console that cannot show them gets instead
_PLAIN = {
    "✓": "OK",
    "✗": "X",
    "⚠": "!",
    "·": "-",
    "—": "-",
    "–": "-",
    "…": "...",
    "→": "->",
    "≥": ">=",
    "≤": "<=",
    "×": "x",
    "━": "-",
    "─": "-",
    "│": "|",
    "┃": "|",
}
# C0 controls but tab and newline, DEL, C1 controls, bidi embeddings/overrides/isolates
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """Control characters as escapes: "\\x1b[2J" -> "\\\\x1b[2J"."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: _escape_char(m.group(0)), text)


def _escape_char(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _degrade(exc: UnicodeError) -> tuple[str | bytes, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    if all("\udc80" <= ch <= "\udcff" for ch in bad):  # bytes of a file name, surrogateescaped
        raw = bad.encode("utf-8", "surrogateescape")
        try:  # almost always GBK from a Windows zip: show it as such if the console can
            return raw.decode("gb18030").encode(exc.encoding), exc.end
        except (UnicodeError, LookupError):
            return "?" * len(bad), exc.end
    return "".join(_PLAIN.get(ch, "?") for ch in bad), exc.end


codecs.register_error(DEGRADE, _degrade)


def setup_streams() -> None:
    """Make stdout and stderr degrade what their encoding cannot show instead of raising."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        try:
            reconfigure(errors=DEGRADE)
        except (ValueError, OSError):  # a closed or detached stream: nothing to set
            continue


class SafeConsole(Console):
    """rich's Console with markup off by default and control characters made visible."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("markup", False)
        kwargs.setdefault("highlight", False)
        kwargs.setdefault("emoji", False)
        super().__init__(**kwargs)

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        safe = (
            seg if seg.control else Segment(visible(seg.text), seg.style, seg.control)
            for seg in buffer
        )
        return super()._render_buffer(safe)

    def on_broken_pipe(self) -> None:
        """rich exits 1 here, which `indicators` documents as "targets not met"; the command
        handler turns the error into the closed-pipe exit code instead."""
        self.quiet = True
        raise BrokenPipeError


def fits(console: Console, table: Table) -> bool:
    """Whether rich lays `table` out within the console's width: when the columns' minimum
    widths pass it, rich cuts the right of every line off instead of folding."""
    # as the console prints: no markup (a plan's text "[/]" is data, not a closing tag)
    probe = Console(
        width=console.width,
        file=io.StringIO(),
        color_system=None,
        markup=False,
        emoji=False,
        highlight=False,
    )
    probe.print(table)
    lines = probe.file.getvalue().splitlines()  # type: ignore[attr-defined]
    edge = table.box.top_right if table.box is not None else ""
    return bool(lines) and (not edge or lines[0].rstrip().endswith(edge))

"""Wrapping help text by display width: a Chinese character takes two terminal cells.

click wraps with Python's textwrap, which counts characters, so a Chinese help line ran up
to twice the terminal's width. Here the line breaks fall by cells (`rich.cells.cell_len`):
between any two Chinese characters, at spaces between words, never before closing
punctuation (，。）…), never inside a file name (模板.xlsx), and a word wider than the line is
split rather than left to overflow.
"""

from __future__ import annotations

import re

from rich.cells import cell_len

# punctuation that must not start a line: it stays with what it follows
_CLOSING = "，。；：、！？）》」』】,.;:!?)]}"
_TOKEN = re.compile(rf"\s+|[!-~]+[{re.escape(_CLOSING)}]*|\S[{re.escape(_CLOSING)}]*")
# a file name or an option's value in an example (模板.xlsx, data/东城街道.xlsx, 表头=字段)
# is one word: broken between its Chinese characters it could not be copied
_NAME = re.compile(r"[/\\=]|\.[A-Za-z]{2,4}\b")
_PROSE = re.compile("[，。；：、（）！？]")


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    for word in re.split(r"(\s+)", text):
        if word and not word.isspace() and _NAME.search(word) and not _PROSE.search(word):
            tokens.append(word)
        else:
            tokens += _TOKEN.findall(word)
    return tokens


def _split_wide(token: str, width: int) -> list[str]:
    """A token wider than `width` cells, in pieces that fit."""
    pieces, piece = [], ""
    for ch in token:
        if piece and cell_len(piece + ch) > width:
            pieces.append(piece)
            piece = ""
        piece += ch
    return [*pieces, piece] if piece else pieces


def fill(text: str, width: int, initial_indent: str = "", subsequent_indent: str = "") -> str:
    """One paragraph wrapped to `width` cells (the indents included)."""
    lines: list[str] = []
    line, has_text, space = initial_indent, False, False
    for token in _tokens(text):
        if token.isspace():
            space = has_text
            continue
        room = width - cell_len(subsequent_indent)
        for piece in _split_wide(token, room) if cell_len(token) > room else [token]:
            candidate = line + (" " if space else "") + piece
            if has_text and cell_len(candidate) > width:
                lines.append(line)
                candidate = subsequent_indent + piece
            line, has_text, space = candidate, True, False
    lines.append(line)
    return "\n".join(lines)


def wrap_text(text: str, width: int, initial_indent: str = "", subsequent_indent: str = "") -> str:
    """click's `wrap_text(..., preserve_paragraphs=True)` by cells: paragraphs are separated
    by a blank line, keep their own indentation, and one that starts with a line holding
    only \\b is left as written."""
    paragraphs: list[tuple[int, bool, list[str]]] = []
    buf: list[str] = []
    indent = 0
    for line in [*text.expandtabs().splitlines(), ""]:
        if line:
            if not buf:
                stripped = line.lstrip()
                indent, line = len(line) - len(stripped), stripped
            buf.append(line)
            continue
        if buf:
            raw = buf[0].strip() == "\b"
            paragraphs.append((indent, raw, buf[1:] if raw else buf))
            buf = []
    out = []
    for extra, raw, lines in paragraphs:
        first, rest = initial_indent + " " * extra, subsequent_indent + " " * extra
        if raw or _is_command(lines):
            out.append("\n".join(first + line for line in lines))
        else:
            out.append(fill(" ".join(lines), width, first, rest))
    return "\n\n".join(out)


def _is_command(lines: list[str]) -> bool:
    """An example command (`indicators check ...`) is left on its line, however long: the
    terminal folds a long line and a copy of it still pastes as one command, where a line
    broken here would paste as two."""
    return len(lines) == 1 and lines[0].startswith("indicators ")

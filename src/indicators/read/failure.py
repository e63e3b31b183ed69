"""A file-level read error, worded as "<file>: <what>" when shown (no pandas: the first
stage of a read, read/fetch.py, raises these from a thread before pandas is imported)."""

from __future__ import annotations

from pathlib import Path

from indicators.model.errors import DataError, Text, said


def fail(path: Path, what: Text, hint: Text | None = None) -> DataError:
    """A file-level error: `what` (a catalogue message) after the file's name."""
    return DataError(said("read.in_file", file=path.name, what=what), hint=hint)


def listed(items: list[Text], quoted: bool = False) -> Text:
    """`a, b, c` (`a、b、c` in Chinese); each item `'x'` (「x」) when quoted."""
    parts: list[Text] = [said("read.quoted", name=i) if quoted else i for i in items]
    out: Text = parts[0] if parts else ""
    for part in parts[1:]:
        out = said("read.and", a=out, b=part)
    return out

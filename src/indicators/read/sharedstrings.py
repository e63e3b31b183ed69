"""The text an .xlsx's shared strings expand to in its cells, bounded before calamine reads it.

A cell of type `t="s"` holds an index into xl/sharedStrings.xml; calamine copies the string
into every cell that refers to it. One 100 KB string referenced by 60,000 cells is a 6 GB
sheet from a small file (> 7.9 GB and a Rust panic, found by the red team). The streaming pass
of zipscan records the size of every shared string and counts the references; only when the
cheap bound (references x longest string) is over the budget are the references read one by
one to add up the exact size.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field

_SI = re.compile(rb"<(?:\w+:)?si[\s>/]")
_REF = re.compile(rb'\bt="s"[^<>]*>\s*<(?:\w+:)?v>(\d+)</')


def is_shared_strings(name: str) -> bool:
    return posixpath.basename(name).lower() == "sharedstrings.xml"


@dataclass
class SharedText:
    """Sizes of the shared strings (bytes of their XML, an upper bound of the text) and the
    number of references to them in the sheets."""

    starts: list[int] = field(default_factory=list)
    length: int = 0  # bytes of sharedStrings.xml seen so far
    carry: bytes = b""
    references: int = 0  # counted by the zip scan (xmlrefs.Facts.shared)

    def feed_strings(self, chunk: bytes) -> None:
        data = self.carry + chunk
        base = self.length - len(self.carry)
        self.starts.extend(base + m.start() for m in _SI.finditer(data))
        # keep a short tail for a tag split between chunks, without finding it twice
        keep = min(len(data), 5)
        self.carry = data[-keep:] if not _SI.search(data[-keep:]) else b""
        self.length += len(chunk)

    def sizes(self) -> list[int]:
        if not self.starts:
            return []
        ends = [*self.starts[1:], self.length]
        return [max(end - start, 0) for start, end in zip(self.starts, ends, strict=True)]

    def expanded(self, archive: zipfile.ZipFile, sheets: list[zipfile.ZipInfo], chunk: int) -> int:
        """Bytes of text the references expand to: the cheap bound, or the exact sum."""
        sizes = self.sizes()
        if not sizes or not self.references:
            return 0
        bound = self.references * max(sizes)
        return bound if bound <= self.budget_hint else _exact(archive, sheets, sizes, chunk)

    budget_hint: float = 0.0  # set by the caller: below it the bound is answer enough


def _exact(archive: zipfile.ZipFile, sheets: list[zipfile.ZipInfo], sizes, chunk: int) -> int:
    total = 0
    for info in sheets:
        tail = b""
        with archive.open(info) as member:
            while data := member.read(chunk):
                buffer = tail + data
                # a reference cut at the end is read with the next chunk (the tail)
                cut = buffer.rfind(b"<")
                body, tail = (buffer[:cut], buffer[cut:]) if cut > 0 else (buffer, b"")
                for m in _REF.finditer(body):
                    i = int(m.group(1))
                    total += sizes[i] if i < len(sizes) else 0
        for m in _REF.finditer(tail):
            i = int(m.group(1))
            total += sizes[i] if i < len(sizes) else 0
    return total

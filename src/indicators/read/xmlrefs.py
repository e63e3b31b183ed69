"""What a worksheet's XML says about its extent, found with vectorised byte comparisons.

The zip scan needs, before calamine allocates anything, the highest row and column the cell
references name, how many cells and shared-string references there are; and whether any error
cell, formula without its value or hidden row or column may be present at all, before the
expressions that find those run. The regular expressions that define these facts (kept here
as the exact fallback) visit every cell in Python's regex engine: 0.3 s of CPU for 27 MB of
XML, 0.6 s with a column of formulas. Here numpy finds every `="`, `<c` and `<f` once (two
16-bit views of the bytes) and answers from the few bytes around them; a layout the fast path
does not vouch for (a row tag that does not start with its `r=`, a row number of seven or more
digits, a formula too long to see its end) is handed to the regular expression, so the facts
are always those the expressions give, never fewer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

# The definitions (see zipscan.py for why references are found by their literal `r="`)
ROW_REF = re.compile(rb'<row\b[^<>]*?\br="(\d+)"')
CELL_ROW = re.compile(rb'r="[A-Z]{1,3}(\d{7,})"')  # rows 1,000,000 and beyond
CELL_WIDE = re.compile(rb'r="([A-Z]{2,3})\d')  # columns AA and beyond
CELL_NARROW = re.compile(rb'r="[A-Z]\d')

PAD = 16  # zero bytes before the buffer (and _WINDOW after): every look-around stays inside,
# and a zero is no letter, digit, quote or word character, as the end of the text is for the
# expressions
_ROW_DIGITS = 9  # a row number this long or longer is read by ROW_REF (Excel stops at 7)
_ROW_TAG = np.frombuffer(b"<row ", np.uint8)
_HIDDEN = np.frombuffer(b"hidden", np.uint8)


@dataclass
class Facts:
    """What a chunk of worksheet XML (after the previous chunk's tail) holds."""

    rows: list[int]  # row numbers of the row tags and of seven-digit cell references
    wide: bytes = b""  # the farthest two- or three-letter column of a reference, if any
    narrow: bool = False  # whether a one-letter reference is present
    cells: int = 0  # `<c ` and `<c>` elements
    shared: int = 0  # `t="s"` attributes (shared-string references)
    errors: bool = False  # `t="e"` present (error cells)
    hidden: bool = False  # `hidden="` present (hidden rows or columns)
    unvalued: bool = False  # a formula may lack its cached value (see _unvalued)


def _digit(x: np.ndarray) -> np.ndarray:
    """[0-9], for bytes (uint8: a byte below "0" wraps round to a large number)."""
    return (x - 48) < 10


def _letter(x: np.ndarray) -> np.ndarray:
    """[A-Z], as the expressions spell a column."""
    return (x - 65) < 26


def _word(x: np.ndarray) -> np.ndarray:
    """[A-Za-z0-9_], what `\\b` in a bytes pattern counts as a word byte."""
    return _digit(x) | _letter(x & 0xDF) | (x == 95)


class _Bytes:
    """The padded bytes; at(k)[p] is the byte k places after position p of the buffer (k may
    be negative down to -PAD): one gather, no array of positions p + k to build first."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.a = np.frombuffer(data, np.uint8)

    def at(self, k: int) -> np.ndarray:
        return self.a[PAD + k :]

    def pairs(self, pair: bytes, start: int = 0) -> np.ndarray:
        """Positions of a two-byte sequence from `start` on, in no particular order: every
        even and every odd position at once, as 16-bit numbers."""
        code = pair[0] | pair[1] << 8
        found = []
        for off in (PAD + start, PAD + start + 1):
            count = (len(self.data) - off) // 2
            view = np.frombuffer(self.data, dtype="<u2", count=count, offset=off)
            found.append(np.flatnonzero(view == code) * 2 + (off - PAD))
        return np.concatenate(found)


def facts(tail: bytes, chunk: bytes) -> Facts:
    """The facts of `tail + chunk` (a chunk of XML after the end of the previous one); cells
    and shared references are counted where they end in `chunk` (so a stream of chunks
    counts each once, even one the edge cuts), the rest is found over both.
    Positions below count from the start of `tail`."""
    b = _Bytes(b"".join((bytes(PAD), tail, chunk, bytes(_WINDOW))))
    begin, end = len(tail), len(tail) + len(chunk)
    out = Facts(rows=[])
    eq = b.pairs(b'="')  # every attribute, and any `="` in a text
    before = b.at(-1)[eq]
    # t="s" / t="e": shared-string references (counted), error cells (present)
    t = eq[before == 116]
    t = t[b.at(3)[t] == 34]
    kind = b.at(2)[t]
    inside = (t + 3 >= begin) & (t + 3 < end)  # ends in the chunk: each counted once
    out.shared = int(np.count_nonzero(kind[inside] == 115))
    out.errors = bool(np.count_nonzero(kind == 101))
    n = eq[before == 110]  # ...n=" : hidden="
    out.hidden = bool((b.at(-6)[n[:, None] + np.arange(6)] == _HIDDEN).all(axis=1).any())
    refs = eq[before == 114]
    first = b.at(2)[refs]
    _rows(b, refs[_digit(first)], end, out)
    _columns(b, refs[_letter(first)], out)
    c = b.pairs(b"<c", max(begin - 2, 0))  # that end in the chunk, as above
    third = b.at(2)[c[c + 2 >= begin]]
    out.cells = int(np.count_nonzero((third == 32) | (third == 62)))
    out.unvalued = _unvalued(b)
    return out


_WINDOW = 96  # bytes from `<f` in which a formula and what follows it are looked at


def _unvalued(b: _Bytes) -> bool:
    """Whether a formula might lack its cached value, i.e. whether zipscan's _NO_VALUE might
    match: False when each `<f` element is followed straight away by `<v>` and a value (how
    Excel and WPS save a formula) or is no element at all (a `<` inside its tag). A formula
    too long for the window, or cut by the end, counts as might: the expression looks then."""
    f = b.pairs(b"<f")
    f = f[~_word(b.at(2)[f])]  # `<f\b`
    windows = np.lib.stride_tricks.sliding_window_view(b.at(0), _WINDOW)
    # a few thousand formulas at a time: a chunk of nothing but `<f` stays a few MB
    return any(_maybe_unvalued(windows[f[i : i + _BATCH]]) for i in range(0, len(f), _BATCH))


_BATCH = 4096


def _maybe_unvalued(windows: np.ndarray) -> bool:
    w = _Window(windows)
    gt, lt, col = w.win == 62, w.win == 60, np.arange(_WINDOW)
    closed = gt.any(axis=1)
    e = gt.argmax(axis=1)  # the `>` that ends the <f ...> tag
    no_tag = (lt[:, 1:] & (col[1:] < e[:, None])).any(axis=1)  # a `<` before it
    later = lt & (col > e[:, None])
    text_end = later.any(axis=1)
    g = later.argmax(axis=1)  # the first `<` after the tag: where `</f>` must be
    empty = closed & w.has(e - 1, b"/")  # <f .../>
    with_text = closed & text_end & w.has(g, b"</f>")  # <f ...>...</f>
    known = closed & (text_end | empty)
    fine = no_tag | (known & (~empty | w.valued(e + 1)) & (~with_text | w.valued(g + 4)))
    return not fine.all()


class _Window:
    """The bytes from each `<f` on, one row per formula."""

    def __init__(self, win: np.ndarray) -> None:
        self.win, self.rows = win, np.arange(len(win))

    def has(self, q: np.ndarray, text: bytes) -> np.ndarray:
        """Whether `text` starts at column q of each row (False where it would not fit)."""
        found = (q >= 0) & (q + len(text) <= _WINDOW)
        q = np.clip(q, 0, _WINDOW - len(text))
        for k, byte in enumerate(text):
            found &= self.win[self.rows, q + k] == byte
        return found

    def valued(self, q: np.ndarray) -> np.ndarray:
        """`<v>` and a value at column q: then _NO_VALUE cannot match there."""
        value = self.win[self.rows, np.clip(q + 3, 0, _WINDOW - 1)] != 60
        return self.has(q, b"<v>") & value & (q + 4 <= _WINDOW)


def _columns(b: _Bytes, refs: np.ndarray, out: Facts) -> None:
    """Columns (and rows of seven digits) from the `r="` whose value starts with a letter
    (refs: the positions of their `=`)."""
    second = b.at(3)[refs]
    narrow = _digit(second)
    out.narrow = bool(narrow.any())
    digits = [refs[narrow] + 3]  # where each reference's row number starts
    refs = refs[_letter(second)]
    third = b.at(4)[refs]
    two = _digit(third)
    digits.append(refs[two] + 4)
    if two.any():
        l1, l2 = (b.at(k)[refs[two]].astype(np.int32) for k in (2, 3))
        i = int(((l1 - 64) * 26 + l2).argmax())
        out.wide = bytes([l1[i], l2[i]])
    refs = refs[_letter(third) & _digit(b.at(5)[refs])]
    digits.append(refs + 5)
    if len(refs):  # any three-letter column lies beyond every two-letter one
        l1, l2, l3 = (b.at(k)[refs].astype(np.int32) for k in (2, 3, 4))
        i = int((((l1 - 64) * 26 + l2 - 64) * 26 + l3).argmax())
        out.wide = bytes([l1[i], l2[i], l3[i]])
    if _seven_digits(b, np.concatenate(digits)):
        out.rows += [int(r) for r in CELL_ROW.findall(b.data)]


def _seven_digits(b: _Bytes, starts: np.ndarray) -> bool:
    """Whether seven digits follow any of these positions (a row 1,000,000 or beyond)."""
    starts = starts[_digit(b.at(6)[starts])]
    for k in range(6):
        starts = starts[_digit(b.at(k)[starts])]
    return bool(len(starts))


def _rows(b: _Bytes, refs: np.ndarray, end: int, out: Facts) -> None:
    """Row numbers of the row tags from the `r="<digit>` (refs: positions of their `=`):
    read here when each opens a `<row ` tag, else by ROW_REF. One too near the start for a
    tag, or whose digits the end cuts, cannot be a match of ROW_REF and is left out."""
    refs = refs[(refs >= 6) & ~_word(b.at(-2)[refs])]  # `\br="`: a non-word byte before
    digits = b.at(2)[refs[:, None] + np.arange(_ROW_DIGITS)]
    isdigit = _digit(digits)
    length = isdigit.argmin(axis=1)  # the first byte that is not a digit
    cut = refs + 2 + length >= end
    refs, digits, isdigit, length = refs[~cut], digits[~cut], isdigit[~cut], length[~cut]
    if not len(refs):
        return
    tag = b.at(-6)[refs[:, None] + np.arange(5)]
    closed = digits[np.arange(len(refs)), length] == 34
    if not ((tag == _ROW_TAG).all() and closed.all() and not isdigit.all(axis=1).any()):
        out.rows += [int(r) for r in ROW_REF.findall(b.data)]
        return
    value = np.zeros(len(refs), dtype=np.int64)
    for j in range(_ROW_DIGITS):
        more = j < length
        value[more] = value[more] * 10 + digits[more, j] - 48
    out.rows.append(int(value.max()))

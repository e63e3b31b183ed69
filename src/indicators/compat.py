"""Every reach into a library's private API, each behind a self-check with a public fallback.

Three speed paths lean on names a library does not promise to keep:
- `pandas._libs.groupby` (the compiled group-by loops): group sums and means without the
  cost of `Series.groupby`, which is five times the summing itself;
- `ArrowStringArray._pa_array` (pandas): the Arrow data behind a text column, no copy;
- xlsxwriter's `Format._get_xf_index`: the style number a spliced cell refers to, and its
  text escaping (`_escape_control_characters`, `_preserve_whitespace`), so spliced text
  cells read as xlsxwriter's own.
Each is checked once, on samples, against what the public API gives; if the private name is
gone or answers differently (another library version), the public way is used and the tool
gives the very same figures, only slower. Nothing else in the package touches them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

_CHECKED: dict[str, Any] = {}  # self-check results (and what they chose)


def _once(name: str, check) -> bool:
    """The result of the self-check `check` (False on any exception), computed once."""
    if name not in _CHECKED:
        try:
            _CHECKED[name] = bool(check())
        except Exception:  # any change in the library's internals: use the public way
            _CHECKED[name] = False
    return _CHECKED[name]


# --- group sums and means ---------------------------------------------------------------


def group_reduce(how: str, values: np.ndarray, codes: np.ndarray, size: int) -> np.ndarray:
    """pandas' group-by sum (min_count=0) or mean ("sum" | "mean") of float64 `values` by
    group number `codes` (0..size-1), to the last bit; NaN is skipped."""
    if groupby_kernels_agree():
        return _direct(how, values, codes, size)
    return _public(how, values, codes, size)


def groupby_kernels_agree() -> bool:
    """Whether the direct path gives what the public group-by gives, bit for bit, on samples
    that take every branch (groups in row order or not; gaps, infinities, signed zeros or
    none)."""
    return _once("groupby", _groupby_check)


def _groupby_check() -> bool:
    import pandas as pd  # noqa: F401  (the public side of the comparison)

    rng = np.random.default_rng(7)
    values = rng.normal(0, 1e6, 5000) / 7
    values[::11] = np.nan
    values[5::97] = np.inf
    values[9::89] = -0.0
    ordered = np.sort(rng.integers(0, 40, 5000))
    ordered[-1] = 40  # a group with one row
    values[-1] = np.nan  # and no value
    samples = [values, np.nan_to_num(values, nan=0.5, posinf=3.0)]
    for codes in (ordered, rng.permutation(ordered), np.zeros(5000, dtype=np.intp)):
        size = int(codes.max()) + 1
        for how in ("sum", "mean"):
            for v in samples:
                mine = _direct(how, v, codes, size).view(np.int64)
                if not np.array_equal(mine, _public(how, v, codes, size).view(np.int64)):
                    return False
    return True


def _direct(how: str, values: np.ndarray, codes: np.ndarray, size: int) -> np.ndarray:
    """What pandas (3.x) does for a group-by sum or mean of float64 values: with the group
    numbers in ascending row order and no missing value, np.add.reduceat over each group's
    rows; otherwise its compiled loop, which skips missing values and compensates rounding
    (Kahan)."""
    values = np.asarray(values, dtype="float64")
    codes = np.asarray(codes, dtype=np.intp)
    if len(codes) and bool(np.all(codes[1:] >= codes[:-1])) and not np.isnan(values).any():
        starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
        seg = np.add.reduceat(values, starts)
        if how == "mean":
            seg = seg / np.diff(starts, append=codes.size).astype(np.float64)
        out = np.zeros(size) if how == "sum" else np.full(size, np.nan)
        out[codes[starts]] = seg
        return out
    return _kernel(how, values, codes, size)


def _kernel(how: str, values: np.ndarray, codes: np.ndarray, size: int) -> np.ndarray:
    from pandas._libs import groupby as libgroupby

    out = np.empty((size, 1), dtype="float64")
    counts = np.zeros(size, dtype=np.int64)
    column = np.asarray(values, dtype="float64").reshape(-1, 1)
    labels = np.asarray(codes, dtype=np.intp)
    if how == "sum":
        libgroupby.group_sum(
            out=out, counts=counts, values=column, labels=labels, mask=None,
            result_mask=None, min_count=0, is_datetimelike=False, initial=0, skipna=True,
        )  # fmt: skip
    else:
        libgroupby.group_mean(
            out=out, counts=counts, values=column, labels=labels, min_count=-1,
            is_datetimelike=False, mask=None, result_mask=None, skipna=True,
        )  # fmt: skip
    return out[:, 0]


def _public(how: str, values: np.ndarray, codes: np.ndarray, size: int) -> np.ndarray:
    import pandas as pd

    # a Categorical of the group numbers: pandas groups by its codes as they are
    keys = pd.Categorical.from_codes(
        np.asarray(codes, dtype=np.intp), categories=pd.RangeIndex(size)
    )
    grouped = pd.Series(np.asarray(values, dtype="float64")).groupby(
        keys, sort=True, observed=False
    )
    out = grouped.sum(min_count=0) if how == "sum" else grouped.mean()
    return out.to_numpy(dtype="float64")


# --- Arrow data of a text column --------------------------------------------------------


def arrow_chunks(column: pd.Series) -> pa.ChunkedArray:
    """The Arrow data behind an Arrow-backed text column, without a copy."""
    if _once("pa_array", _pa_array_check):
        return _private_chunks(column)
    return _public_chunks(column)


def _private_chunks(column: pd.Series) -> pa.ChunkedArray:
    import pyarrow as pa

    return pa.chunked_array(column.array._pa_array)


def _public_chunks(column: pd.Series) -> pa.ChunkedArray:
    import pyarrow as pa

    data = column.array.__arrow_array__()  # the Arrow protocol: public, may copy
    return data if isinstance(data, pa.ChunkedArray) else pa.chunked_array([data])


def _pa_array_check() -> bool:
    import pandas as pd

    sample = pd.Series(["社区", None, "", " a "], dtype=pd.StringDtype("pyarrow"))
    mine, public = _private_chunks(sample), _public_chunks(sample)
    return mine.type == public.type and mine.equals(public)


# --- xlsxwriter style numbers -----------------------------------------------------------


def xf_index(fmt: Any) -> int:
    """The style number (xf index) xlsxwriter gives `fmt` in the workbook's styles, assigned
    now if the format has not been used yet. There is no public way to learn it before the
    workbook is closed: if xlsxwriter answers differently from what it writes itself, this
    stops with an error rather than write cells that point at the wrong style."""
    if not _once("xf_index", _xf_index_check):
        raise RuntimeError(
            "this xlsxwriter does not number cell formats as indicators expects "
            "(Format._get_xf_index); install xlsxwriter 3.x"
        )
    return int(fmt._get_xf_index())


def _xf_index_check() -> bool:
    """Numbers given by _get_xf_index to formats no cell has used yet (as the spliced
    sheets do) point, in the styles xlsxwriter writes on close, at those very formats."""
    import io
    import zipfile
    from xml.etree import ElementTree

    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet()
    number = book.add_format({"num_format": "0.00"})
    bold = book.add_format({"bold": True})
    indices = {"number": int(number._get_xf_index()), "bold": int(bold._get_xf_index())}
    book.close()
    with zipfile.ZipFile(buffer) as z:
        styles = ElementTree.fromstring(z.read("xl/styles.xml"))
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    xfs = styles.findall("m:cellXfs/m:xf", ns)
    fonts = styles.findall("m:fonts/m:font", ns)
    codes = {f.get("numFmtId"): f.get("formatCode") for f in styles.findall(".//m:numFmt", ns)}
    if len(set(indices.values())) != 2 or max(indices.values()) >= len(xfs):
        return False
    as_number, as_bold = xfs[indices["number"]], xfs[indices["bold"]]
    bold_font = fonts[int(as_bold.get("fontId", "0"))]
    return (
        codes.get(as_number.get("numFmtId")) == "0.00"
        and bold_font.find("m:b", ns) is not None
        and as_bold.get("numFmtId") == "0"
    )


# --- text cells as xlsxwriter writes them ------------------------------------------------

_ESCAPE_LIKE = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile("([\x00-\x08\x0b-\x1f])")
_EDGE_SPACE = re.compile(r"^\s|\s$")


def escape_control_characters(text: str) -> str:
    """`text` with control characters as Excel's _xHHHH_ escapes (and a literal "_xHHHH_"
    kept literal), exactly as xlsxwriter writes a string cell."""
    return _text_functions()[0](text)


def preserve_whitespace(text: str) -> bool:
    """Whether an escaped cell text needs xml:space="preserve" (white space at either
    end)."""
    return _text_functions()[1](text)


def _text_functions():
    """(escape, preserve): xlsxwriter's own while they pass the self-check, else ours. Picked
    once: these run once per distinct text of a workbook."""
    chosen = _CHECKED.get("xlsx_text_functions")
    if chosen is None:
        if _once("xlsx_text", _xlsx_text_check):
            from xlsxwriter.worksheet import Worksheet, _preserve_whitespace

            def preserve(text: str) -> bool:
                return _preserve_whitespace(text) is not None

            chosen = (Worksheet._escape_control_characters, preserve)
        else:
            chosen = (_own_escape, _own_preserve)
        _CHECKED["xlsx_text_functions"] = chosen
    return chosen


def _own_preserve(text: str) -> bool:
    return _EDGE_SPACE.search(text) is not None


def _own_escape(text: str) -> str:
    """The escaping of ECMA-376 (ST_Xstring), written out: the public fallback."""
    text = _ESCAPE_LIKE.sub(r"_x005F\1", text)
    text = _CONTROL.sub(lambda m: f"_x{ord(m.group(1)):04X}_", text)
    return text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")


TEXT_SAMPLES = (
    "a\x00b\x1fc",
    "end\x1f",
    "_x0041_ and _x00e9_",
    " lead",
    "trail\t",
    "\ufffe\uffff",
    "x\ny",
    "平",
)


def written_texts(texts) -> list[tuple[str, bool]]:
    """What xlsxwriter's public write_string puts in the file for each text: (the text
    before XML escaping, whether it is marked xml:space="preserve")."""
    import io
    import zipfile
    from xml.etree import ElementTree

    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for row, text in enumerate(texts):
        sheet.write_string(row, 0, text)
    book.close()
    with zipfile.ZipFile(buffer) as z:
        shared = ElementTree.fromstring(z.read("xl/sharedStrings.xml"))
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    space = "{http://www.w3.org/XML/1998/namespace}space"
    return [(t.text or "", t.get(space) == "preserve") for t in shared.iter(f"{ns}t")]


def _xlsx_text_check() -> bool:
    """xlsxwriter's private escaping gives, on samples, the text its public write_string
    puts in the file."""
    from xlsxwriter.worksheet import Worksheet, _preserve_whitespace

    written = written_texts(TEXT_SAMPLES)
    escaped = [Worksheet._escape_control_characters(s) for s in TEXT_SAMPLES]
    private = [(e, bool(_preserve_whitespace(e))) for e in escaped]
    return written == private

"""Classify the rows below the header: data, blank, subtotal, total, note, repeated header.

Vectorised over the label cells (the identity columns and the first two columns); only rows
already flagged as possible notes or numbering are looked at one by one. The label tests run in
Arrow (RE2) on text columns; the patterns are written so that RE2 and Python's re agree: white
space is Python's (str.isspace), digits are Unicode digits.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from indicators.compat import arrow_chunks
from indicators.model.fields import normalise_header
from indicators.read.headers import Header, is_numbering

KINDS = ("data", "blank", "subtotal", "total", "note", "header")
IDENTITY = ("district", "street", "community")
SUBTOTAL = re.compile(r"小计")
TOTAL = re.compile(r"合计|总计|共计|^总数$|^全(?:区|县|市|镇|街道?)$")
NOTE = re.compile(
    r"^(注|备注|说明|附注|填表|审核|审批|填报|制表|统计员|统计人|负责人|单位负责人|分管领导|"
    r"联系电话|联系人|电话|数据来源|资料来源|报送|签字|盖章|第\d+页|共\d+页|\d+[.、．]\D|[（(]?[一二三四五六七八九十]+[)）、])"
)
# Python's \s (str.isspace) spelled out for RE2, whose \s is ASCII only
SPACE_RE2 = (
    r"[\t-\r\x{1c}-\x{20}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}"
    r"\x{202f}\x{205f}\x{3000}]+"
)
NOTE_RE2 = NOTE.pattern.replace(r"\d", r"\p{Nd}").replace(r"\D", r"\P{Nd}")


def empty_mask(frame: pd.DataFrame) -> pd.DataFrame:
    """True where a cell is empty (None, NaN or ""; white-space-only rows are caught later).

    Column by column: a text column ("str", Arrow) is tested in Arrow; an object column as one
    object array (the same tests as isna() | eq(""), at half the cost)."""
    return pd.DataFrame(
        {c: _empty(frame[c]) for c in frame.columns}, index=frame.index, columns=frame.columns
    )


def is_text(column: pd.Series) -> bool:
    """A column of Arrow-backed text (CSV and parquet grids), not Python objects."""
    return isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow"


def is_number(column: pd.Series) -> bool:
    """A column of typed numbers (float64: parquet's numeric columns), not Python objects."""
    return column.dtype == np.float64


def _empty(column: pd.Series) -> np.ndarray:
    if is_number(column):
        return np.isnan(column.to_numpy())
    if is_text(column):
        import pyarrow.compute as pc

        arr = arrow_text(column)
        return pc.fill_null(pc.equal(arr, ""), True).to_numpy(zero_copy_only=False)
    cells = column.to_numpy(dtype=object)
    try:
        return np.asarray(pd.isna(cells) | (cells == ""), dtype=bool)
    except (TypeError, ValueError):  # a cell whose == "" is not a plain bool (pd.NA)
        return (column.isna() | column.eq("")).to_numpy(dtype=bool)


def arrow_text(column: pd.Series):
    import pyarrow as pa

    return arrow_chunks(column) if is_text(column) else pa.array(column)


def squash(column: pd.Series) -> pd.Series:
    """Text with all white space removed (Python's white space), as "str"."""
    import pyarrow.compute as pc

    if not is_text(column):
        column = column.astype("str")
    cells = arrow_text(column)
    spaced = pc.match_substring_regex(cells, SPACE_RE2)
    if not pc.any(spaced).as_py():  # the usual case: nothing to take out, nothing to copy
        return column
    return _text_series(pc.replace_substring_regex(cells, SPACE_RE2, ""), column.index)


def _texts(body: pd.DataFrame, empty: pd.DataFrame, cols: list[int]) -> dict[int, pd.Series]:
    """The label columns as Arrow text, each converted once ("" where empty)."""
    out = {}
    for c in cols:
        col = body[c]
        if is_number(col):
            out[c] = numbers_as_text(col)
        elif is_text(col):
            out[c] = col
        else:
            out[c] = col.where(~empty[c], "").astype(str).astype("str")
    return out


def numbers_as_text(column: pd.Series) -> pd.Series:
    """A column of typed numbers as Arrow text (see number_text)."""
    return _text_series(number_text(column.to_numpy()), column.index)


def number_text(values: np.ndarray):
    """float64 cells as the text Arrow gives the numbers of a file ("" where NaN): whole
    numbers as integers (the text of an integer column), others in Arrow's shortest form."""
    import pyarrow as pa
    import pyarrow.compute as pc

    whole = np.isfinite(values) & (np.trunc(values) == values) & (np.abs(values) <= 2.0**53)
    cells = pa.array(values, from_pandas=True)  # NaN -> null
    as_int = pa.array(np.where(whole, values, 0).astype(np.int64)).cast(pa.large_string())
    text = pc.if_else(pa.array(whole), as_int, cells.cast(pa.large_string()))
    return pc.fill_null(text, "")


def _label(body: pd.DataFrame, empty: pd.DataFrame, texts: dict[int, pd.Series]) -> pd.Series:
    import pyarrow as pa
    import pyarrow.compute as pc

    parts = []
    for c, col in texts.items():
        cells = arrow_text(col).cast(pa.large_string())
        parts.append(pc.if_else(pa.array(empty[c].to_numpy()), "", cells))
    if not parts:
        return pd.Series("", index=body.index, dtype="str")
    joined = pc.binary_join_element_wise(*parts, pa.scalar("", pa.large_string()))
    return squash(_text_series(joined, body.index))


def _text_series(arr, index: pd.Index) -> pd.Series:
    """An Arrow string array as a pandas "str" Series."""
    import pyarrow as pa

    table = pa.table({"t": arr})
    return pd.Series(table.to_pandas()["t"].array, index=index)


def _test(label: pd.Series, pattern: str, *, start: bool = False) -> pd.Series:
    """Python re's search (or match, `start`) of `pattern` in each label, in RE2."""
    import pyarrow.compute as pc

    found = pc.match_substring_regex(arrow_text(label), f"^(?:{pattern})" if start else pattern)
    return pd.Series(pc.fill_null(found, False).to_numpy(zero_copy_only=False), index=label.index)


def _first_text(row: pd.Series) -> str:
    for v in row.tolist():
        if v is not None and not (isinstance(v, float) and np.isnan(v)) and str(v).strip():
            return "".join(str(v).split())
    return ""


def _header_cells(grid: pd.DataFrame, row: int, names: dict[int, str] | None) -> list[str]:
    cells = grid.iloc[row].tolist()
    if row == 0:
        for col, name in (names or {}).items():
            cells[col] = name
    return [_fold(v) for v in cells]


def _fold(v: object) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    return normalise_header(v)


def classify(grid: pd.DataFrame, header: Header, names: dict[int, str] | None = None) -> pd.Series:
    """Kind of every grid row from the header's end to the sheet's end (index = grid row).
    `names`: grid row 0 of typed number columns (RawSheet.names)."""
    body = grid.iloc[header.data_start :]
    kinds = pd.Series("data", index=body.index, dtype=object)
    if body.empty:
        return kinds
    empty = empty_mask(body)
    kinds[empty.all(axis=1)] = "blank"
    fields = header.by_field()
    ident = [fields[f].index for f in IDENTITY if f in fields]
    label_cols = sorted({*ident, *[c for c in (0, 1) if c < body.shape[1]]})
    texts = _texts(body, empty, label_cols)
    label = _label(body, empty, texts)
    numeric = [c.index for f, c in fields.items() if f not in (*IDENTITY, "community_type", "code")]
    no_numbers = empty[numeric].all(axis=1) if numeric else pd.Series(True, index=body.index)
    open_ = kinds == "data"
    kinds[open_ & _test(label, SUBTOTAL.pattern)] = "subtotal"
    kinds[(kinds == "data") & _test(label, TOTAL.pattern)] = "total"
    # repeated header: an identity cell equal to its own header text
    repeated = pd.Series(False, index=body.index)
    for f in IDENTITY:
        if f in fields:
            col = fields[f]
            heads = {"".join(p.split()) for p in col.header.split(" / ")}
            heads |= {normalise_header(p) for p in heads}
            cells = squash(texts[col.index]).where(~empty[col.index], "")
            repeated |= cells.isin(heads)
    kinds[(kinds == "data") & repeated] = "header"
    # a row without a community name: a repeated header row (printed page breaks repeat the
    # group and unit rows too), or a line of text (a title "（续）", a street heading, a
    # remark under the table) when it has no numbers either. It cannot be a community.
    if "community" in fields:
        col = fields["community"].index
        nameless = (kinds == "data") & empty[col] & ~empty.all(axis=1)
        if nameless.any():
            heads = [_header_cells(grid, h, names) for h in header.rows]
            for row in body.index[nameless.to_numpy()]:
                if [_fold(v) for v in body.loc[row].tolist()] in heads:
                    kinds[row] = "header"
                elif no_numbers[row] and _first_text(body.loc[row]):
                    kinds[row] = "note"
    # notes: judged on the row's first non-empty cell, only for rows that could be notes
    maybe_note = (kinds == "data") & (no_numbers | _test(label, NOTE_RE2, start=True))
    noted = False
    for row in body.index[maybe_note.to_numpy()]:
        text = _first_text(body.loc[row])
        if not text:
            kinds[row] = "blank"  # only white space
        elif NOTE.match(text) or (noted and no_numbers[row]):
            kinds[row] = "note"
            noted = True
    # trailing notes: once a note row is seen, rows without numbers below it are notes too
    if noted:
        first = kinds.index[(kinds == "note").to_numpy()][0]
        tail = (kinds.index > first) & (kinds == "data") & no_numbers & ~empty.all(axis=1)
        kinds[tail] = "note"
    for row in body.index[:3]:
        if kinds[row] == "data" and is_numbering(body.loc[row].tolist()):
            kinds[row] = "header"
    return kinds

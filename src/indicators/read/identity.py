"""Identity columns: district, street, community names, the community type and the code."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from indicators.model.census import TEXT
from indicators.model.fields import Field, normalise_header
from indicators.read.rows import is_text

SAME_AS_ABOVE = frozenset({"同上", "〃", '"', "''", "“", "”", "〃〃", "同前"})


# zero-width characters pasted from web pages and chat apps: invisible, but they make
# "幸福社区\u200b" a different community from "幸福社区"
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def as_text(cells: pd.Series) -> pd.Series:
    """Raw cells -> stripped text as Arrow strings; integral floats lose their ".0" (codes,
    numbered names).

    Each distinct cell is converted once and the result spread back in Arrow (a take): a
    national census repeats a few thousand names (and far fewer districts and streets) over
    600,000 rows, and the Census keeps them as Arrow strings (model.census)."""
    if is_text(cells):  # Arrow text: factorised without a Python object per cell
        codes, distinct = pd.factorize(cells, use_na_sentinel=False)
        return _spread([_cell_text(v) for v in distinct], codes, cells.index)
    arr = cells.to_numpy(dtype=object)
    kinds = set(map(type, arr))
    if kinds <= {str}:
        codes, distinct = pd.factorize(arr)
        return _spread([_str_text(v) for v in distinct], codes, cells.index)
    if bool in kinds or np.bool_ in kinds:  # True == 1 == 1.0 would share one distinct value
        return pd.Series([_cell_text(v) for v in arr], index=cells.index, dtype=TEXT)
    codes, distinct = pd.factorize(arr, use_na_sentinel=False)
    return _spread([_cell_text(v) for v in distinct], codes, cells.index)


def _spread(texts: list[str], codes: np.ndarray, index: pd.Index) -> pd.Series:
    if not len(codes):
        return pd.Series([], index=index, dtype=TEXT)
    return pd.Series(pd.array(texts, dtype=TEXT).take(codes), index=index)


def _str_text(v: str) -> str:
    text = v.strip()
    return INVISIBLE.sub("", text).strip() if INVISIBLE.search(text) else text


def _cell_text(v: object) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return INVISIBLE.sub("", str(v)).strip()


def fill_down(text: pd.Series) -> tuple[pd.Series, pd.Index]:
    """Blank and "same as above" cells take the value above; returns (filled, filled rows)."""
    blank = text.eq("") | text.isin(SAME_AS_ABOVE)
    filled = text.where(~blank).ffill()
    rows = text.index[(blank & filled.notna()).to_numpy()]
    return filled.fillna(""), rows


def category_lookup(field: Field) -> dict[str, str]:
    """Normalised spelling -> category id (e.g. "城市社区" -> "urban")."""
    lookup: dict[str, str] = {}
    for value_id, spellings in field.values.items():
        for s in (value_id, *spellings):
            lookup.setdefault(normalise_header(s), value_id)
    return lookup


def map_categories(text: pd.Series, field: Field) -> tuple[pd.Series, pd.Series]:
    """(category ids with NA, mask of non-empty cells that match no category)."""
    lookup = category_lookup(field)
    codes, distinct = pd.factorize(text, use_na_sentinel=False)
    ids = pd.array([lookup.get(normalise_header(v)) for v in distinct], dtype=TEXT)
    mapped = pd.Series(ids.take(codes) if len(codes) else ids[:0], index=text.index)
    unknown = mapped.isna() & text.ne("")
    return mapped, unknown

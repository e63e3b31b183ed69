"""Identity columns: district, street, community names, the community type and the code."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from indicators.fields import Field, normalise_header

SAME_AS_ABOVE = frozenset({"同上", "〃", '"', "''", "“", "”", "〃〃", "同前"})


# zero-width characters pasted from web pages and chat apps: invisible, but they make
# "幸福社区\u200b" a different community from "幸福社区"
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def as_text(cells: pd.Series) -> pd.Series:
    """Raw cells -> stripped text; integral floats lose their ".0" (codes, numbered names)."""
    arr = cells.to_numpy(dtype=object)
    if set(map(type, arr)) <= {str}:
        text = cells.str.strip()
        if text.str.contains(INVISIBLE).any():
            text = text.str.replace(INVISIBLE, "", regex=True).str.strip()
        return text.astype(object)
    out = np.empty(len(arr), dtype=object)
    for i, v in enumerate(arr):  # identity columns are short strings; this is cheap
        if v is None or (isinstance(v, float) and np.isnan(v)):
            out[i] = ""
        elif isinstance(v, float) and v.is_integer():
            out[i] = str(int(v))
        else:
            out[i] = INVISIBLE.sub("", str(v)).strip()
    return pd.Series(out, index=cells.index, dtype=object)


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
    distinct = {v: lookup.get(normalise_header(v)) for v in pd.unique(text.to_numpy())}
    mapped = text.map(distinct)
    unknown = mapped.isna() & text.ne("")
    return mapped.astype("string"), unknown

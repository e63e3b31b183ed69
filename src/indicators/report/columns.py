"""Cells and columns for renderers: what counts as a number, and texts built once per
distinct value and spread over the rows (a national census has 600k rows per column)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd


def isnum(x: object) -> bool:
    """A real, finite number (not None, NaN, pd.NA or inf)."""
    if x is None or x is pd.NA:
        return False
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def num(x: object) -> float | None:
    return float(x) if isnum(x) else None


def text_or_empty(x: object) -> str:
    """A key or label as text; missing (None, NA, NaN) as ''."""
    if x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)):
        return ""
    return str(x)


def const(value: object, n: int) -> np.ndarray:
    """One shared object n times (np.full would make a new str per element)."""
    out = np.empty(n, dtype=object)
    out.fill(value)
    return out


def factor(values: pd.Series | np.ndarray) -> tuple[np.ndarray, list]:
    """(codes, distinct values) of a column, missing as code -1: a categorical's own codes
    (nothing to hash), anything else factorised."""
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(), values.cat.categories.tolist()
    if not (isinstance(values, np.ndarray) and values.dtype == object):
        values = pd.Series(values)  # numbers stay numbers
    # (Python objects are hashed as they are: a Series would first copy them to Arrow text)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes, uniques.tolist()


def by_codes(codes: np.ndarray, uniques: list, fn) -> np.ndarray:
    """fn applied once per distinct value (missing ones once, as NaN), spread over the rows
    by their codes (`factor`)."""
    texts = [fn(u) for u in uniques] + [fn(float("nan"))]
    return np.asarray(texts, dtype=object)[codes]  # code -1 (missing) takes the last


def by_value(values: np.ndarray, fn) -> np.ndarray:
    """fn applied once per distinct value (missing ones once, as NaN), spread over the rows."""
    return by_codes(*factor(values), fn)


def coded(keys: list[np.ndarray], fn) -> tuple[np.ndarray, list]:
    """Codes of the distinct key tuples, and fn(*key) once per distinct tuple (a missing
    key value as NaN)."""
    codes = np.zeros(len(keys[0]), dtype=np.int64)
    levels = []
    for k in keys:
        c, u = factor(np.asarray(k, dtype=object))
        c = c.astype(np.int64)
        codes = codes * (len(u) + 1) + (c + 1)  # missing (-1) is a value of its own
        levels.append((c, [*u, float("nan")]))  # code -1 takes the last
    codes, firsts = pd.factorize(codes)
    # the first row of each distinct tuple gives its key values
    first_row = np.full(len(firsts), -1, dtype=np.int64)
    order = np.arange(len(codes))[::-1]
    first_row[codes[order]] = order
    values = [[u[c[i]] for c, u in levels] for i in first_row.tolist()]
    return codes, [fn(*v) for v in values]


def key_text(frame: pd.DataFrame, key: str) -> np.ndarray:
    """A key column of a group frame (text, "" for missing, as the engine groups them) as
    Python strings; each distinct name is one string shared by its rows."""
    if key not in frame:
        return const("", len(frame))
    codes, uniques = pd.factorize(frame[key])
    return np.asarray(uniques, dtype=object)[codes] if len(codes) else const("", 0)

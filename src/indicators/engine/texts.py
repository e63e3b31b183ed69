"""Text columns of group rows (status and reason words, "met/computable", summed inputs),
built as pandas' string dtype without a Python string per row."""

from __future__ import annotations

import numpy as np
import pandas as pd

_STR = pd.Series([""], dtype="str").dtype


def text_column(words, codes: np.ndarray):
    """A column of the words `codes` point at, of pandas' string dtype (as a column of
    Python strings would become), built without a Python string per row."""
    if getattr(_STR, "storage", None) == "pyarrow":
        import pyarrow as pa
        from pandas.arrays import ArrowStringArray

        table = pa.array(list(words), type=pa.large_string())
        return ArrowStringArray(table.take(pa.array(codes)), dtype=_STR)
    return pd.array(np.asarray(words, dtype=object)[codes], dtype=_STR)


def fractions(met: np.ndarray, counts: np.ndarray):
    """The text "met/computable" of each group, one text per distinct pair."""
    met = np.asarray(met, dtype=np.int64)
    counts = np.asarray(counts, dtype=np.int64)
    if len(counts) == 0:
        return text_column([""], np.zeros(0, dtype=np.intp))
    lowest = min(int(met.min()), int(counts.min()), 0)
    base = max(int(met.max()), int(counts.max())) - lowest + 1
    pairs, codes = np.unique((met - lowest) * base + (counts - lowest), return_inverse=True)
    words = [f"{int(p // base + lowest)}/{int(p % base + lowest)}" for p in pairs]
    return text_column(words, np.asarray(codes).reshape(-1))


def inputs_text(fields, env, n):
    """ "households=1234; facility_area=5678.5" per group ("%.10g" of each summed input)."""
    if not fields:
        return text_column([""], np.zeros(n, dtype=np.intp))
    if getattr(_STR, "storage", None) != "pyarrow":
        parts = [
            np.char.add(f"{f}=", np.char.mod("%.10g", np.asarray(env[f], dtype=float)))
            for f in fields
        ]
        text = parts[0]
        for p in parts[1:]:
            text = np.char.add(np.char.add(text, "; "), p)
        return pd.array(text.astype(object), dtype=_STR)
    import pyarrow as pa
    import pyarrow.compute as pc
    from pandas.arrays import ArrowStringArray

    parts = [
        pc.binary_join_element_wise(f"{f}=", _g10(np.asarray(env[f], dtype=float)), "")
        for f in fields
    ]
    text = parts[0] if len(parts) == 1 else pc.binary_join_element_wise(*parts, "; ")
    return ArrowStringArray(text.cast(pa.large_string()), dtype=_STR)


def _g10(values: np.ndarray):
    """ "%.10g" % v for every value, as an Arrow string array: whole numbers of up to ten
    digits are written by Arrow (the same digits); other values are formatted one per
    distinct value."""
    import pyarrow as pa

    finite = np.isfinite(values)
    whole = finite.all() and np.array_equal(values, np.trunc(values))
    negative_zero = bool(np.any((values == 0) & np.signbit(values)))
    if whole and not negative_zero and float(np.abs(values).max(initial=0.0)) < 1e10:
        return pa.array(values.astype(np.int64)).cast(pa.string())
    bits, codes = np.unique(values.view(np.int64), return_inverse=True)
    words = pa.array([f"{float(v):.10g}" for v in bits.view(np.float64)], type=pa.string())
    return words.take(pa.array(np.asarray(codes, dtype=np.int64).reshape(-1)))

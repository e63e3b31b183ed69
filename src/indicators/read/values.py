"""Cell values -> numbers, vectorised, with the slow path only for the cells that need it.

The fast path is `pd.to_numeric` over the whole column (clean numbers and numeric text). Cells it
cannot read are grouped by distinct value and each distinct value is parsed once: full-width
digits, thousands separators, percent strings, "万", a unit suffix, missing markers, Excel
error values, dates. Booleans are read by distinct value too (是/否/有/无/√/×/Y/N/1/0...).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators.model.issues import Severity
from indicators.read.rows import arrow_text, is_number, is_text, number_text, numbers_as_text
from indicators.read.units import UNITS
from indicators.read.words import FALSE, MISSING, MISSING_BOOL, NA_TEXTS, TRUE

MAX_MAGNITUDE = 1e15  # the largest number a formula may hold too (indicators.formula.parse)
# a leading apostrophe typed (or exported) to keep a number as text: '1200
TEXT_MARKS = "'’‘`"
YEAR_TEXT = re.compile(
    r"^(\d{4})(?:年(?:\d{1,2}月(?:\d{1,2}日)?)?|[.\-/]\d{1,2}(?:[.\-/]\d{1,2})?)?$"
)
# any four-digit number is taken as a year (plausibility is the plan's business); a date
# serial (43466) or a two-digit year is not
YEARS = (1000, 9999)
EXCEL_ERROR = re.compile(
    r"^(#(DIV/0!|N/A|VALUE!|REF!|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA)|Err:\d{3})$"
)
THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
NUMBER_UNIT = re.compile(r"^([+-]?\d+(?:\.\d+)?)(万)?(.*)$")


@dataclass(frozen=True)
class Problem:
    pos: int  # grid row
    code: str
    severity: Severity
    value: str  # as written


# outcome of parsing one distinct value: (number or nan, scaled by header?, issue code or None)
Parsed = tuple[float, bool, str | None]


def shown(value: object, limit: int = 80) -> str:
    """A cell value as the user sees it, shortened for messages."""
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, dt.datetime) and value.time() == dt.time(0):
        text = value.date().isoformat()
    elif isinstance(value, (dt.date, dt.time)):
        text = value.isoformat()
    else:
        text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fold(value: object) -> str:
    return "".join(unicodedata.normalize("NFKC", str(value)).split())


def parse_number(value: object, field_unit: str | None) -> Parsed:
    """One cell the fast path could not read."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return np.nan, True, "missing-value"
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        return np.nan, True, "date-not-number"
    if isinstance(value, bool):
        return np.nan, True, "not-a-number"
    text = fold(value)
    if text[:1] in TEXT_MARKS and len(text) > 1:
        text = text[1:]
    if text in MISSING or text.lower() in NA_TEXTS:
        return np.nan, True, "missing-value"
    if EXCEL_ERROR.match(text.upper() if text.startswith("#") else text):
        return np.nan, True, "excel-error"
    if text.endswith("%") and field_unit not in (None, "%"):
        return np.nan, True, "not-a-number"  # "80%" where households or 平方米 belong
    if text.endswith("%"):
        number, _, code = parse_number(text[:-1], None)
        return (number / 100, False, None) if code is None else (np.nan, True, "not-a-number")
    if THOUSANDS.match(text):
        text = text.replace(",", "")
    try:
        number = float(text)
    except ValueError:
        pass
    else:  # "-nan", "+NaN", "inf": float() takes them, a census cell must not
        return (number, True, None) if np.isfinite(number) else (np.nan, True, "not-a-number")
    m = NUMBER_UNIT.match(text.replace(",", "") if "," in text else text)
    if m:
        factor = 10_000.0 if m.group(2) else 1.0
        suffix = m.group(3)
        if not suffix:
            return float(m.group(1)) * factor, not m.group(2), None
        unit = UNITS.get(suffix.lower())
        if unit and unit[0] is not None and unit[0] == field_unit:
            return float(m.group(1)) * factor * unit[1], False, None
    return np.nan, True, "not-a-number"


def parse_year(value: object) -> Parsed:
    """A year column: 2019, "2019年", "2019.10", "2019年5月" or a date -> the year."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return np.nan, False, "missing-value"
    if isinstance(value, (dt.date, pd.Timestamp)):
        return float(value.year), False, None
    if isinstance(value, (bool, dt.time, dt.timedelta)):
        return np.nan, False, "not-a-year"
    text = fold(value)
    if text[:1] in TEXT_MARKS and len(text) > 1:
        text = text[1:]
    if text in MISSING or text.lower() in NA_TEXTS:
        return np.nan, False, "missing-value"
    if EXCEL_ERROR.match(text.upper() if text.startswith("#") else text):
        return np.nan, False, "excel-error"
    m = YEAR_TEXT.match(text.removesuffix(".0"))
    if m and YEARS[0] <= int(m.group(1)) <= YEARS[1]:
        return float(m.group(1)), False, None
    return np.nan, False, "not-a-year"  # 43466: a date serial that lost its format


def is_year_field(field_id: str | None) -> bool:
    return bool(field_id) and field_id.endswith("_year")


def parse_boolean(value: object) -> Parsed:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return np.nan, False, "missing-value"
    if isinstance(value, bool):
        return float(value), False, None
    if isinstance(value, (int, float)):
        return (float(value), False, None) if value in (0, 1) else (np.nan, False, "not-a-boolean")
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        return np.nan, False, "not-a-boolean"
    text = fold(value).lower()
    if text in TRUE:
        return 1.0, False, None
    if text in FALSE:
        return 0.0, False, None
    if text in MISSING_BOOL or text in NA_TEXTS:
        return np.nan, False, "missing-value"
    if EXCEL_ERROR.match(text.upper()):
        return np.nan, False, "excel-error"
    return np.nan, False, "not-a-boolean"


SEVERITY = {
    "missing-value": Severity.WARNING,
    "fractional-count": Severity.WARNING,
}


def _by_distinct(raw: pd.Series, parse) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Parse each distinct value once: (numbers, scaled-by-header flags, issue codes)."""
    cells = raw if is_text(raw) else raw.to_numpy(dtype=object)  # Arrow text: factorised there
    index, distinct = pd.factorize(cells, use_na_sentinel=False)
    results = [parse(v) for v in distinct]
    numbers = np.array([r[0] for r in results], dtype=float)[index]
    scaled = np.array([r[1] for r in results], dtype=bool)[index]
    codes = np.array([r[2] for r in results], dtype=object)[index]
    return numbers, scaled, codes


def coerce(
    raw: pd.Series, kind: str, scale: float = 1.0, field_unit: str | None = None
) -> tuple[np.ndarray, list[Problem]]:
    """A column of raw cells -> float64 values and the problems found, cell by cell.

    A column of typed numbers (parquet) is taken as it is: no text, no parse; a missing cell
    is one, as an empty cell of text is. A boolean or year column of numbers is read from the
    numbers' text, the way its cells would read in a workbook."""
    if is_number(raw) and kind in ("boolean", "year"):
        raw = numbers_as_text(raw)
    values = np.full(len(raw), np.nan)
    codes = np.full(len(raw), None, dtype=object)
    if kind in ("boolean", "year"):
        slow = np.ones(len(raw), dtype=bool)
    elif is_number(raw):
        numbers = raw.to_numpy()
        slow = np.isnan(numbers)
        values[~slow] = numbers[~slow] * scale
    elif is_text(raw) and (fast := _text_numbers(raw)) is not None:
        slow = np.isnan(fast)
        values[~slow] = fast[~slow] * scale
    else:
        cells = raw.to_numpy(dtype=object)
        odd = _odd_mask(cells)
        # an ndarray, not a Series: a Series of text would become pandas' Arrow-backed str
        # dtype and be converted back to objects inside to_numeric (twice the work)
        fast = pd.to_numeric(np.where(odd, None, cells) if odd.any() else cells, errors="coerce")
        fast = np.asarray(fast, dtype=float)
        slow = np.isnan(fast)
        values[~slow] = fast[~slow] * scale
    if slow.any():
        part = raw[slow]
        if kind in ("boolean", "year"):
            parse = parse_boolean if kind == "boolean" else parse_year
            numbers, scaled, part_codes = _by_distinct(part, parse)
        else:
            numbers, scaled, part_codes = _by_distinct(part, lambda v: parse_number(v, field_unit))
            numbers = np.where(scaled, numbers * scale, numbers)
        values[slow] = numbers
        codes[slow] = part_codes
    # "inf", "1e309" or a scaled huge number read as infinity: not a count (found by fuzzing;
    # it went on into the sums and ratios as if valid)
    infinite = np.isinf(values)
    if infinite.any():
        values[infinite] = np.nan
        codes[infinite] = "not-a-number"
    # 1e308 is finite but overflows the first sum or product it enters ("not computable" with
    # no reason, numpy warnings on stderr); no census count or area comes near 1e15
    huge = np.abs(values) > MAX_MAGNITUDE
    if huge.any():
        values[huge] = np.nan
        codes[huge] = "number-too-large"
    found = [(i, codes[i]) for i in np.flatnonzero(pd.notna(codes))]
    if kind in ("integer", "number"):
        found += [(i, "negative-value") for i in np.flatnonzero(values < 0)]
    if kind == "integer":
        frac = np.flatnonzero(np.abs(values - np.round(values)) > 1e-9)
        found += [(i, "fractional-count") for i in frac]
    texts = _shown(raw, [i for i, _ in found])
    problems = [
        Problem(int(raw.index[i]), code, SEVERITY.get(code, Severity.ERROR), text)
        for (i, code), text in zip(found, texts, strict=True)
    ]
    return values, problems


def cell_shown(column: pd.Series, row: int, limit: int = 80) -> str:
    """One grid cell as the user sees it: a typed number as the file's text (see
    rows.number_text), anything else as `shown` gives it."""
    if is_number(column):
        return shown(number_text(np.array([column[row]], dtype=np.float64)).to_pylist()[0], limit)
    return shown(column[row], limit)


def _shown(raw: pd.Series, positions: list[int]) -> list[str]:
    """The cells at `positions` as the user sees them ("" for a missing number)."""
    if not positions:
        return []
    if is_number(raw):
        return number_text(raw.to_numpy()[positions]).to_pylist()
    return [shown(raw.iloc[i]) for i in positions]


# plain decimal numbers, the only text Arrow's cast reads the way float() does; anything else
# (full-width digits, "1,200", "80%", "inf") takes the slow path
PLAIN_NUMBER = r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"


def _text_numbers(raw: pd.Series) -> np.ndarray | None:
    """An Arrow text column -> float64 with NaN where a cell is not a plain number, in Arrow;
    None when Arrow refuses (an exponent out of range): the object path reads it then."""
    import pyarrow as pa
    import pyarrow.compute as pc

    cells = arrow_text(raw)
    try:  # a clean column casts as a whole (Arrow's cast reads no more than float() does)
        return pc.cast(cells, pa.float64()).to_numpy(zero_copy_only=False).astype(float)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    plain = pc.fill_null(pc.match_substring_regex(cells, PLAIN_NUMBER), False)
    try:
        numbers = pc.cast(pc.if_else(plain, cells, None), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return numbers.to_numpy(zero_copy_only=False).astype(float, copy=False)


ODD_TYPES = (bool, dt.date, dt.datetime, dt.time, dt.timedelta, pd.Timestamp)


def _odd_mask(cells: np.ndarray) -> np.ndarray:
    """Cells `to_numeric` must not see: booleans and dates are reported, not converted."""
    if not set(map(type, cells)).intersection(ODD_TYPES):
        return np.zeros(len(cells), dtype=bool)
    return np.fromiter((isinstance(v, ODD_TYPES) for v in cells), bool, len(cells))

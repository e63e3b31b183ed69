"""Census levels above the community: the street (街道/乡镇) and the district (区县).

A census may carry one sheet per level, one row per unit, for facts of the unit itself (a
street office's own teams, a district's own service centre). The reader fills them in and
the engine judges them; both name a unit the same way, with `unit_keys`.
"""

from __future__ import annotations

import unicodedata

import pandas as pd

from indicators.model.census import Census

LEVELS = ("street", "district")
# Identity columns a level sheet keeps beside its unit (a street is named in its district).
PARENTS = {"street": ("district",), "district": ()}


def level_rows(census: Census, level: str) -> tuple[pd.DataFrame | None, list]:
    """(rows, origin) of the census's street or district sheet."""
    if level == "street":
        return census.streets, census.street_origin
    return census.districts, census.district_origin


def fold(name: object) -> str:
    """A unit's name as compared: NFKC, white space removed, missing as ""."""
    if name is None or name is pd.NA or (isinstance(name, float) and name != name):
        return ""
    return "".join(unicodedata.normalize("NFKC", str(name)).split())


def unit_keys(rows: pd.DataFrame, level: str, by_parent: bool = True) -> list[tuple[str, ...]]:
    """Each row's unit as a key: (district, street) or (district,); (street,) alone when
    `by_parent` is False (a street sheet that names no districts)."""
    columns = [*PARENTS[level], level] if by_parent else [level]
    return [
        tuple(fold(v) for v in values) for values in zip(*(rows[c] for c in columns), strict=True)
    ]


def names_parents(rows: pd.DataFrame, level: str) -> bool:
    """Whether a level sheet names the units' parents (a street sheet with its districts)."""
    return all((rows[p].astype(str).str.strip() != "").any() for p in PARENTS[level])

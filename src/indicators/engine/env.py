"""The census's numeric fields as float64 columns, and facts shared by every indicator."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from indicators.model.census import Census


def column(frame: pd.DataFrame, field_id: str) -> np.ndarray:
    """A numeric field as float64; a column the census lacks is all missing."""
    if field_id in frame.columns:
        return pd.to_numeric(frame[field_id], errors="coerce").to_numpy(dtype="float64")
    return np.full(len(frame), np.nan)


class Env(dict):
    """Field id -> float64 column, built on first use. The group numbers of each level are
    the census's own (`Census.grouping`): computed once per census, whatever evaluates it."""

    def __init__(self, census: Census) -> None:
        super().__init__()
        self.census = census
        self.frame = census.frame
        self.cache: dict = {}  # masks and facts shared by every indicator

    def __missing__(self, key: str) -> np.ndarray:
        value = column(self.frame, key)
        self[key] = value
        return value

    def types_missing(self) -> np.ndarray:
        """Rows without a community type (all rows when the census has no such column)."""
        if "_types_missing" not in self.cache:
            frame = self.frame
            if "community_type" in frame:
                missing = frame["community_type"].isna().to_numpy(dtype=bool)
            else:
                missing = np.ones(len(frame), dtype=bool)
            self.cache["_types_missing"] = missing
        return self.cache["_types_missing"]

    def type_is(self, kind: str) -> np.ndarray:
        """Rows whose community type is `kind` (a missing type is not)."""
        key = ("type", kind)
        if key not in self.cache:
            frame = self.frame
            if "community_type" in frame:
                mask = (frame["community_type"] == kind).fillna(False).to_numpy(dtype=bool)
            else:
                mask = np.zeros(len(frame), dtype=bool)
            self.cache[key] = mask
        return self.cache[key]

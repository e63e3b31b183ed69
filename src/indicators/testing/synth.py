"""Seeded synthetic censuses: the shipped samples, test data and benchmark inputs.

The generator draws every field a plan needs from the vocabulary's `sample` hints, with the
relations real sheets have (population follows households, facility area scales with
households). A few communities are made not computable on purpose (a zero denominator, a
blank cell) so samples exercise every status. Same seed, same census.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from indicators.model.fields import Field, Vocabulary
from indicators.plan.model import Plan

DISTRICTS = {
    "hengshui": ["桃城区", "冀州区", "枣强县", "武邑县", "深州市", "武强县", "饶阳县", "安平县"],
    "yangquan": ["城区"],
    "yantai": ["芝罘区", "福山区", "牟平区", "莱山区", "蓬莱区"],
    "songjiang": ["松江区"],
    "nantong": ["崇川区", "港闸区", "通州区", "海门市", "启东市", "如皋市"],
}
# Plans written for one street (a 街道's own 实施意见) get that street and no other.
STREETS = {"songjiang": ["中山街道"]}
_SYLLABLES = list(
    "东西南北中新华兴和平安康乐福寿永宁建民光明春秋文化胜利友谊幸福丰园湖山河桥泉林松竹梅兰"
)


def _names(rng: np.random.Generator, n: int, suffix: str, taken: set[str]) -> list[str]:
    out = []
    size, misses = 2, 0
    while len(out) < n:
        name = "".join(rng.choice(_SYLLABLES, size=size)) + suffix
        if name not in taken:
            taken.add(name)
            out.append(name)
            misses = 0
        else:
            misses += 1
            if misses > 50:  # two-character names are running out: use longer ones
                size, misses = size + 1, 0
    return out


def generate_frame(
    plan: Plan, n_communities: int, *, seed: int = 2021, rural_share: float = 0.45
) -> pd.DataFrame:
    """A clean census frame (canonical columns) for `plan` with `n_communities` rows."""
    rng = np.random.default_rng(seed)
    place = plan.id.split("-")[0]
    districts = DISTRICTS.get(place, ["城东区", "城西区", "开发区"])
    taken: set[str] = set()
    fixed_streets = STREETS.get(place)
    if fixed_streets:
        n_streets = len(fixed_streets)
        street_names = [s.removesuffix("街道") for s in fixed_streets]
    else:
        n_streets = min(n_communities, max(2 * len(districts), n_communities // 12))
        street_names = _names(rng, n_streets, "", taken)
    street_district = rng.integers(0, len(districts), n_streets)
    street_district[: len(districts)] = np.arange(min(len(districts), n_streets))
    street_rural = rng.random(n_streets) < rural_share
    street_of = np.sort(rng.integers(0, n_streets, n_communities))
    street_of[:n_streets] = np.arange(min(n_streets, n_communities))
    street_of.sort()
    mixed = 0.1 if 0 < rural_share < 1 else 0.0  # a few villages under urban streets
    rural = street_rural[street_of] ^ (rng.random(n_communities) < mixed)
    community_names = _unique_names(rng, n_communities, rural, taken)
    frame = pd.DataFrame(
        {
            "district": [districts[street_district[s]] for s in street_of],
            "street": [street_names[s] + ("镇" if street_rural[s] else "街道") for s in street_of],
            "community": community_names,
            "community_type": np.where(rural, "rural", "urban"),
        }
    )
    households = rng.integers(300, 4000, n_communities).astype(float)
    households = np.where(rural, np.round(households * 0.5), households)
    frame["households"] = households
    frame["population"] = np.round(households * rng.uniform(2.3, 3.1, n_communities))
    frame["urban_population"] = np.where(rural, 0.0, frame["population"])
    frame["building_area"] = np.round(households * rng.uniform(80, 110, n_communities))
    for f in _needed_fields(plan):
        if f.id in frame.columns:
            continue
        frame[f.id] = _draw(f, rng, households, n_communities)
    return frame


def _unique_names(rng, n, rural, taken) -> list[str]:
    urban_names = iter(_names(rng, int((~rural).sum()), "社区", taken))
    rural_names = iter(_names(rng, int(rural.sum()), "村", taken))
    return [next(rural_names) if r else next(urban_names) for r in rural]


def _needed_fields(plan: Plan, level: str = "community") -> list[Field]:
    vocab: Vocabulary = plan.vocabulary
    ids = sorted(plan.required_fields())
    return [
        vocab[i]
        for i in ids
        if i in vocab and vocab[i].type not in ("text", "category") and vocab[i].level == level
    ]


def generate_streets(plan: Plan, frame: pd.DataFrame, *, seed: int = 5) -> pd.DataFrame | None:
    """The street sheet for `frame`: one row per street with the street-level fields the
    plan needs (None when it needs none). A separate random stream, so adding street facts
    to a plan leaves its community rows as they were."""
    return _level_rows(plan, frame, "street", ["district", "street"], seed)


def generate_districts(plan: Plan, frame: pd.DataFrame, *, seed: int = 7) -> pd.DataFrame | None:
    """The district sheet for `frame`: one row per district with the district-level fields
    the plan needs (None when it needs none); its own random stream, like the streets'."""
    return _level_rows(plan, frame, "district", ["district"], seed)


def _level_rows(plan: Plan, frame: pd.DataFrame, level: str, keys: list[str], seed: int):
    fields = _needed_fields(plan, level)
    if not fields:
        return None
    rng = np.random.default_rng(seed)
    rows = frame[keys].drop_duplicates(ignore_index=True)
    n = len(rows)
    for f in fields:
        rows[f.id] = _draw(f, rng, np.full(n, 100.0), n)
    return rows


def _draw(f: Field, rng: np.random.Generator, households: np.ndarray, n: int) -> np.ndarray:
    hint = f.sample
    if f.type == "boolean":
        p = float(hint) if isinstance(hint, (int, float)) else 0.8
        return (rng.random(n) < p).astype(float)
    if isinstance(hint, dict) and "per_100_households" in hint:
        low, high = hint["per_100_households"]
        values = households / 100.0 * rng.uniform(low, high, n)
    elif isinstance(hint, (list, tuple)) and len(hint) == 2:
        values = rng.uniform(hint[0], hint[1], n)
    else:
        values = rng.uniform(0, 20, n)
    if f.type == "integer":
        return np.floor(values + 0.5)
    return np.round(values, 1)


def add_edge_cases(frame: pd.DataFrame, plan: Plan, seed: int = 7) -> pd.DataFrame:
    """Make a few communities not computable: a zero denominator and blank cells."""
    rng = np.random.default_rng(seed)
    frame = frame.copy()
    n = len(frame)
    if n < 10:
        return frame
    rows = rng.choice(n, size=3, replace=False)
    if "households" in frame:
        frame.loc[rows[0], "households"] = 0.0  # a new community with nobody moved in yet
    numeric = [
        c
        for c in frame.columns
        if c not in ("district", "street", "community", "community_type", "households")
    ]
    if numeric:
        frame.loc[rows[1], numeric[0]] = np.nan
    if "facility_area" in frame:
        frame.loc[rows[2], "facility_area"] = np.nan
    return frame


def evolve(frame: pd.DataFrame, plan: Plan, years: int, *, seed: int = 11) -> pd.DataFrame:
    """The same communities `years` later: growth toward the targets, with noise."""
    rng = np.random.default_rng(seed + years)
    out = frame.copy()
    vocab = plan.vocabulary
    for col in out.columns:
        f = vocab.get(col)
        if f is None or f.type in ("text", "category") or col.endswith("_year"):
            continue  # a year a facility was built does not grow
        values = out[col].to_numpy(dtype=float)
        if f.type == "boolean":
            flip = rng.random(len(out)) < 0.12 * years
            out[col] = np.where(np.isnan(values), values, np.maximum(values, flip.astype(float)))
        elif col in ("households", "population", "urban_population", "building_area"):
            out[col] = np.round(values * (1 + 0.01 * years))
        else:
            growth = (1 + rng.uniform(0.02, 0.10, len(out))) ** years
            grown = values * growth
            out[col] = np.floor(grown + 0.5) if f.type == "integer" else np.round(grown, 1)
    return out


def header_for(f: Field) -> str:
    return f"{f.name_zh}（{f.unit}）" if f.unit else f.name_zh


def to_sheet_frame(frame: pd.DataFrame, vocab: Vocabulary) -> pd.DataFrame:
    """Canonical frame -> what a street office's sheet looks like: Chinese headers with
    units, 城市/农村, 是/否."""
    out = pd.DataFrame(index=frame.index)
    for col in frame.columns:
        f = vocab.get(col)
        values = frame[col]
        if col == "community_type":
            values = values.map({"urban": "城市", "rural": "农村"})
        elif f is not None and f.type == "boolean":
            values = values.map({1.0: "是", 0.0: "否"})
        elif f is not None and f.type == "integer":
            values = values.astype("Int64")
        out[header_for(f) if f else col] = values
    return out


def write_xlsx(
    frame: pd.DataFrame,
    vocab: Vocabulary,
    path: Path,
    *,
    title: str | None = None,
    sheet: str = "社区基本情况",
    notes: list[str] | None = None,
    streets: pd.DataFrame | None = None,
    street_sheet: str = "街道情况",
    districts: pd.DataFrame | None = None,
    district_sheet: str = "区县情况",
) -> None:
    """Write a census like a street office would: optional title row, header, data, notes;
    and the street sheet (one row per 街道/乡镇) when `streets` is given, the district sheet
    (one row per 区县) when `districts` is."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    wb.set_properties({"created": datetime(2024, 1, 1)})  # same seed, same bytes
    bold = wb.add_format({"bold": True})
    _write_sheet(wb, wb.add_worksheet(sheet), to_sheet_frame(frame, vocab), bold, title, notes)
    if streets is not None:
        street_title = f"{title}（街道/乡镇）" if title else None
        sheet_frame = to_sheet_frame(streets, vocab)
        _write_sheet(wb, wb.add_worksheet(street_sheet), sheet_frame, bold, street_title, None)
    if districts is not None:
        district_title = f"{title}（区县）" if title else None
        sheet_frame = to_sheet_frame(districts, vocab)
        _write_sheet(wb, wb.add_worksheet(district_sheet), sheet_frame, bold, district_title, None)
    wb.close()


def _write_sheet(wb, ws, sheet_frame: pd.DataFrame, bold, title, notes) -> None:
    row = 0
    if title:
        ws.write_string(row, 0, title, bold)
        row += 1
    for c, header in enumerate(sheet_frame.columns):
        ws.write_string(row, c, str(header), bold)
    row += 1
    columns = [sheet_frame[c].to_numpy(dtype=object) for c in sheet_frame.columns]
    for r in range(len(sheet_frame)):
        for c, col in enumerate(columns):
            v = col[r]
            if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
                continue
            if isinstance(v, str):
                ws.write_string(row, c, v)
            else:
                ws.write_number(row, c, float(v))
        row += 1
    for note in notes or []:
        ws.write_string(row, 0, note)
        row += 1


def write_csv(
    frame: pd.DataFrame, vocab: Vocabulary, path: Path, encoding: str = "utf-8-sig"
) -> None:
    to_sheet_frame(frame, vocab).to_csv(path, index=False, encoding=encoding)

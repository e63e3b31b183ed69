"""Which year each census file is for (options, the census's year column, or the file name),
and `YearInput`: one census with its year."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from indicators.model.errors import UsageError, said
from indicators.plan.model import Plan

if TYPE_CHECKING:
    from indicators.engine.results import Results
    from indicators.model.census import Census

YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


@dataclass
class YearInput:
    year: int
    census: Census
    results: Results | None = None


def year_from_name(path: Path, plan: Plan | None = None) -> int | None:
    """A 4-digit year (19xx/20xx) in the file name, ignoring the plan id and period.

    Raises UsageError when the name holds several different years.
    """
    name = path.stem
    if plan is not None:
        name = name.replace(plan.id, " ")
        a, b = plan.period
        name = re.sub(rf"{a}\s*[-–—~至到]\s*{b}", " ", name)
    found = sorted({int(m) for m in YEAR_RE.findall(name)})
    if len(found) > 1:
        raise UsageError(
            said("years.several", file=path.name, years=", ".join(map(str, found))),
            hint=said("years.several_hint", file=path.name),
        )
    return found[0] if found else None


def parse_year_of(pairs: list[str] | None, paths: list[Path]) -> dict[Path, int]:
    """--year-of FILE=YEAR (repeatable); FILE may be the path as given or its name."""
    out: dict[Path, int] = {}
    for pair in pairs or []:
        name, sep, year = pair.rpartition("=")
        if not sep or not name.strip():
            raise UsageError(said("years.year_of_pair", got=repr(pair)))
        matches = [p for p in paths if str(p) == name.strip() or p.name == name.strip()]
        if not matches:
            raise UsageError(said("years.year_of_unknown", pair=pair, file=name.strip()))
        for p in matches:
            out[p] = _year(year, f"--year-of {pair}")
    return out


def parse_years(text: str | None, paths: list[Path]) -> dict[Path, int]:
    """--years 2021,2022,2023: one year per file, in the order the files are given."""
    if not text:
        return {}
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) != len(paths):
        raise UsageError(said("years.count", years=len(parts), files=len(paths)))
    return {p: _year(y, f"--years {text}") for p, y in zip(paths, parts, strict=True)}


def _year(text: str, where: str) -> int:
    text = text.strip()
    if not re.fullmatch(r"(19|20)\d{2}", text):
        raise UsageError(said("years.not_a_year", where=where, got=repr(text)))
    return int(text)


def resolve_years(
    paths: list[Path],
    given: dict[Path, int],
    census_years: dict[Path, int | None] | None = None,
    plan: Plan | None = None,
) -> dict[Path, int]:
    """The year of each file: from the options, else the census's year column, else the name.

    Raises UsageError naming the file when no year can be told, and when two files are of
    the same year.
    """
    census_years = census_years or {}
    out: dict[Path, int] = {}
    for path in paths:
        year = given.get(path) or census_years.get(path) or year_from_name(path, plan)
        if year is None:
            raise UsageError(
                said("years.unknown", path=path), hint=said("years.unknown_hint", file=path.name)
            )
        out[path] = year
    seen: dict[int, Path] = {}
    for path, year in out.items():
        if year in seen:
            raise UsageError(
                said("years.twice", first=seen[year], second=path, year=year),
                hint=said("years.twice_hint"),
            )
        seen[year] = path
    return out

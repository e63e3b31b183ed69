"""Which year each census file is for (options, the census's year column, or the file name),
and `YearInput`: one census with its year."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from indicators.model.errors import UsageError
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
            f"{path.name}: the file name holds several years ({', '.join(map(str, found))}); "
            "cannot tell which year this census is for",
            hint=f"give it with --year-of {path.name}=YEAR",
        )
    return found[0] if found else None


def parse_year_of(pairs: list[str] | None, paths: list[Path]) -> dict[Path, int]:
    """--year-of FILE=YEAR (repeatable); FILE may be the path as given or its name."""
    out: dict[Path, int] = {}
    for pair in pairs or []:
        name, sep, year = pair.rpartition("=")
        if not sep or not name.strip():
            raise UsageError(f'--year-of expects "FILE=YEAR", e.g. census.xlsx=2023; got {pair!r}')
        matches = [p for p in paths if str(p) == name.strip() or p.name == name.strip()]
        if not matches:
            raise UsageError(f"--year-of {pair}: {name.strip()} is not one of the census files")
        for p in matches:
            out[p] = _year(year, f"--year-of {pair}")
    return out


def parse_years(text: str | None, paths: list[Path]) -> dict[Path, int]:
    """--years 2021,2022,2023: one year per file, in the order the files are given."""
    if not text:
        return {}
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) != len(paths):
        raise UsageError(
            f"--years gives {len(parts)} years for {len(paths)} census files; give one per file, "
            "in the same order"
        )
    return {p: _year(y, f"--years {text}") for p, y in zip(paths, parts, strict=True)}


def _year(text: str, where: str) -> int:
    text = text.strip()
    if not re.fullmatch(r"(19|20)\d{2}", text):
        raise UsageError(f"{where}: {text!r} is not a year like 2023")
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
                f"{path}: cannot tell which year this census is for (no --year-of, no year "
                "column, no year in the file name)",
                hint=f"give it with --year-of {path.name}=2023, or --years in file order",
            )
        out[path] = year
    seen: dict[int, Path] = {}
    for path, year in out.items():
        if year in seen:
            raise UsageError(
                f"{seen[year]} and {path} are both for {year}; give one census per year",
                hint="check the file names or --year-of",
            )
        seen[year] = path
    return out

"""Completeness against the roster: who should have reported, and who did.

`load_roster(path)` reads the expected communities; `compare_roster(census, roster)` pairs
them with the census rows (codes first, then names) and returns a `RosterComparison` with the
coverage and its findings as DataIssues; `roster_from_census` and `write_roster` seed a roster
from a census the planner trusts.
"""

from indicators.roster.compare import RosterComparison, compare_roster
from indicators.roster.model import Roster, load_roster, roster_from_census, write_roster

__all__ = [
    "Roster",
    "RosterComparison",
    "compare_roster",
    "load_roster",
    "roster_from_census",
    "write_roster",
]

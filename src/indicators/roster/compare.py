"""Compare a census with its roster: who did not report, who is not listed, who is misfiled.

Census rows and roster entries are paired in passes, strongest key first:
  1. the 12-digit code, where both sides give the same valid code once (a renamed community
     still pairs; the new name is reported as code-name-mismatch, a moved one as misfiled);
  2. district + street + community name (a different code on the two sides: code-differs);
  3. district + name, then name alone, when unique among what is left and the two sides do
     not give different codes: the community reported under the wrong street or district.
What is left is missing-community (roster) or unexpected-community (census). All findings
are warnings: the figures can still be computed, but the planner should look.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from indicators.model.census import Census
from indicators.model.i18n import t
from indicators.model.issues import DataIssue
from indicators.roster.model import Roster, valid_code
from indicators.roster.side import Side, check_codes


@dataclass(frozen=True)
class Pair:
    census: int  # index into the census side
    roster: int  # index into the roster side
    by: str  # code | name | district-name | name-only


@dataclass
class RosterComparison:
    census: Side
    roster: Side
    pairs: list[Pair] = field(default_factory=list)
    issues: list[DataIssue] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)  # roster indexes
    unexpected: list[int] = field(default_factory=list)  # census indexes

    @property
    def expected(self) -> int:
        """Communities on the roster."""
        return len(self.roster)

    @property
    def reported(self) -> int:
        """Community rows in the census."""
        return len(self.census)

    @property
    def matched(self) -> int:
        """Roster communities found in the census (misfiled ones included)."""
        return len(self.pairs)

    @property
    def share(self) -> float:
        return 100.0 * self.matched / self.expected if self.expected else 0.0

    def coverage(self, lang: str = "zh") -> str:
        """'395 of 400 communities reported (98.8%); 5 missing, 2 not on the roster'."""
        text = t(
            "roster.coverage",
            lang,
            matched=self.matched,
            expected=self.expected,
            share=f"{self.share:.1f}".rstrip("0").rstrip("."),
        )
        details = []
        if self.missing:
            details.append(t("roster.coverage.missing", lang, n=len(self.missing)))
        if self.unexpected:
            details.append(t("roster.coverage.unexpected", lang, n=len(self.unexpected)))
        misfiled = sum(1 for i in self.issues if i.code == "misfiled-community")
        if misfiled:
            details.append(t("roster.coverage.misfiled", lang, n=misfiled))
        if not details:
            return text
        return text + t("roster.coverage.sep", lang) + t("roster.coverage.join", lang).join(details)

    def by_code(self, code: str) -> list[DataIssue]:
        return [i for i in self.issues if i.code == code]

    def missing_labels(self) -> list[str]:
        return [self.roster.label(i) for i in self.missing]

    def unexpected_labels(self) -> list[str]:
        return [self.census.label(i) for i in self.unexpected]

    def to_dict(self, lang: str = "zh") -> dict:
        return {
            "roster": self.roster.file,
            "expected": self.expected,
            "reported": self.reported,
            "matched": self.matched,
            "coverage": self.coverage(lang),
            "missing": self.missing_labels(),
            "unexpected": self.unexpected_labels(),
            "issues": [i.to_dict(lang) for i in self.issues],
        }


def compare_roster(census: Census, roster: Roster) -> RosterComparison:
    """Pair the census's communities with the roster's and report every difference."""
    c, r = Side.of_census(census), Side.of_roster(roster)
    result = RosterComparison(c, r)
    # District and street only count when both sides name them.
    levels = [lvl for lvl in (0, 1) if c.has(lvl) and r.has(lvl)]
    c_left, r_left = set(range(len(c))), set(range(len(r)))

    def pair(ci: int, ri: int, by: str) -> None:
        result.pairs.append(Pair(ci, ri, by))
        c_left.discard(ci)
        r_left.discard(ri)

    # 1. codes
    roster_codes = r.usable_codes()
    for code, ci in c.usable_codes().items():
        if code in roster_codes:
            pair(ci, roster_codes[code], "code")

    # 2. full name key (only the levels both sides give)
    def key(side: Side, i: int, parts: tuple[int, ...]) -> tuple[str, ...]:
        return tuple(side.keys[i][p] for p in parts)

    full = (*levels, 2)
    waiting: dict[tuple, list[int]] = {}
    for ri in sorted(r_left):
        waiting.setdefault(key(r, ri, full), []).append(ri)
    for ci in sorted(c_left):
        candidates = waiting.get(key(c, ci, full))
        if candidates:
            pair(ci, candidates.pop(0), "name")
    # 3. the name under the right district only, then the name alone
    for parts, by in (((0, 2), "district-name"), ((2,), "name-only")):
        if not set(parts) - {2} <= set(levels) or parts == full:
            continue
        c_keys = Counter(key(c, i, parts) for i in c_left)
        r_keys = Counter(key(r, i, parts) for i in r_left)
        r_index = {key(r, i, parts): i for i in r_left}
        for ci in sorted(c_left):
            k = key(c, ci, parts)
            if c_keys[k] == 1 and r_keys.get(k) == 1:
                ri = r_index[k]
                if not _codes_differ(c, ci, r, ri):
                    pair(ci, ri, by)
    result.missing = sorted(r_left)
    result.unexpected = sorted(c_left)
    result.pairs.sort(key=lambda p: p.census)
    result.issues = _findings(result, levels)
    return result


def _codes_differ(c: Side, ci: int, r: Side, ri: int) -> bool:
    a, b = c.code[ci], r.code[ri]
    return valid_code(a) and valid_code(b) and a != b


def _findings(result: RosterComparison, levels: list[int]) -> list[DataIssue]:
    c, r = result.census, result.roster
    roster_issues = r.roster.issues if r.roster else []
    issues = [*roster_issues, *check_codes(r), *check_codes(c)]
    for p in result.pairs:
        ci, ri = p.census, p.roster
        if p.by == "code" and c.keys[ci][2] != r.keys[ri][2]:
            issues.append(
                c.issue(
                    "code-name-mismatch",
                    ci,
                    "community",
                    value=c.community[ci],
                    expected=r.community[ri],
                    code=c.code[ci],
                )
            )
        if p.by == "name" and _codes_differ(c, ci, r, ri):
            issues.append(
                c.issue(
                    "code-differs",
                    ci,
                    "code",
                    value=c.code[ci],
                    expected=r.code[ri],
                    community=c.community[ci],
                )
            )
        wrong = [lvl for lvl in levels if c.keys[ci][lvl] != r.keys[ri][lvl]]
        if wrong:
            issues.append(
                c.issue(
                    "misfiled-community",
                    ci,
                    "district" if 0 in wrong else "street",
                    value=c.place(ci),
                    expected=r.place(ri),
                    community=c.community[ci],
                    matched_by=p.by,
                )
            )
    for ri in result.missing:
        # no census cell to name: the roster's own cell says where it is listed
        issues.append(r.issue("missing-community", ri, "community", value=r.label(ri)))
    for ci in result.unexpected:
        issues.append(c.issue("unexpected-community", ci, "community", value=c.label(ci)))
    return issues

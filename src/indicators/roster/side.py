"""One side of a roster comparison (the census, or the roster) as plain lists, with locations.

Both sides are a Census frame underneath, so a finding on either can name its cell: census
cells as the census reader gives them, roster cells as `[名册.xlsx]Sheet1!C5`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from indicators.model.census import Census
from indicators.model.issues import DataIssue, Severity
from indicators.roster.model import Roster, norm_code, norm_name, valid_code

DISTRICT_DIGITS = 6  # province 2 + city 2 + county 2
STREET_DIGITS = 9  # + town/street 3


@dataclass
class Side:
    census: Census
    positions: list[int]
    file: str
    roster: Roster | None = None  # set for the roster side
    district: list[str] = field(default_factory=list)  # as written
    street: list[str] = field(default_factory=list)
    community: list[str] = field(default_factory=list)
    code: list[str] = field(default_factory=list)  # folded; "" when not given
    keys: list[tuple[str, str, str]] = field(default_factory=list)  # normalised names

    @classmethod
    def of_census(cls, census: Census) -> Side:
        return cls._build(census, list(range(len(census.frame))), str(census.source.path), None)

    @classmethod
    def of_roster(cls, roster: Roster) -> Side:
        file = str(roster.path or roster.name)
        return cls._build(roster.census, list(roster.positions), file, roster)

    @classmethod
    def _build(cls, census: Census, positions: list[int], file: str, roster) -> Side:
        side = cls(census, positions, file, roster)
        frame = census.frame
        for col, out in (
            ("district", side.district),
            ("street", side.street),
            ("community", side.community),
        ):
            values = frame[col].tolist() if col in frame else [""] * len(frame)
            out.extend(
                "" if norm_name(values[p]) == "" else str(values[p]).strip() for p in positions
            )
        codes = frame["code"].tolist() if "code" in frame else [""] * len(frame)
        side.code = [norm_code(codes[p]) for p in positions]
        side.keys = [
            (norm_name(d), norm_name(s), norm_name(c))
            for d, s, c in zip(side.district, side.street, side.community, strict=True)
        ]
        return side

    def __len__(self) -> int:
        return len(self.positions)

    def has(self, level: int) -> bool:
        """Whether any row names its district (0) or street (1)."""
        return any(k[level] for k in self.keys)

    def where(self, i: int, field_id: str) -> tuple[str | None, str]:
        sheet, cell = self.census.locate(self.positions[i], field_id)
        if self.roster is not None:
            sheet = self.roster.sheet_label(sheet)
        return sheet, cell

    def label(self, i: int, with_code: bool = True) -> str:
        names = " / ".join(x for x in (self.district[i], self.street[i], self.community[i]) if x)
        return f"{names} ({self.code[i]})" if with_code and self.code[i] else names

    def place(self, i: int) -> str:
        """District / street, as written."""
        return " / ".join(x for x in (self.district[i], self.street[i]) if x) or "—"

    def issue(self, kind: str, i: int, field_id: str, /, **kw) -> DataIssue:
        """A warning of this kind at row i's cell of field_id; other keywords become params."""
        sheet, cell = self.where(i, field_id)
        fixed = {k: kw.pop(k) for k in ("header", "value", "expected") if k in kw}
        return DataIssue(kind, Severity.WARNING, self.file, sheet, cell, params=kw, **fixed)

    def usable_codes(self) -> dict[str, int]:
        """Valid codes that occur once on this side -> row index (the keys for matching)."""
        counts = Counter(c for c in self.code if valid_code(c))
        return {c: i for i, c in enumerate(self.code) if c and counts[c] == 1}


def check_codes(side: Side) -> list[DataIssue]:
    """code-invalid, duplicate-code and code-mismatch findings for one side."""
    issues: list[DataIssue] = []
    first: dict[str, int] = {}
    for i, code in enumerate(side.code):
        if not code:
            continue
        if not valid_code(code):
            issues.append(side.issue("code-invalid", i, "code", value=code))
            continue
        if code in first:
            sheet, cell = side.where(first[code], "code")
            here = side.where(i, "code")[0]
            other = cell if sheet == here else f"{sheet}!{cell}"
            issues.append(side.issue("duplicate-code", i, "code", value=code, other=other))
        else:
            first[code] = i
    issues.extend(_prefix_mismatches(side))
    return issues


def _prefix_mismatches(side: Side) -> list[DataIssue]:
    """Codes whose district (6 digits) or street (9 digits) prefix differs from the one the
    other communities of the same district or street share. A group with no single most common
    prefix (say one code against one) is not judged: which one is wrong cannot be told.
    """
    issues: list[DataIssue] = []
    flagged: set[int] = set()
    for level, digits in ((0, DISTRICT_DIGITS), (1, STREET_DIGITS)):
        groups: dict[tuple[str, ...], list[int]] = {}
        for i, code in enumerate(side.code):
            key = side.keys[i][: level + 1]
            if valid_code(code) and key[-1] and i not in flagged:
                groups.setdefault(key, []).append(i)
        for rows in groups.values():
            counts = Counter(side.code[i][:digits] for i in rows).most_common()
            if len(counts) < 2 or counts[0][1] == counts[1][1]:
                continue
            prefix = counts[0][0]
            for i in rows:
                if side.code[i][:digits] != prefix:
                    flagged.add(i)
                    unit = side.district[i] if level == 0 else side.place(i)
                    issues.append(
                        side.issue(
                            "code-mismatch",
                            i,
                            "code",
                            value=side.code[i],
                            expected=prefix,
                            unit=unit,
                            community=side.community[i],
                        )
                    )
    return issues

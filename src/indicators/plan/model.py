"""The plan model: a planning document's targets, as typed, validated records."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from indicators.formula.parse import Formula
from indicators.model.fields import Field, Vocabulary

if TYPE_CHECKING:
    import numpy as np

LEVELS = ("community", "street", "district", "city")
SCOPES = ("all", "urban", "rural")
AGGREGATES = ("ratio", "share", "count", "sum", "mean")
OPS = (">=", ">", "<=", "<", "==", "range", "about")
# Extensive aggregates add up across units, so a target set for one level says nothing
# about the level above (a per-street count is not a per-district count).
EXTENSIVE = ("count", "sum")


@dataclass(frozen=True)
class Target:
    op: str
    value: float | None = None
    min: float | None = None
    max: float | None = None
    tolerance: float | None = None
    year: int | None = None
    # A stage of a staged target ("每300户…逐步提高到200户"): its label as printed, and the
    # formula (and unit) when the stage restates the standard rather than raising a number.
    stage: str | None = None
    formula: Formula | None = field(default=None, compare=False)
    unit: str | None = None

    @property
    def bounds(self) -> tuple[float, float, bool, bool]:
        """(low, high, low_strict, high_strict): every target is an interval."""
        v = self.value
        if self.op == ">=":
            return v, math.inf, False, False
        if self.op == ">":
            return v, math.inf, True, False
        if self.op == "<=":
            return -math.inf, v, False, False
        if self.op == "<":
            return -math.inf, v, False, True
        if self.op == "==":
            return v, v, False, False
        if self.op == "range":
            return self.min, self.max, False, False
        tol = self.effective_tolerance
        return v - tol, v + tol, False, False

    @property
    def effective_tolerance(self) -> float:
        if self.tolerance is not None:
            return self.tolerance
        return abs(self.value or 0) * 0.10

    @property
    def headline(self) -> float:
        """One number to plot or compare progress against."""
        if self.op == "range":
            return self.min
        return self.value

    @property
    def wants_increase(self) -> bool | None:
        """True for at-least targets, False for at-most, None for ranges and exact values."""
        if self.op in (">=", ">"):
            return True
        if self.op in ("<=", "<"):
            return False
        return None

    def text(self) -> str:
        if self.op == "range":
            return f"{_num(self.min)}–{_num(self.max)}"
        if self.op == "about":
            return f"≈{_num(self.value)} (±{_num(self.effective_tolerance)})"
        symbol = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "="}[self.op]
        return f"{symbol} {_num(self.value)}"

    def met(self, values: np.ndarray) -> np.ndarray:
        """Boolean array; NaN values give False (callers mark them not computable first)."""
        import numpy as np

        low, high, low_strict, high_strict = self.bounds
        values = np.asarray(values, dtype="float64")
        with np.errstate(invalid="ignore"):
            ok_low = values > low if low_strict else values >= _lower(low)
            ok_high = values < high if high_strict else values <= _upper(high)
        return ok_low & ok_high

    def gap(self, values: np.ndarray) -> np.ndarray:
        """Signed distance from the nearest bound: actual - bound; 0 inside a band.

        Negative: below a minimum (short). Positive: above a maximum, or a surplus over an
        at-least target.
        """
        import numpy as np

        low, high, _, _ = self.bounds
        values = np.asarray(values, dtype="float64")
        if self.op in (">=", ">"):
            return values - low
        if self.op in ("<=", "<"):
            return values - high
        below = np.where(values < low, values - low, 0.0)
        above = np.where(values > high, values - high, 0.0)
        return below + above


def _lower(low: float) -> float:
    return low - 1e-9 * max(1.0, abs(low)) if math.isfinite(low) else low


def _upper(high: float) -> float:
    return high + 1e-9 * max(1.0, abs(high)) if math.isfinite(high) else high


def _num(x: float | None) -> str:
    if x is None:
        return "?"
    return f"{x:g}" if float(x) != int(x) else str(int(x))


@dataclass(frozen=True)
class Baseline:
    year: int | None
    value: float
    as_printed: str | None = None


@dataclass(frozen=True)
class Citation:
    section: str
    quote: str


@dataclass(frozen=True)
class Indicator:
    id: str
    name_zh: str
    name_en: str
    cite: Citation
    checkable: bool = True
    level: str = "city"
    scope: str = "all"
    where: Formula | None = None
    formula: Formula | None = None
    checklist: tuple[str, ...] = ()
    aggregate: str = "ratio"
    unit: str = ""
    target: Target | None = None
    targets_by_type: dict[str, Target] = field(default_factory=dict, hash=False, compare=False)
    milestones: tuple[Target, ...] = ()
    baseline: Baseline | None = None
    binding: bool | None = None  # True 约束性, False 预期性, None: the document does not say
    lever: str | None = None
    note: str | None = None
    oddities: tuple[str, ...] = ()
    target_text: str | None = None
    origin: str | None = None  # plan id the target comes from (plans that extend plans)
    # For an inherited indicator whose target this plan overrides: the inherited version.
    replaces: Indicator | None = field(default=None, repr=False, compare=False, hash=False)
    condition: bool = False  # the formula is yes/no per community (set by the loader)
    # Years the target is in force (inclusive; None: open), and the indicator that takes over.
    in_from: int | None = None
    in_until: int | None = None
    superseded_by: str | None = None
    paraphrase: bool = False  # target_text is the encoder's wording, not the document's

    @property
    def binding_key(self) -> str:
        """Message-key suffix: true (约束性), false (预期性), none (未注明)."""
        return str(self.binding).lower()

    def in_force(self, year: int | None) -> bool:
        """Whether the target applies in `year` (always, without a year)."""
        if year is None:
            return True
        if self.in_from is not None and year < self.in_from:
            return False
        return not (self.in_until is not None and year > self.in_until)

    def years_text(self) -> str:
        """The years the target applies, as "2018", "2011–2014", "2019–" or ""."""
        a, b = self.in_from, self.in_until
        if a is None and b is None:
            return ""
        if a is not None and a == b:
            return str(a)
        return f"{a or ''}–{b or ''}"

    def for_year(self, year: int | None) -> Indicator:
        """The indicator as it applies in `year`: a stage that restates the formula
        replaces it (and its unit); otherwise the indicator itself."""
        stage = self.target_for(year)
        if stage is None or stage.formula is None or stage is self.target:
            return self
        return replace(self, formula=stage.formula, unit=stage.unit or self.unit)

    def name(self, lang: str = "zh") -> str:
        return self.name_en if lang == "en" else self.name_zh

    @property
    def fields(self) -> tuple[str, ...]:
        used: list[str] = []
        if self.formula:
            used += self.formula.fields
        used += self.checklist
        if self.where:
            used += self.where.fields
        if self.lever:
            used.append(self.lever)
        return tuple(dict.fromkeys(used))

    @property
    def baseline_doubtful(self) -> bool:
        """The plan records its printed baseline as doubtful (an oddity about the baseline,
        which `indicators lint` reports): progress must not be measured from it."""
        return any(code.startswith("baseline") for code in self.oddities)

    @property
    def is_condition(self) -> bool:
        return self.condition or bool(self.checklist)

    def target_for(self, year: int | None = None) -> Target | None:
        """The target due by the end of `year`: the first milestone with year >= it, else the
        final target. Without a year, the final target. None when the target is not in force
        that year (see `in_force`)."""
        if not self.in_force(year):
            return None
        if year is not None:
            for m in self.milestones:
                if m.year is not None and m.year >= year:
                    return m
        return self.target

    def target_text_for(self, year: int | None = None) -> str:
        if self.targets_by_type:
            return "; ".join(f"{k}: {t.text()}" for k, t in self.targets_by_type.items())
        target = self.target_for(year)
        if target is not None:
            return target.text()
        if self.target is not None:  # not in force this year: say which years it was for
            return f"{self.target.text()} ({self.years_text()})"
        return self.target_text or ""


@dataclass(frozen=True)
class Exclusion:
    """An inherited indicator that a plan extending another marks as not applicable."""

    indicator: Indicator  # as inherited
    cite: Citation | None  # the clause of the extending plan that excludes it, if any
    plan: str  # id of the plan that excludes it
    note: str | None = None
    # A plain reason instead of (or beside) a cite: a city narrowing a plan to what its
    # census collects has no clause to quote ("本市普查不采集辅警人数").
    reason: str | None = None


@dataclass(frozen=True)
class Plan:
    id: str
    title: str
    period: tuple[int, int]
    indicators: tuple[Indicator, ...]
    vocabulary: Vocabulary = field(repr=False, compare=False)
    title_en: str | None = None
    issuer: str | None = None
    document: str | None = None
    source: str | None = None
    published: str | None = None
    baseline_year: int | None = None
    notes: str | None = None
    fields: tuple[Field, ...] = ()
    path: Path | None = None
    extends: str | None = None  # the parent plan's id, when this plan extends another
    not_applicable: tuple[Exclusion, ...] = ()

    @property
    def checkable(self) -> list[Indicator]:
        return [i for i in self.indicators if i.checkable]

    @property
    def not_checkable(self) -> list[Indicator]:
        return [i for i in self.indicators if not i.checkable]

    def required_fields(self) -> set[str]:
        needed: set[str] = set()
        for ind in self.checkable:
            needed.update(ind.fields)
            if ind.scope != "all" or ind.targets_by_type:
                needed.add("community_type")
        return needed

"""Pieces of a plan file checked one at a time: problems with their place, targets, values.

Each parser reports what is wrong to a `Problems` list (records of file, line, indicator,
key path, message) and returns None for a part it cannot build, so a plan file's every
problem is found in one run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from indicators.model.errors import PlanError, Text, said, wording
from indicators.model.i18n import t
from indicators.plan import keys, safe_yaml
from indicators.plan.model import OPS, Baseline, Citation, Target

TARGET_KEYS = keys.TARGET_NAMES
STAGE_KEYS = keys.STAGE_NAMES  # a milestone may restate the standard (a staged target)
TYPES = ("urban", "rural")


@dataclass(frozen=True)
class Problem:
    """One problem of a plan file, as data: lint reads the fields, the CLI prints
    `shown(lang)`. `said` is a catalogue message (`plan.problem.*`) or, for a text that
    is already worded (a formula's own error), plain text; str() is English."""

    file: str
    line: int | None
    indicator: str | None
    key: str  # the key path as the user reads it, e.g. indicators[2].target.op; "" for none
    said: Text  # the message, worded when shown
    code: str = "schema"
    depth: int = 0  # 1: a problem of the plan this one extends (printed indented)

    @property
    def message(self) -> str:
        """The message in English (logs, `str()`)."""
        return str(self.said)

    @property
    def text(self) -> str:
        """The problem without its place, in English: "key: message"."""
        return self.text_in("en")

    def text_in(self, lang: str) -> str:
        message = str(wording(self.said, lang))
        return (
            t("plan.problem_at_key", lang, path=self.key, message=message) if self.key else message
        )

    def shown(self, lang: str) -> str:
        """The problem with its place, as printed under a plan error."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        label = (
            t("plan.problem_indicator", lang, id=self.indicator)
            if self.indicator and self.key
            else ""
        )
        return "  " * self.depth + t(
            "plan.problem_line", lang, where=where, label=label, text=self.text_in(lang)
        )

    def __str__(self) -> str:
        return self.shown("en")


class PlanProblems(PlanError):
    """An invalid plan file: `records` holds every problem as a Problem, `problems` as text."""

    def __init__(self, message: Text, records: list[Problem]) -> None:
        super().__init__(message, [str(r) for r in records])
        self.records = records


class Problems:
    """The problems found so far in one plan file, each placed by its key path."""

    def __init__(self, file: str, loaded: safe_yaml.LoadedYaml) -> None:
        self.file = file
        self.loaded = loaded
        self.records: list[Problem] = []

    @property
    def items(self) -> list[str]:
        return [str(r) for r in self.records]

    def add(self, path: tuple, message: Text, label: str = "") -> None:
        """`label` is "(indicator id) ", as the indicator readers carry it."""
        key = ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in path)
        indicator = label.strip()[1:-1] or None
        self.records.append(
            Problem(self.file, self.loaded.line(path), indicator, key.replace(".[", "["), message)
        )

    def nest(self, records: list[Problem], skip: str = "") -> None:
        """Problems of the plan this one extends, one level deeper (`skip`: the one text
        already said)."""
        self.records += [replace(r, depth=r.depth + 1) for r in records if str(r) != skip]


def target(
    raw: Any, path: tuple, p: Problems, label: str, read_formula: Callable | None = None
) -> Target | None:
    """One target; `read_formula(text, path)` parses a stage's own formula (milestones only)."""
    if not isinstance(raw, dict):
        p.add(path, said("plan.problem.target_shape"), label)
        return None
    bad = False
    allowed = TARGET_KEYS | (STAGE_KEYS if read_formula else set())
    for key in raw:
        if key not in allowed:
            expected = ", ".join(sorted(allowed))
            p.add((*path, key), said("plan.problem.unknown_key", expected=expected), label)
            bad = True
    op = raw.get("op")
    if op not in OPS:
        p.add(
            (*path, "op"),
            said("plan.problem.unknown_op", op=repr(op), expected=", ".join(OPS)),
            label,
        )
        return None
    if op == "range":
        if not (is_number(raw.get("min")) and is_number(raw.get("max"))):
            p.add(path, said("plan.problem.range_numbers"), label)
            return None
        if raw["min"] > raw["max"]:
            p.add(path, said("plan.problem.range_order"), label)
            return None
    elif not is_number(raw.get("value")):
        p.add((*path, "value"), said("plan.problem.op_value", op=repr(op)), label)
        return None
    if raw.get("tolerance") is not None and not is_number(raw["tolerance"]):
        p.add((*path, "tolerance"), said("plan.problem.number"), label)
        return None
    year = raw.get("year")
    if year is not None and not (isinstance(year, int) and not isinstance(year, bool)):
        p.add((*path, "year"), said("plan.problem.year", example=2025), label)
        return None
    stage = raw.get("stage")
    if stage is not None and not isinstance(stage, str):
        p.add((*path, "stage"), said("plan.problem.stage"), label)
        bad = True
    unit = raw.get("unit")
    if unit is not None and not isinstance(unit, str):
        p.add((*path, "unit"), said("plan.problem.text_example", example="'人/300户'"), label)
        bad = True
    formula = None
    if read_formula is not None and raw.get("formula") is not None:
        formula = read_formula(raw["formula"], (*path, "formula"))
        bad = bad or formula is None
    if bad:
        return None
    return Target(
        op=op,
        value=num(raw.get("value")),
        min=num(raw.get("min")),
        max=num(raw.get("max")),
        tolerance=num(raw.get("tolerance")),
        year=year,
        stage=stage,
        formula=formula,
        unit=unit,
    )


def targets(raw: Any, path: tuple, p: Problems, label: str) -> tuple[Target | None, dict]:
    """A `target:` value: one target, or one per community type {urban: ..., rural: ...}."""
    if isinstance(raw, dict) and raw and set(raw) <= set(TYPES):
        by_type = {}
        for kind, t in raw.items():
            built = target(t, (*path, kind), p, label)
            if built:
                by_type[kind] = built
        return by_type.get("urban") or by_type.get("rural"), by_type
    return target(raw, path, p, label), {}


def milestones(
    raw: Any, path: tuple, p: Problems, label: str, read_formula: Callable | None = None
) -> tuple[Target, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        p.add(path, said("plan.problem.milestones_shape"), label)
        return ()
    out = []
    for j, m in enumerate(raw):
        mt = target(m, (*path, j), p, label, read_formula)
        if mt and mt.year is None:
            p.add((*path, j, "year"), said("plan.problem.milestone_year"), label)
        elif mt:
            out.append(mt)
    if [m.year for m in out] != sorted(m.year for m in out):
        p.add(path, said("plan.problem.milestone_order"), label)
    return tuple(out)


def baseline(raw: Any, path: tuple, p: Problems, label: str) -> Baseline | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not is_number(raw.get("value")):
        p.add(path, said("plan.problem.baseline_shape"), label)
        return None
    year = raw.get("year")
    if year is not None and not (isinstance(year, int) and not isinstance(year, bool)):
        p.add((*path, "year"), said("plan.problem.year", example=2020), label)
        return None
    printed = raw.get("as_printed")
    return Baseline(year, float(raw["value"]), None if printed is None else str(printed))


def citation(raw: Any, path: tuple, p: Problems, label: str) -> Citation | None:
    if not (isinstance(raw, dict) and raw.get("section") and raw.get("quote")):
        p.add(path, said("plan.problem.cite_shape"), label)
        return None
    return Citation(str(raw["section"]), str(raw["quote"]))


def binding(raw: dict, add) -> bool | None:
    """`binding:` true (约束性), false (预期性) or unstated (the default: most documents
    do not say); `add(message)` reports a wrong value."""
    value = raw.get("binding", "unstated")
    if isinstance(value, bool) or value == "unstated":
        return {True: True, False: False, "unstated": None}[value]
    add(said("plan.problem.binding"))
    return None


def is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def num(x: Any) -> float | None:
    return float(x) if is_number(x) else None


def req_str(d: dict, key: str, path: tuple, p: Problems) -> str | None:
    v = d.get(key)
    if not isinstance(v, str) or not v.strip():
        p.add((*path, key), said("plan.problem.required_text"))
        return None
    return v


def opt_str(d: dict, key: str, path: tuple, p: Problems, label: str = "") -> str | None:
    v = d.get(key)
    if v is None:
        return None
    if not isinstance(v, (str, int, float)):
        p.add((*path, key), said("plan.problem.text"), label)
        return None
    return str(v)


def opt_int(d: dict, key: str, path: tuple, p: Problems) -> int | None:
    v = d.get(key)
    if v is None:
        return None
    if not isinstance(v, int) or isinstance(v, bool):
        p.add((*path, key), said("plan.problem.year", example=2020))
        return None
    return v

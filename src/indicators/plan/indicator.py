"""One indicator of a plan file: a walk over the key table (plan/keys.py), one reader per key.

Each reader takes the key's value (None when absent) and returns the Indicator attributes it
sets; a wrong value is a problem at that key, and the reader returns what it could read.
Checks that need several keys (a lever in the formula, a superseded target's last year...)
run after the walk. `overrides:` entries reuse the same readers (plan/inherit.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from indicators.formula.parse import FormulaError
from indicators.formula.parse import parse as parse_formula
from indicators.model.errors import Text, said
from indicators.model.fields import Vocabulary
from indicators.plan import keys, parse
from indicators.plan.model import AGGREGATES, LEVELS, SCOPES, Citation, Indicator
from indicators.plan.parse import Problems

ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass
class Reading:
    """One indicator (or override entry) being read: where it is, what was read so far."""

    raw: dict
    path: tuple
    p: Problems
    vocab: Vocabulary
    label: str = ""
    stage_formulas: bool = True  # milestones may restate the formula (not in overrides)
    got: dict[str, Any] = field(default_factory=dict)

    def add(self, sub: tuple, message: Text) -> None:
        self.p.add((*self.path, *sub), message, self.label)

    def formula(self, text: Any, sub: tuple):
        if not isinstance(text, str):
            self.add(sub, said("plan.problem.formula_text"))
            return None
        try:
            return parse_formula(text, set(self.vocab.fields))
        except FormulaError as exc:
            self.add(sub, said("plan.problem.formula_error", error=exc.said, text=repr(text)))
            return None


Reader = Callable[[Any, Reading], dict[str, Any]]


FINER = {"street": ("community",), "district": ("community", "street")}  # below a field's level


def _id(v: Any, r: Reading) -> dict:
    ind_id = v if isinstance(v, str) else None
    if not ind_id:
        r.add(("id",), said("plan.problem.id_required"))
    elif not ID_RE.match(ind_id):
        r.add(("id",), said("plan.problem.id_snake"))
    return {"id": ind_id or ""}


def _name(v: Any, r: Reading) -> dict:
    if not (isinstance(v, dict) and isinstance(v.get("zh"), str) and v.get("zh")):
        r.add(("name",), said("plan.problem.name_shape"))
        v = {"zh": "", "en": ""}
    extra = sorted(str(k) for k in v if k not in ("zh", "en"))
    if extra:
        # Usually a comma inside an unquoted flow mapping: {en: per 10,000 people} splits.
        r.add(
            ("name",),
            said("plan.problem.name_extra", keys=", ".join(map(repr, extra))),
        )
    return {"name_zh": str(v.get("zh", "")), "name_en": str(v.get("en") or v.get("zh", ""))}


def _choice(key: str, values: tuple[str, ...], default: str) -> Reader:
    def read(v: Any, r: Reading) -> dict:
        v = default if v is None else v
        if v not in values:
            r.add((key,), said("plan.problem.one_of", expected=", ".join(values)))
        return {key: v}

    return read


def _where(v: Any, r: Reading) -> dict:
    return {} if v is None else {"where": r.formula(v, ("where",))}


def _formula(v: Any, r: Reading) -> dict:
    if "formula" in r.raw and "checklist" in r.raw:
        r.add(("formula",), said("plan.problem.formula_and_checklist"))
    if "formula" not in r.raw and "checklist" not in r.raw:
        r.add(("formula",), said("plan.problem.formula_required"))
    return {"formula": r.formula(v, ("formula",))} if "formula" in r.raw else {}


def _checklist(items: Any, r: Reading) -> dict:
    if items is None:
        return {}
    if not isinstance(items, list) or not items:
        r.add(("checklist",), said("plan.problem.checklist_shape"))
        return {}
    for j, item in enumerate(items):
        f = r.vocab.get(str(item))
        if f is None:
            r.add(("checklist", j), said("plan.problem.unknown_field", field=repr(item)))
        elif f.type != "boolean":
            r.add(
                ("checklist", j), said("plan.problem.checklist_type", field=repr(item), type=f.type)
            )
    return {"checklist": tuple(str(x) for x in items)}


def _aggregate(v: Any, r: Reading) -> dict:
    formula, checklist = r.got.get("formula"), r.got.get("checklist", ())
    is_condition = bool(checklist) or bool(formula and formula.is_condition)
    if formula and len(formula.fields) == 1 and not formula.is_condition:
        only = r.vocab.get(formula.fields[0])
        is_condition = bool(only and only.type == "boolean" and formula.text == only.id)
    has_division = formula is not None and "/" in formula.text
    default_aggregate = "share" if is_condition else ("ratio" if has_division else "mean")
    aggregate = default_aggregate if v is None else v
    if aggregate not in AGGREGATES:
        r.add(("aggregate",), said("plan.problem.one_of", expected=", ".join(AGGREGATES)))
    if aggregate in ("share", "count") and formula is not None and not is_condition:
        r.add(("aggregate",), said("plan.problem.aggregate_condition", aggregate=repr(aggregate)))
    if aggregate == "ratio" and formula is None and checklist:
        r.add(("aggregate",), said("plan.problem.ratio_checklist"))
    return {"aggregate": aggregate, "condition": is_condition}


def _unit(v: Any, r: Reading) -> dict:
    v = "" if v is None else v
    if not isinstance(v, str):
        r.add(("unit",), said("plan.problem.unit_text"))
    return {"unit": v}


def _target(v: Any, r: Reading) -> dict:
    if v is None:
        r.add(("target",), said("plan.problem.target_required"))
        return {}
    target, by_type = parse.targets(v, (*r.path, "target"), r.p, r.label)
    return {"target": target, "targets_by_type": by_type}


def _milestones(v: Any, r: Reading) -> dict:
    read = (lambda text, where: r.formula(text, where[len(r.path) :])) if r.stage_formulas else None
    return {"milestones": parse.milestones(v, (*r.path, "milestones"), r.p, r.label, read)}


def _baseline(v: Any, r: Reading) -> dict:
    return {"baseline": parse.baseline(v, (*r.path, "baseline"), r.p, r.label)}


def _year(key: str, attr: str) -> Reader:
    def read(v: Any, r: Reading) -> dict:
        if v is None:
            return {}
        if not isinstance(v, int) or isinstance(v, bool):
            r.add((key,), said("plan.problem.year", example=2018))
            return {}
        return {attr: v}

    return read


def _superseded_by(v: Any, r: Reading) -> dict:
    if v is None:
        return {}
    if not isinstance(v, str) or not ID_RE.match(v):
        r.add(("superseded_by",), said("plan.problem.successor_shape"))
        return {}
    return {"superseded_by": v}


def _binding(v: Any, r: Reading) -> dict:
    raw = {} if v is None else {"binding": v}
    return {"binding": parse.binding(raw, lambda message: r.add(("binding",), message))}


def _checkable(v: Any, r: Reading) -> dict:
    if v is None:
        return {"checkable": True}
    if not isinstance(v, bool):
        r.add(("checkable",), said("plan.problem.true_false"))
        return {"checkable": True}
    return {"checkable": v}


def _text(key: str) -> Reader:
    def read(v: Any, r: Reading) -> dict:
        return {key: parse.opt_str({key: v}, key, r.path, r.p, r.label)}

    return read


def _paraphrase(v: Any, r: Reading) -> dict:
    if v is not None and not isinstance(v, bool):
        r.add(("paraphrase",), said("plan.problem.paraphrase_value"))
    return {"paraphrase": v is True}


def _cite(v: Any, r: Reading) -> dict:
    cite = parse.citation(v, (*r.path, "cite"), r.p, r.label)
    return {"cite": cite or Citation("", "")}


def _oddities(v: Any, r: Reading) -> dict:
    if v is not None and not isinstance(v, list):
        r.add(("oddities",), said("plan.problem.oddities_shape"))
        v = None
    return {"oddities": tuple(str(o) for o in v or [])}


READERS: dict[str, Reader] = {
    "id": _id,
    "name": _name,
    "level": _choice("level", LEVELS, "city"),
    "scope": _choice("scope", SCOPES, "all"),
    "where": _where,
    "formula": _formula,
    "checklist": _checklist,
    "aggregate": _aggregate,
    "unit": _unit,
    "target": _target,
    "milestones": _milestones,
    "baseline": _baseline,
    "from": _year("from", "in_from"),
    "until": _year("until", "in_until"),
    "superseded_by": _superseded_by,
    "binding": _binding,
    "checkable": _checkable,
    "lever": lambda v, r: {"lever": v},  # checked against the formula after the walk
    "target_text": _text("target_text"),
    "paraphrase": _paraphrase,
    "cite": _cite,
    "note": _text("note"),
    "oddities": _oddities,
}
assert set(READERS) == keys.INDICATOR_NAMES, "every indicator key needs a reader"


def build_indicator(
    raw: Any, path: tuple, p: Problems, vocab: Vocabulary, plan_id: str | None
) -> Indicator | None:
    """The indicator at `path`, or None (with its problems reported) when it is invalid."""
    if not isinstance(raw, dict):
        p.add(path, said("plan.problem.indicator_shape"))
        return None
    ind_id = raw.get("id") if isinstance(raw.get("id"), str) else None
    r = Reading(raw, path, p, vocab, f"({ind_id}) " if ind_id else "")
    before = len(p.records)
    allowed = keys.INDICATOR_NAMES
    for key in raw:
        if key not in allowed:
            r.add((key,), said("plan.problem.unknown_key", expected=", ".join(sorted(allowed))))
    r.got.update(_checkable(raw.get("checkable"), r))  # first: it decides which keys count
    checkable = r.got["checkable"]
    for key in keys.INDICATOR:
        if key.name != "checkable" and (checkable or not key.checkable_only):
            r.got.update(READERS[key.name](raw.get(key.name), r))
    in_force_problems(r.got, r.add)
    got = r.got
    if got["paraphrase"] and not raw.get("target_text"):
        r.add(("paraphrase",), said("plan.problem.paraphrase_without_text"))
    if not checkable and not raw.get("target_text") and raw.get("target") is None:
        r.add(("target_text",), said("plan.problem.target_text_required"))
    if checkable:
        _formula_problems(r)
    if len(p.records) > before:
        return None
    return Indicator(**got, origin=plan_id)


def in_force_problems(got: dict, add: Callable[[tuple, str], None]) -> None:
    """from/until in order; a superseded target says its last year."""
    first, last = got.get("in_from"), got.get("in_until")
    if first and last and first > last:
        add(("until",), said("plan.problem.until_before_from"))
    if got.get("superseded_by") and last is None:
        add(("until",), said("plan.problem.superseded_until"))


def _formula_problems(r: Reading) -> None:
    """The lever is a formula field; one sheet's fields (street or community) per indicator."""
    got, vocab = r.got, r.vocab
    formula, lever, level = got.get("formula"), got.get("lever"), got["level"]
    if lever is not None and (formula is None or lever not in formula.fields):
        r.add(("lever",), said("plan.problem.lever_field"))
    used = [*(formula.fields if formula else ()), *got.get("checklist", ())]
    if got.get("where") is not None:
        used += got["where"].fields
    levels = {vocab[f].level for f in used if f in vocab}
    if len(levels) > 1:
        r.add(("formula",), said("plan.problem.mixed_levels"))
    elif levels and level in FINER.get(own := next(iter(levels)), ()):
        r.add(
            ("level",),
            said("plan.problem.level_finer", level=own),
        )
    for j, stage in enumerate(got.get("milestones", ())):
        if stage.formula is not None and lever is not None and lever not in stage.formula.fields:
            r.add(
                ("milestones", j, "formula"),
                said("plan.problem.milestone_lever", lever=repr(lever)),
            )

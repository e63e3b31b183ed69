"""A loaded plan as plain data in the plan-file format (for `indicators show --format yaml`).

A plan without `extends` dumps to a file that loads back to the same plan. A plan that
extends another dumps resolved: every indicator, inherited or not, with `origin` naming the
plan its target comes from, and `not_applicable` listing what it excluded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from indicators.plan import keys
from indicators.plan.model import Baseline, Citation, Exclusion, Indicator, Plan, Target


def plan_data(plan: Plan) -> dict[str, Any]:
    """The plan's keys in table order (plan/keys.py); `overrides` are resolved already."""
    out: dict[str, Any] = {}
    for key in keys.PLAN:
        value = _PLAN_WRITERS[key.name](plan)
        if value is not None:
            out[key.name] = value
    return out


def indicator_data(ind: Indicator, *, with_origin: bool = False) -> dict[str, Any]:
    """The indicator's keys in table order; `origin` (after the name) for a resolved plan
    that extends another."""
    d: dict[str, Any] = {}
    for key in keys.INDICATOR:
        if key.checkable_only and not ind.checkable:
            continue
        value = _WRITERS[key.name](ind)
        if value is not None:
            d[key.name] = value
        if key.name == "name" and with_origin:
            d["origin"] = ind.origin
    return d


def _exclusion(e: Exclusion) -> dict[str, Any]:
    return {
        "id": e.indicator.id,
        "from": e.indicator.origin,
        "by": e.plan,
        **({"cite": _cite(e.cite)} if e.cite else {}),
        **({"reason": e.reason} if e.reason else {}),
        **({"note": e.note} if e.note else {}),
    }


def _cite(c: Citation) -> dict[str, str]:
    return {"section": c.section, "quote": c.quote}


def _baseline(b: Baseline | None) -> dict[str, Any] | None:
    if b is None:
        return None
    parts = (("year", b.year), ("value", _num(b.value)), ("as_printed", b.as_printed))
    return {k: v for k, v in parts if v is not None}


def _target(ind: Indicator) -> dict[str, Any] | None:
    if ind.targets_by_type:
        return {k: target_data(t) for k, t in ind.targets_by_type.items()}
    return target_data(ind.target) if ind.target is not None else None


def _or_none(value: Any) -> Any:
    """Empty text, lists and tuples are left out like None."""
    if isinstance(value, tuple):
        value = list(value)
    return value if value not in ("", [], False) else None


_PLAN_WRITERS: dict[str, Callable[[Plan], Any]] = {
    "id": lambda p: p.id,
    "extends": lambda p: p.extends,
    "title": lambda p: p.title,
    "title_en": lambda p: p.title_en,
    "issuer": lambda p: p.issuer,
    "document": lambda p: p.document,
    "source": lambda p: p.source,
    "published": lambda p: p.published,
    "period": lambda p: list(p.period),
    "baseline_year": lambda p: p.baseline_year,
    "notes": lambda p: p.notes or None,
    "fields": lambda p: [_field(f) for f in p.fields] or None,
    "indicators": lambda p: [indicator_data(i, with_origin=bool(p.extends)) for i in p.indicators],
    "overrides": lambda p: None,  # resolved: each indicator says where its target comes from
    "not_applicable": lambda p: [_exclusion(e) for e in p.not_applicable] or None,
}
_WRITERS: dict[str, Callable[[Indicator], Any]] = {
    "id": lambda i: i.id,
    "name": lambda i: {"zh": i.name_zh, "en": i.name_en},
    "level": lambda i: i.level,
    "scope": lambda i: i.scope,
    "where": lambda i: i.where.text if i.where is not None else None,
    "formula": lambda i: i.formula.text if i.formula is not None else None,
    "checklist": lambda i: _or_none(i.checklist),
    "aggregate": lambda i: i.aggregate,
    "unit": lambda i: _or_none(i.unit),
    "target": _target,
    "milestones": lambda i: [target_data(m, year_first=True) for m in i.milestones] or None,
    "baseline": lambda i: _baseline(i.baseline),
    "from": lambda i: i.in_from,
    "until": lambda i: i.in_until,
    "superseded_by": lambda i: i.superseded_by,
    "binding": lambda i: "unstated" if i.binding is None else i.binding,
    "checkable": lambda i: i.checkable,
    "lever": lambda i: _or_none(i.lever),
    "target_text": lambda i: _or_none(i.target_text),
    "paraphrase": lambda i: True if i.paraphrase else None,
    "cite": lambda i: _cite(i.cite),
    "note": lambda i: _or_none(i.note),
    "oddities": lambda i: _or_none(i.oddities),
}
assert set(_WRITERS) == keys.INDICATOR_NAMES, "every indicator key needs a writer"
assert set(_PLAN_WRITERS) == keys.PLAN_NAMES, "every plan key needs a writer"


def target_data(t: Target, *, year_first: bool = False) -> dict[str, Any]:
    d: dict[str, Any] = {"year": t.year} if year_first and t.year is not None else {}
    d["op"] = t.op
    for key in ("value", "min", "max", "tolerance"):
        if getattr(t, key) is not None:
            d[key] = _num(getattr(t, key))
    if not year_first and t.year is not None:
        d["year"] = t.year
    if t.stage is not None:
        d["stage"] = t.stage
    if t.formula is not None:
        d["formula"] = t.formula.text
    if t.unit is not None:
        d["unit"] = t.unit
    return d


def _field(f) -> dict[str, Any]:
    d: dict[str, Any] = {"id": f.id, "type": f.type}
    if f.unit:
        d["unit"] = f.unit
    d["name"] = {"zh": f.name_zh, "en": f.name_en}
    if f.aliases:
        d["aliases"] = list(f.aliases)
    if f.values:
        d["values"] = {k: list(v) for k, v in f.values.items()}
    if f.sample is not None:
        d["sample"] = f.sample
    return d


def _num(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x

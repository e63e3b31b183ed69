"""A loaded plan as plain data in the plan-file format (for `indicators show --format yaml`).

A plan without `extends` dumps to a file that loads back to the same plan. A plan that
extends another dumps resolved: every indicator, inherited or not, with `origin` naming the
plan its target comes from, and `not_applicable` listing what it excluded.
"""

from __future__ import annotations

from typing import Any

from indicators.plan.model import Indicator, Plan, Target


def plan_data(plan: Plan) -> dict[str, Any]:
    out: dict[str, Any] = {"id": plan.id}
    if plan.extends:
        out["extends"] = plan.extends
    for key in ("title", "title_en", "issuer", "document", "source", "published"):
        if getattr(plan, key) is not None:
            out[key] = getattr(plan, key)
    out["period"] = list(plan.period)
    if plan.baseline_year is not None:
        out["baseline_year"] = plan.baseline_year
    if plan.notes:
        out["notes"] = plan.notes
    if plan.fields:
        out["fields"] = [_field(f) for f in plan.fields]
    out["indicators"] = [indicator_data(i, with_origin=bool(plan.extends)) for i in plan.indicators]
    if plan.not_applicable:
        out["not_applicable"] = [
            {
                "id": e.indicator.id,
                "from": e.indicator.origin,
                "by": e.plan,
                **({"cite": {"section": e.cite.section, "quote": e.cite.quote}} if e.cite else {}),
                **({"reason": e.reason} if e.reason else {}),
                **({"note": e.note} if e.note else {}),
            }
            for e in plan.not_applicable
        ]
    return out


def indicator_data(ind: Indicator, *, with_origin: bool = False) -> dict[str, Any]:
    d: dict[str, Any] = {"id": ind.id, "name": {"zh": ind.name_zh, "en": ind.name_en}}
    if with_origin:
        d["origin"] = ind.origin
    d["level"] = ind.level
    d["scope"] = ind.scope
    if ind.checkable:
        if ind.where is not None:
            d["where"] = ind.where.text
        if ind.formula is not None:
            d["formula"] = ind.formula.text
        if ind.checklist:
            d["checklist"] = list(ind.checklist)
        d["aggregate"] = ind.aggregate
        if ind.unit:
            d["unit"] = ind.unit
        if ind.targets_by_type:
            d["target"] = {k: target_data(t) for k, t in ind.targets_by_type.items()}
        elif ind.target is not None:
            d["target"] = target_data(ind.target)
        if ind.milestones:
            d["milestones"] = [target_data(m, year_first=True) for m in ind.milestones]
        if ind.baseline is not None:
            b = ind.baseline
            d["baseline"] = {
                k: v
                for k, v in (
                    ("year", b.year),
                    ("value", _num(b.value)),
                    ("as_printed", b.as_printed),
                )
                if v is not None
            }
    for key, value in (
        ("from", ind.in_from),
        ("until", ind.in_until),
        ("superseded_by", ind.superseded_by),
    ):
        if value is not None:
            d[key] = value
    d["binding"] = "unstated" if ind.binding is None else ind.binding
    d["checkable"] = ind.checkable
    if ind.checkable and ind.lever:
        d["lever"] = ind.lever
    if ind.target_text:
        d["target_text"] = ind.target_text
    if ind.paraphrase:
        d["paraphrase"] = True
    d["cite"] = {"section": ind.cite.section, "quote": ind.cite.quote}
    if ind.note:
        d["note"] = ind.note
    if ind.oddities:
        d["oddities"] = list(ind.oddities)
    return d


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

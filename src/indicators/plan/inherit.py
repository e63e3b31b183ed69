"""Plans that build on plans: `extends`, `overrides` and `not_applicable`.

A district plan often adopts its city's plan and tightens a few targets. The extending plan
names its parent (`extends: <plan id or path>`), and then may
- override targets of named inherited indicators (`overrides:`), each with its own citation;
- add indicators of its own (`indicators:`);
- mark inherited indicators as not applicable (`not_applicable:`), each with its citation,
  or with a plain `reason:` (a city narrowing a plan to the fields its census collects has
  no clause to quote).

The result is one flat Plan: inherited indicators in the parent's order (overridden ones in
place, excluded ones removed), then the plan's own. `Indicator.origin` names the plan each
target comes from; an overridden indicator keeps the inherited version in `replaces`.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from indicators.model.errors import PlanError, Said, said
from indicators.plan import keys, parse
from indicators.plan.discover import find_plan_file
from indicators.plan.indicator import READERS, Reading, in_force_problems
from indicators.plan.model import Exclusion, Indicator, Plan
from indicators.plan.parse import Problems

TARGET_PARTS = tuple(k.name for k in keys.INDICATOR if k.override and k.checkable_only)
MAX_DEPTH = 8


def parent_file(ref: str, child: Path | None) -> Path:
    """Where `extends: ref` points. A path is relative to the extending file; an id is looked
    up beside the extending file, in the folder above it, then in the plan folders."""
    if ref.endswith((".yaml", ".yml")) or "/" in ref or os.sep in ref:
        base = child.parent if child is not None else Path.cwd()
        candidate = Path(ref) if Path(ref).is_absolute() else base / ref
        if not candidate.is_file():
            raise PlanError(said("plan.no_such_file", path=candidate))
        return candidate
    if child is not None:
        for folder in (child.parent, child.parent.parent):
            candidate = folder / f"{ref}.yaml"
            if candidate.is_file():
                return candidate
    return find_plan_file(ref)


def cycle_text(chain: tuple[Path, ...], again: Path) -> Said:
    names = [c.name for c in chain[chain.index(again) :]] + [again.name]
    return said("plan.problem.extends_cycle", chain=" -> ".join(names))


def apply(
    parent: Plan, own: list[Indicator], data: dict, plan_id: str, p: Problems
) -> tuple[list[Indicator], tuple[Exclusion, ...]]:
    """Merge the parent's indicators with this plan's overrides, exclusions and additions."""
    inherited = {ind.id: ind for ind in parent.indicators}
    for i, ind in enumerate(own):
        if ind.id in inherited:
            p.add(
                ("indicators", i, "id"),
                said("plan.problem.redefines_inherited", id=repr(ind.id), parent=parent.id),
            )
    own_ids = {ind.id for ind in own}
    changed = _overrides(data.get("overrides"), inherited, parent, plan_id, p, own_ids)
    excluded = _exclusions(data.get("not_applicable"), inherited, parent, plan_id, p)
    for ind_id in set(changed) & {e.indicator.id for e in excluded}:
        p.add(("not_applicable",), said("plan.problem.overridden_and_excluded", id=repr(ind_id)))
    gone = {e.indicator.id for e in excluded}
    merged = [changed.get(ind.id, ind) for ind in parent.indicators if ind.id not in gone]
    return merged + own, (*parent.not_applicable, *excluded)


def _entries(raw: Any, key: str, p: Problems):
    if raw is None:
        return []
    if not isinstance(raw, list):
        p.add((key,), said("plan.problem.entries_shape"))
        return []
    out = []
    for i, entry in enumerate(raw):
        path = (key, i)
        if not isinstance(entry, dict):
            p.add(path, said("plan.problem.entry_shape"))
            continue
        out.append((path, entry))
    return out


def _known(ind_id: Any, path: tuple, inherited: dict, parent: Plan, p: Problems) -> bool:
    if not isinstance(ind_id, str) or not ind_id:
        p.add((*path, "id"), said("plan.problem.inherited_id_required"))
        return False
    if ind_id in inherited:
        return True
    if any(e.indicator.id == ind_id for e in parent.not_applicable):
        p.add(
            (*path, "id"), said("plan.problem.already_excluded", id=repr(ind_id), parent=parent.id)
        )
        return False
    close = difflib.get_close_matches(ind_id, sorted(inherited), n=1)
    hint = said("plan.problem.did_you_mean", id=repr(close[0])) if close else ""
    message = said("plan.problem.unknown_inherited", id=repr(ind_id), parent=parent.id, hint=hint)
    p.add((*path, "id"), message)
    return False


def _overrides(raw, inherited, parent, plan_id, p, own_ids) -> dict[str, Indicator]:
    """Each entry is read with the indicator's own readers, for the keys the table lets an
    override set; what it does not give is inherited."""
    changed: dict[str, Indicator] = {}
    allowed = keys.OVERRIDE_NAMES
    settable = [k for k in keys.OVERRIDE if k.name not in ("id", "cite", "note", "oddities")]
    for path, entry in _entries(raw, "overrides", p):
        ind_id = entry.get("id")
        label = f"({ind_id}) " if isinstance(ind_id, str) else ""
        before = len(p.records)
        for key in entry:
            if key not in allowed:
                expected = ", ".join(sorted(allowed))
                p.add((*path, key), said("plan.problem.unknown_key", expected=expected), label)
        if not _known(ind_id, path, inherited, parent, p):
            continue
        if ind_id in changed:
            p.add((*path, "id"), said("plan.problem.overridden_twice", id=repr(ind_id)), label)
        old = inherited[ind_id]
        reading = Reading(entry, path, p, parent.vocabulary, label, stage_formulas=False)
        cite = parse.citation(entry.get("cite"), (*path, "cite"), p, label)
        if not old.checkable and any(k in entry for k in TARGET_PARTS):
            p.add(path, said("plan.problem.override_not_checkable", id=repr(ind_id)), label)
        changes: dict[str, Any] = {}
        for key in keys.OVERRIDE:
            if key.name in entry and key.name not in ("id", "cite"):
                changes.update(READERS[key.name](entry[key.name], reading))
        merged = replace(old, **changes)
        if {"from", "until", "superseded_by"} & set(entry):
            in_force_problems(vars(merged), reading.add)
        successor = changes.get("superseded_by")
        if successor and successor not in inherited and successor not in own_ids:
            reading.add(("superseded_by",), said("plan.problem.no_successor", id=repr(successor)))
        if not ({k.name for k in settable} & set(entry)):
            names = [k.name for k in settable]
            p.add(
                path,
                said("plan.problem.changes_nothing", names=", ".join(names[:-1]), last=names[-1]),
                label,
            )
        if len(p.records) > before or cite is None:
            continue
        changed[ind_id] = replace(merged, cite=cite, origin=plan_id, replaces=old)
    return changed


def _exclusions(raw, inherited, parent, plan_id, p) -> list[Exclusion]:
    out: list[Exclusion] = []
    for path, entry in _entries(raw, "not_applicable", p):
        ind_id = entry.get("id")
        label = f"({ind_id}) " if isinstance(ind_id, str) else ""
        allowed = keys.NOT_APPLICABLE_NAMES
        for key in entry:
            if key not in allowed:
                expected = ", ".join(sorted(allowed))
                p.add((*path, key), said("plan.problem.unknown_key", expected=expected), label)
        if not _known(ind_id, path, inherited, parent, p):
            continue
        if any(e.indicator.id == ind_id for e in out):
            p.add((*path, "id"), said("plan.problem.listed_twice", id=repr(ind_id)), label)
            continue
        before = len(p.records)
        reason = parse.opt_str(entry, "reason", path, p, label)
        if reason is not None and not reason.strip():
            p.add((*path, "reason"), said("plan.problem.reason_shape"), label)
        if len(p.records) > before:
            continue
        if "cite" not in entry and reason is None:
            p.add(
                path,
                said("plan.problem.exclusion_needs_cite"),
                label,
            )
            continue
        cite = None
        if "cite" in entry:
            cite = parse.citation(entry.get("cite"), (*path, "cite"), p, label)
            if cite is None:
                continue
        note = parse.opt_str(entry, "note", path, p, label)
        out.append(Exclusion(inherited[ind_id], cite, plan_id, note, reason))
    return out

"""Load a plan file into a Plan, reporting every problem at once with file, line and key.

A problem reads like:
  targets/x.yaml:42: indicators[2] (facility_area_per_100_households): formula: unknown field
  'facility_areaa' (did you mean 'facility_area'?) (at position 1)
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from indicators.formula.parse import FormulaError
from indicators.formula.parse import parse as parse_formula
from indicators.model.errors import PlanError
from indicators.model.fields import (
    FIELD_TYPES,
    Field,
    Vocabulary,
    field_from_dict,
    shared_vocabulary,
)
from indicators.plan import inherit, parse, safe_yaml
from indicators.plan.model import AGGREGATES, LEVELS, SCOPES, Citation, Indicator, Plan
from indicators.plan.parse import Problems

PLAN_KEYS = {
    "id", "title", "title_en", "issuer", "document", "source", "published", "period",
    "baseline_year", "notes", "fields", "indicators", "extends", "overrides", "not_applicable",
}  # fmt: skip
INDICATOR_KEYS = {
    "id", "name", "level", "scope", "where", "formula", "checklist", "aggregate", "unit",
    "target", "milestones", "baseline", "binding", "checkable", "lever", "cite", "note",
    "oddities", "target_text", "paraphrase", "from", "until", "superseded_by",
}  # fmt: skip
FIELD_KEYS = {
    "id",
    "type",
    "unit",
    "name",
    "aliases",
    "likely",
    "lookalikes",
    "sample",
    "values",
    "level",
}
FIELD_LEVELS = ("community", "street", "district")
FINER = {"street": ("community",), "district": ("community", "street")}  # below a field's level
ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
PLAN_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def load_plan_file(path: Path, *, vocabulary: Vocabulary | None = None) -> Plan:
    """Read and validate a plan file; raise PlanError listing every problem."""
    return _load_file(Path(path), vocabulary, ())


def load_plan_text(
    text: str, file: str, *, path: Path | None = None, vocabulary: Vocabulary | None = None
) -> Plan:
    """Validate plan-file text; `file` names it in messages, `path` places relative `extends`."""
    return _load_text(text, file, path, vocabulary, (path.resolve(),) if path else ())


MAX_PLAN_BYTES = 16 * 1024 * 1024  # the shipped plans are 20-60 KB


def read_plan_text(path: Path) -> str:
    """The plan file as text; its size is checked before it is read (a 2 GB "plan" took
    4.1 GB of memory before it was refused). Raises OSError / UnicodeDecodeError as reading
    does, PlanError when too large."""
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > MAX_PLAN_BYTES:
            raise PlanError(
                f"{path}: the file is {size / 1024 / 1024:.0f} MB; a plan file is text of at "
                f"most {MAX_PLAN_BYTES // 1024 // 1024} MB"
            )
        data = fh.read(MAX_PLAN_BYTES + 1)
    return data.decode("utf-8")


def _load_file(path: Path, vocabulary: Vocabulary | None, chain: tuple[Path, ...]) -> Plan:
    shown = str(path)
    try:
        text = read_plan_text(Path(path))
    except FileNotFoundError:
        raise PlanError(f"{shown}: no such plan file") from None
    except UnicodeDecodeError:
        raise PlanError(f"{shown}: not UTF-8 text; save the plan file as UTF-8") from None
    except OSError as exc:
        raise PlanError(f"{shown}: cannot be read ({exc.strerror})") from None
    return _load_text(text, shown, path, vocabulary, (*chain, path.resolve()))


def _load_text(
    text: str,
    file: str,
    path: Path | None,
    vocabulary: Vocabulary | None,
    chain: tuple[Path, ...],
) -> Plan:
    try:
        loaded = safe_yaml.load(text)
    except safe_yaml.UnsafeYamlError as exc:
        where = f"{file}:{exc.line}" if exc.line else file
        raise PlanError(f"{where}: {exc}", [f"{where}: {exc}"]) from None
    problems = Problems(file, loaded)
    data = loaded.data
    if not isinstance(data, dict):
        problems.add((), "a plan file must be a mapping with id, title, period and indicators")
        _raise(file, problems)
    parent = None
    if "extends" in data:
        parent = _parent(data, path, vocabulary, chain, problems)
        _raise(file, problems)  # without its parent, the rest of the plan cannot be judged
    plan = _build_plan(data, problems, path, vocabulary or shared_vocabulary(), parent)
    _raise(file, problems)
    return plan


def _raise(file: str, problems: Problems) -> None:
    if problems.items:
        n = len(problems.items)
        raise PlanError(
            f"{file}: {n} problem{'s' if n > 1 else ''} in the plan file", problems.items
        )


def _parent(
    data: dict, path: Path | None, vocab: Vocabulary | None, chain: tuple, p: Problems
) -> Plan | None:
    """Load the plan this one extends; a problem there is reported at `extends:`."""
    ref = data.get("extends")
    if not isinstance(ref, str) or not ref.strip():
        p.add(("extends",), "expected the id of a plan, or a path to a plan file")
        return None
    try:
        found = inherit.parent_file(ref.strip(), path)
    except PlanError as exc:
        p.add(("extends",), exc.message)
        return None
    if found.resolve() in chain:
        p.add(("extends",), inherit.cycle_text(chain, found.resolve()))
        return None
    if len(chain) > inherit.MAX_DEPTH:
        p.add(("extends",), f"plans extend each other more than {inherit.MAX_DEPTH} levels deep")
        return None
    try:
        return _load_file(found, vocab, chain)
    except PlanError as exc:
        p.add(("extends",), f"the plan it extends is invalid: {exc.message}")
        p.extend([f"  {problem}" for problem in exc.problems if problem != exc.message])
        return None


def _build_plan(
    data: dict, p: Problems, path: Path | None, vocab: Vocabulary, parent: Plan | None
) -> Plan | None:
    for key in data:
        if key not in PLAN_KEYS:
            p.add((key,), f"unknown key (expected one of: {', '.join(sorted(PLAN_KEYS))})")
    for key in ("overrides", "not_applicable"):
        if key in data and "extends" not in data:
            p.add((key,), "only a plan that extends another (extends: <plan id>) has " + key)
    plan_id = parse.req_str(data, "id", (), p)
    if plan_id and not PLAN_ID_RE.match(plan_id):
        p.add(("id",), "must be lower-case letters, digits and hyphens, e.g. hengshui-2021-2025")
    if parent is not None and plan_id == parent.id:
        p.add(("id",), f"the same id as the plan it extends ({parent.id}); give it its own id")
    title = parse.req_str(data, "title", (), p)
    period = data.get("period")
    if period is None and parent is not None:
        period = list(parent.period)  # a plan that extends another may keep its period
    if not (
        isinstance(period, list)
        and len(period) == 2
        and all(isinstance(y, int) and not isinstance(y, bool) for y in period)
        and period[0] <= period[1]
    ):
        p.add(("period",), "expected [first year, last year], e.g. [2021, 2025]")
        period = [0, 0]
    baseline_year = parse.opt_int(data, "baseline_year", (), p)
    if baseline_year is None and parent is not None and "period" not in data:
        baseline_year = parent.baseline_year

    if parent is not None:
        vocab = parent.vocabulary
    plan_fields = _build_fields(data.get("fields"), p)
    vocab = vocab.extended(plan_fields)
    known = set(vocab.fields)

    raw_indicators = data.get("indicators")
    indicators: list = []
    if not isinstance(raw_indicators, list) or not raw_indicators:
        if "extends" not in data or raw_indicators is not None:
            p.add(("indicators",), "expected a list of indicators")
        raw_indicators = raw_indicators if isinstance(raw_indicators, list) else []
    seen: set[str] = set()
    for i, raw in enumerate(raw_indicators):
        ind = _build_indicator(raw, ("indicators", i), p, known, vocab, plan_id)
        if ind is None:
            continue
        if ind.id in seen:
            p.add(("indicators", i, "id"), f"duplicate indicator id {ind.id!r}")
        seen.add(ind.id)
        indicators.append((i, ind))
    for i, ind in indicators:
        if ind.superseded_by and ind.superseded_by not in seen:
            p.add(
                ("indicators", i, "superseded_by"),
                f"no indicator {ind.superseded_by!r} in this plan",
                f"({ind.id}) ",
            )
    indicators = [ind for _, ind in indicators]
    excluded: tuple = ()
    if parent is not None and plan_id:
        indicators, excluded = inherit.apply(parent, indicators, data, plan_id, p)
    if p.items:
        return None
    return Plan(
        id=plan_id,
        title=title,
        period=(period[0], period[1]),
        indicators=tuple(indicators),
        vocabulary=vocab,
        title_en=parse.opt_str(data, "title_en", (), p),
        issuer=parse.opt_str(data, "issuer", (), p),
        document=parse.opt_str(data, "document", (), p),
        source=parse.opt_str(data, "source", (), p),
        published=str(data["published"]) if data.get("published") is not None else None,
        baseline_year=baseline_year,
        notes=parse.opt_str(data, "notes", (), p),
        fields=tuple(plan_fields),
        path=path,
        extends=parent.id if parent is not None else None,
        not_applicable=excluded,
    )


def _build_fields(raw: Any, p: Problems) -> list[Field]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        p.add(("fields",), "expected a list of field definitions")
        return []
    out = []
    for i, d in enumerate(raw):
        path = ("fields", i)
        if not isinstance(d, dict):
            p.add(path, "expected a mapping with id, type, name, aliases")
            continue
        for key in d:
            if key not in FIELD_KEYS:
                p.add(
                    (*path, key), f"unknown key (expected one of: {', '.join(sorted(FIELD_KEYS))})"
                )
        fid = parse.req_str(d, "id", path, p)
        if fid and not ID_RE.match(fid):
            p.add((*path, "id"), "field ids are snake_case: lower-case letters, digits, _")
        if d.get("type", "number") not in FIELD_TYPES:
            p.add((*path, "type"), f"expected one of: {', '.join(FIELD_TYPES)}")
        if not isinstance(d.get("name"), dict) or "zh" not in d["name"]:
            p.add((*path, "name"), "expected {zh: ..., en: ...}")
        if d.get("level", "community") not in FIELD_LEVELS:
            p.add((*path, "level"), f"expected one of: {', '.join(FIELD_LEVELS)}")
        if d.get("aliases") is not None and not isinstance(d["aliases"], list):
            p.add((*path, "aliases"), "expected a list of header spellings")
        if fid and not p.items:
            out.append(field_from_dict(d))
    return out


def _build_indicator(
    raw: Any, path: tuple, p: Problems, known: set[str], vocab: Vocabulary, plan_id: str | None
) -> Indicator | None:
    if not isinstance(raw, dict):
        p.add(path, "expected a mapping with id, name, formula, target, cite")
        return None
    ind_id = raw.get("id") if isinstance(raw.get("id"), str) else None
    label = f"({ind_id}) " if ind_id else ""
    before = len(p.items)

    def add(sub: tuple, message: str) -> None:
        p.add((*path, *sub), message, label)

    for key in raw:
        if key not in INDICATOR_KEYS:
            add((key,), f"unknown key (expected one of: {', '.join(sorted(INDICATOR_KEYS))})")
    if not ind_id:
        add(("id",), "required: a snake_case id")
    elif not ID_RE.match(ind_id):
        add(("id",), "must be snake_case: lower-case letters, digits and _")
    name = raw.get("name")
    if not (isinstance(name, dict) and isinstance(name.get("zh"), str) and name.get("zh")):
        add(("name",), "expected {zh: <Chinese name>, en: <English name>}")
        name = {"zh": "", "en": ""}
    extra = sorted(str(k) for k in name if k not in ("zh", "en"))
    if extra:
        # Usually a comma inside an unquoted flow mapping: {en: per 10,000 people} splits.
        add(
            ("name",),
            f"unexpected key(s) {', '.join(map(repr, extra))}: only zh and en; "
            "quote a name that contains a comma",
        )
    cite = parse.citation(raw.get("cite"), (*path, "cite"), p, label) or Citation("", "")
    checkable = raw.get("checkable", True)
    if not isinstance(checkable, bool):
        add(("checkable",), "expected true or false")
        checkable = True
    binding = parse.binding(raw, lambda message: add(("binding",), message))
    oddities = raw.get("oddities") or []
    if not isinstance(oddities, list):
        add(("oddities",), "expected a list of short codes")
        oddities = []
    paraphrase = raw.get("paraphrase", False)
    if not isinstance(paraphrase, bool):
        add(("paraphrase",), "expected true (target_text is not the document's wording) or false")
    elif paraphrase and not raw.get("target_text"):
        add(("paraphrase",), "marks target_text as a paraphrase; give target_text")
    level = raw.get("level", "city")
    if level not in LEVELS:
        add(("level",), f"expected one of: {', '.join(LEVELS)}")
    scope = raw.get("scope", "all")
    if scope not in SCOPES:
        add(("scope",), f"expected one of: {', '.join(SCOPES)}")
    common = dict(
        id=ind_id or "",
        name_zh=str(name.get("zh", "")),
        name_en=str(name.get("en") or name.get("zh", "")),
        cite=cite,
        binding=binding,
        paraphrase=paraphrase is True,
        level=level,
        scope=scope,
        **_in_force(raw, add),
        note=parse.opt_str(raw, "note", path, p, label),
        oddities=tuple(str(o) for o in oddities),
        target_text=parse.opt_str(raw, "target_text", path, p, label),
        origin=plan_id,
    )
    if not checkable:
        if not raw.get("target_text") and raw.get("target") is None:
            add(
                ("target_text",), "a not-checkable target needs target_text (the target as printed)"
            )
        if len(p.items) > before:
            return None
        return Indicator(checkable=False, **common)

    formula = where = None
    if "formula" in raw and "checklist" in raw:
        add(("formula",), "give either formula or checklist, not both")
    if "formula" in raw:
        formula = _formula(raw["formula"], (*path, "formula"), p, known, label)
    checklist: tuple[str, ...] = ()
    if "checklist" in raw:
        items = raw["checklist"]
        if not isinstance(items, list) or not items:
            add(("checklist",), "expected a list of yes/no field ids")
        else:
            for j, item in enumerate(items):
                f = vocab.get(str(item))
                if f is None:
                    add(("checklist", j), f"unknown field {item!r}")
                elif f.type != "boolean":
                    add(("checklist", j), f"field {item!r} is {f.type}; checklist items are yes/no")
            checklist = tuple(str(x) for x in items)
    if "formula" not in raw and "checklist" not in raw:
        add(("formula",), "required for a checkable indicator (or give checklist)")
    if "where" in raw:
        where = _formula(raw["where"], (*path, "where"), p, known, label)

    is_condition = bool(checklist) or bool(formula and formula.is_condition)
    if formula and len(formula.fields) == 1 and not formula.is_condition:
        only = vocab.get(formula.fields[0])
        is_condition = bool(only and only.type == "boolean" and formula.text == only.id)
    has_division = formula is not None and "/" in formula.text
    default_aggregate = "share" if is_condition else ("ratio" if has_division else "mean")
    aggregate = raw.get("aggregate", default_aggregate)
    if aggregate not in AGGREGATES:
        add(("aggregate",), f"expected one of: {', '.join(AGGREGATES)}")
    if aggregate in ("share", "count") and formula is not None and not is_condition:
        add(("aggregate",), f"{aggregate!r} needs a condition (a comparison or a yes/no field)")

    target, by_type = None, {}
    if raw.get("target") is None:
        add(("target",), "required: e.g. {op: '>=', value: 30}")
    else:
        target, by_type = parse.targets(raw["target"], (*path, "target"), p, label)

    def read_stage_formula(text: Any, where: tuple) -> Any:
        return _formula(text, where, p, known, label)

    milestones = parse.milestones(
        raw.get("milestones"), (*path, "milestones"), p, label, read_stage_formula
    )
    baseline = parse.baseline(raw.get("baseline"), (*path, "baseline"), p, label)
    lever = raw.get("lever")
    if lever is not None and (formula is None or lever not in formula.fields):
        add(("lever",), "must be one of the fields in the formula")
    levels = {vocab[f].level for f in (formula.fields if formula else ()) if f in vocab}
    levels |= {vocab[f].level for f in checklist if f in vocab}
    if where is not None:
        levels |= {vocab[f].level for f in where.fields if f in vocab}
    if len(levels) > 1:
        add(("formula",), "mixes street-sheet fields with community fields; use one or the other")
    elif levels and level in FINER.get(own := next(iter(levels)), ()):
        add(
            ("level",),
            f"a fact of the {own} itself ({own}-sheet fields) is set per {own}: level {own}",
        )
    for j, stage in enumerate(milestones):
        if stage.formula is not None and lever is not None and lever not in stage.formula.fields:
            add(("milestones", j, "formula"), f"must use the lever field {lever!r} too")
    unit = raw.get("unit", "")
    if not isinstance(unit, str):
        add(("unit",), "expected text, e.g. '%' or '平方米/百户'")
    if len(p.items) > before:
        return None
    return Indicator(
        checkable=True,
        where=where,
        formula=formula,
        checklist=checklist,
        aggregate=aggregate,
        unit=unit,
        target=target,
        targets_by_type=by_type,
        milestones=milestones,
        baseline=baseline,
        lever=lever,
        condition=is_condition,
        **common,
    )


def _in_force(raw: dict, add) -> dict:
    """from/until (years the target applies) and superseded_by (the indicator taking over)."""
    out: dict[str, Any] = {}
    for key, attr in (("from", "in_from"), ("until", "in_until")):
        year = raw.get(key)
        if year is None:
            continue
        if not isinstance(year, int) or isinstance(year, bool):
            add((key,), "expected a year such as 2018")
            continue
        out[attr] = year
    if out.get("in_from") and out.get("in_until") and out["in_from"] > out["in_until"]:
        add(("until",), "is before from")
    successor = raw.get("superseded_by")
    if successor is not None:
        if not isinstance(successor, str) or not ID_RE.match(successor):
            add(("superseded_by",), "expected the id of the indicator that takes over")
        else:
            out["superseded_by"] = successor
            if "in_until" not in out:
                add(("until",), "a superseded target needs until: <its last year>")
    return out


def _formula(text: Any, path: tuple, p: Problems, known: set[str], label: str):
    if not isinstance(text, str):
        p.add(path, "expected a formula as text, e.g. facility_area / households * 100", label)
        return None
    try:
        return parse_formula(text, known)
    except FormulaError as exc:
        p.add(path, f"{exc} in {text!r}", label)
        return None

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

from indicators.model.errors import PlanError, said
from indicators.model.fields import (
    FIELD_TYPES,
    Field,
    Vocabulary,
    field_from_dict,
    shared_vocabulary,
)
from indicators.plan import inherit, keys, parse, safe_yaml
from indicators.plan.discover import find_plan_file
from indicators.plan.indicator import ID_RE, build_indicator
from indicators.plan.model import Plan
from indicators.plan.parse import PlanProblems, Problem, Problems

FIELD_LEVELS = ("community", "street", "district")
PLAN_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def load_plan(ref: str) -> Plan:
    """Load a plan by id (a file in the plan folders) or by path."""
    return load_plan_file(find_plan_file(ref))


def load_plan_file(path: Path, *, vocabulary: Vocabulary | None = None) -> Plan:
    """Read and validate a plan file; raise PlanError listing every problem."""
    return _load_file(Path(path), vocabulary, ())


def load_plan_text(
    text: str, file: str, *, path: Path | None = None, vocabulary: Vocabulary | None = None
) -> Plan:
    """Validate plan-file text; `file` names it in messages, `path` places relative `extends`."""
    return load_plan_source(text, file, path=path, vocabulary=vocabulary)[0]


def load_plan_source(
    text: str, file: str, *, path: Path | None = None, vocabulary: Vocabulary | None = None
) -> tuple[Plan, safe_yaml.LoadedYaml]:
    """The plan and the YAML it was read from, with the line of every key (for lint).
    Raises PlanProblems (a PlanError) with every problem as a record."""
    return _load_text(text, file, path, vocabulary, (path.resolve(),) if path else ())


MAX_PLAN_BYTES = 16 * 1024 * 1024  # the shipped plans are 20-60 KB


def read_plan_text(path: Path) -> str:
    """The plan file as text; its size is checked before it is read (a 2 GB "plan" took
    4.1 GB of memory before it was refused). Raises OSError / UnicodeDecodeError as reading
    does, PlanError when too large."""
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > MAX_PLAN_BYTES:
            mb, most = f"{size / 1024 / 1024:.0f}", MAX_PLAN_BYTES // 1024 // 1024
            raise PlanError(said("plan.too_large", path=path, mb=mb, max=most))
        data = fh.read(MAX_PLAN_BYTES + 1)
    return data.decode("utf-8")


def _load_file(path: Path, vocabulary: Vocabulary | None, chain: tuple[Path, ...]) -> Plan:
    shown = str(path)
    try:
        text = read_plan_text(Path(path))
    except FileNotFoundError:
        raise PlanError(said("plan.no_such_file", path=shown)) from None
    except UnicodeDecodeError:
        raise PlanError(said("plan.not_utf8", path=shown)) from None
    except OSError as exc:
        raise PlanError(said("plan.unreadable", path=shown, reason=exc.strerror)) from None
    return _load_text(text, shown, path, vocabulary, (*chain, path.resolve()))[0]


def _load_text(
    text: str,
    file: str,
    path: Path | None,
    vocabulary: Vocabulary | None,
    chain: tuple[Path, ...],
) -> tuple[Plan, safe_yaml.LoadedYaml]:
    try:
        loaded = safe_yaml.load(text)
    except safe_yaml.UnsafeYamlError as exc:
        problem = Problem(file, exc.line, None, "", str(exc))
        raise PlanProblems(str(problem), [problem]) from None
    problems = Problems(file, loaded)
    data = loaded.data
    if not isinstance(data, dict):
        problems.add((), said("plan.problem.plan_shape"))
        _raise(file, problems)
    parent = None
    if "extends" in data:
        parent = _parent(data, path, vocabulary, chain, problems)
        _raise(file, problems)  # without its parent, the rest of the plan cannot be judged
    plan = _build_plan(data, problems, path, vocabulary or shared_vocabulary(), parent)
    _raise(file, problems)
    return plan, loaded


def _raise(file: str, problems: Problems) -> None:
    if problems.records:
        n = len(problems.records)
        message = (
            said("plan.problems", file=file, n=n) if n > 1 else said("plan.problem_one", file=file)
        )
        raise PlanProblems(message, problems.records)


def _parent(
    data: dict, path: Path | None, vocab: Vocabulary | None, chain: tuple, p: Problems
) -> Plan | None:
    """Load the plan this one extends; a problem there is reported at `extends:`."""
    ref = data.get("extends")
    if not isinstance(ref, str) or not ref.strip():
        p.add(("extends",), said("plan.problem.extends_shape"))
        return None
    try:
        found = inherit.parent_file(ref.strip(), path)
    except PlanError as exc:
        p.add(("extends",), exc.said)
        return None
    if found.resolve() in chain:
        p.add(("extends",), inherit.cycle_text(chain, found.resolve()))
        return None
    if len(chain) > inherit.MAX_DEPTH:
        p.add(("extends",), said("plan.problem.extends_depth", depth=inherit.MAX_DEPTH))
        return None
    try:
        return _load_file(found, vocab, chain)
    except PlanError as exc:
        p.add(("extends",), said("plan.problem.parent_invalid", reason=exc.said))
        p.nest(getattr(exc, "records", []), skip=exc.message)
        return None


def _build_plan(
    data: dict, p: Problems, path: Path | None, vocab: Vocabulary, parent: Plan | None
) -> Plan | None:
    plan_keys = keys.PLAN_NAMES
    for key in data:
        if key not in plan_keys:
            p.add((key,), said("plan.problem.unknown_key", expected=", ".join(sorted(plan_keys))))
    for key in ("overrides", "not_applicable"):
        if key in data and "extends" not in data:
            p.add((key,), said("plan.problem.only_extending", name=key))
    plan_id = parse.req_str(data, "id", (), p)
    if plan_id and not PLAN_ID_RE.match(plan_id):
        p.add(("id",), said("plan.problem.plan_id"))
    if parent is not None and plan_id == parent.id:
        p.add(("id",), said("plan.problem.same_id", parent=parent.id))
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
        p.add(("period",), said("plan.problem.period"))
        period = [0, 0]
    baseline_year = parse.opt_int(data, "baseline_year", (), p)
    if baseline_year is None and parent is not None and "period" not in data:
        baseline_year = parent.baseline_year

    if parent is not None:
        vocab = parent.vocabulary
    plan_fields = _build_fields(data.get("fields"), p)
    vocab = vocab.extended(plan_fields)

    raw_indicators = data.get("indicators")
    indicators: list = []
    if not isinstance(raw_indicators, list) or not raw_indicators:
        if "extends" not in data or raw_indicators is not None:
            p.add(("indicators",), said("plan.problem.indicators_shape"))
        raw_indicators = raw_indicators if isinstance(raw_indicators, list) else []
    seen: set[str] = set()
    for i, raw in enumerate(raw_indicators):
        ind = build_indicator(raw, ("indicators", i), p, vocab, plan_id)
        if ind is None:
            continue
        if ind.id in seen:
            p.add(("indicators", i, "id"), said("plan.problem.duplicate_id", id=repr(ind.id)))
        seen.add(ind.id)
        indicators.append((i, ind))
    for i, ind in indicators:
        if ind.superseded_by and ind.superseded_by not in seen:
            p.add(
                ("indicators", i, "superseded_by"),
                said("plan.problem.no_successor", id=repr(ind.superseded_by)),
                f"({ind.id}) ",
            )
    indicators = [ind for _, ind in indicators]
    excluded: tuple = ()
    if parent is not None and plan_id:
        indicators, excluded = inherit.apply(parent, indicators, data, plan_id, p)
    if p.records:
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
        p.add(("fields",), said("plan.problem.fields_shape"))
        return []
    out = []
    for i, d in enumerate(raw):
        path = ("fields", i)
        if not isinstance(d, dict):
            p.add(path, said("plan.problem.field_shape"))
            continue
        for key in d:
            if key not in keys.FIELD_NAMES:
                expected = ", ".join(sorted(keys.FIELD_NAMES))
                p.add((*path, key), said("plan.problem.unknown_key", expected=expected))
        fid = parse.req_str(d, "id", path, p)
        if fid and not ID_RE.match(fid):
            p.add((*path, "id"), said("plan.problem.field_id"))
        if d.get("type", "number") not in FIELD_TYPES:
            p.add((*path, "type"), said("plan.problem.one_of", expected=", ".join(FIELD_TYPES)))
        if not isinstance(d.get("name"), dict) or "zh" not in d["name"]:
            p.add((*path, "name"), said("plan.problem.field_name"))
        if d.get("level", "community") not in FIELD_LEVELS:
            p.add((*path, "level"), said("plan.problem.one_of", expected=", ".join(FIELD_LEVELS)))
        if d.get("aliases") is not None and not isinstance(d["aliases"], list):
            p.add((*path, "aliases"), said("plan.problem.aliases"))
        if fid and not p.records:
            out.append(field_from_dict(d))
    return out

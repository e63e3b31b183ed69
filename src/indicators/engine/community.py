"""Per-community values: scope, formula, status, gap and the shortfall in natural units.

Everything is vectorised over the whole census frame; no Python loop runs per community.
Reasons for "not computable" are short codes ("missing:households", "zero:households",
"type-missing") that reports turn into words in the user's language.
"""

from __future__ import annotations

import ast

import numpy as np
import pandas as pd

from indicators.engine.results import MET, NO_TARGET, NOT_COMPUTABLE, NOT_MET
from indicators.fields import Vocabulary
from indicators.formula import Formula, parse
from indicators.plan.model import Indicator, Target


def column(frame: pd.DataFrame, field_id: str) -> np.ndarray:
    """A numeric field as float64; a column the census lacks is all missing."""
    if field_id in frame.columns:
        return pd.to_numeric(frame[field_id], errors="coerce").to_numpy(dtype="float64")
    return np.full(len(frame), np.nan)


class Env(dict):
    """Field id -> float64 column, built on first use."""

    def __init__(self, frame: pd.DataFrame) -> None:
        super().__init__()
        self.frame = frame
        self.groupings: dict[str, tuple] = {}  # level -> group numbers (engine.aggregate)

    def __missing__(self, key: str) -> np.ndarray:
        value = column(self.frame, key)
        self[key] = value
        return value


def scope_masks(
    ind: Indicator, frame: pd.DataFrame, env: Env
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(in_scope, unknown, why): unknown rows cannot be placed in or out of scope, and `why`
    says so ("type-missing", or the `where` input that is missing)."""
    n = len(frame)
    in_scope = np.ones(n, dtype=bool)
    unknown = np.zeros(n, dtype=bool)
    why = np.full(n, "", dtype=object)
    if ind.scope != "all" or ind.targets_by_type:
        types = frame["community_type"] if "community_type" in frame else pd.Series([pd.NA] * n)
        missing = types.isna().to_numpy()
        if ind.scope != "all":
            in_scope = (types == ind.scope).fillna(False).to_numpy(dtype=bool)
        unknown = unknown | missing
        why = np.where(missing, "type-missing", why)
    if ind.where is not None:
        ev = ind.where.evaluate(env)
        w = ev.values
        cannot = np.isnan(w)
        where_why = reasons(ind.where.fields, env, ev.zero_division, n)
        why = np.where((why == "") & cannot, where_why, why)
        unknown = unknown | cannot
        in_scope = in_scope & (np.nan_to_num(w, nan=0.0) != 0)
    return in_scope | unknown, unknown, why


def reasons(fields: tuple[str, ...], env: Env, zero_division, n: int) -> np.ndarray:
    """First reason per row why a value is missing (empty where it is not)."""
    out = np.full(n, "", dtype=object)
    for f in fields:
        if f not in env.frame.columns:
            out = np.where(out == "", f"no-column:{f}", out)
            continue
        miss = np.isnan(env[f])
        out = np.where((out == "") & miss, f"missing:{f}", out)
    for denominator, mask in zero_division:
        out = np.where((out == "") & mask, f"zero:{denominator}", out)
    return out


def default_lever(ind: Indicator) -> str | None:
    """The field a shortfall is counted in: the plan's `lever`, else the first field of the
    numerator of a ratio (`facility_area` in facility_area / households * 100), else a
    formula's only field. For a condition `<expr> >= c` the same rule applies to <expr>."""
    if ind.lever:
        return ind.lever
    if ind.formula is None:
        return None
    if ind.formula.is_condition:
        parts = condition_parts(ind)
        return default_lever_of(parts[0]) if parts else None
    return default_lever_of(ind.formula)


def condition_parts(ind: Indicator) -> tuple[Formula, Target] | None:
    """For a condition `<expr> >= c`: the numeric side and its threshold, for shortfalls."""
    if ind.formula is None or not ind.formula.is_condition:
        return None
    body = ind.formula.tree.body
    if not (isinstance(body, ast.Compare) and len(body.ops) == 1):
        return None
    right = body.comparators[0]
    if not isinstance(right, ast.Constant):
        return None
    ops = {ast.GtE: ">=", ast.Gt: ">", ast.LtE: "<=", ast.Lt: "<", ast.Eq: "=="}
    op = ops.get(type(body.ops[0]))
    if op is None:
        return None
    return parse(ast.unparse(body.left)), Target(op=op, value=float(right.value))


def shortfall(formula: Formula, target: Target, env: dict, lever: str, integer: bool) -> np.ndarray:
    """How much of `lever` each row must add (negative: remove) for the formula to meet the
    target. Exact in one step for a formula linear in the lever (a numerator); a lever in a
    denominator (residents per worker) is refined by Newton steps. 0 where met."""
    lever_values = np.asarray(env[lever], dtype="float64")
    base = formula.evaluate(env).values
    bumped = dict(env)
    bumped[lever] = lever_values + 1.0
    slope = formula.evaluate(bumped).values - base
    gap = target.gap(base)
    with np.errstate(divide="ignore", invalid="ignore"):
        need = np.where((slope != 0) & np.isfinite(slope), -gap / slope, np.nan)
    met = target.met(base)
    need = np.where(met, 0.0, need)
    need = _refine(formula, target, env, lever, lever_values, need, met)
    if integer:
        need = np.where(need > 0, np.ceil(need - 1e-9), np.floor(need + 1e-9))
        # Rounded away from zero a whole number normally meets the target; exactly at a
        # strict bound (need 0) one more (or one fewer) unit is required: step toward it.
        if target.wants_increase is None:
            toward = np.zeros_like(slope)
        else:
            toward = np.sign(slope) if target.wants_increase else -np.sign(slope)
        step = np.where(need != 0, np.sign(need), toward)
        still = ~target.met(_apply(formula, env, lever, need))
        need = np.where(still & ~met, need + step, need)
    return need


def _refine(formula, target, env, lever, lever_values, need, met) -> np.ndarray:
    """Newton steps on rows the first (linear) estimate leaves short of the target."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for _ in range(60):
            at = _apply(formula, env, lever, need)
            todo = ~met & np.isfinite(need) & ~target.met(at)
            if not todo.any():
                break
            h = 1e-6 * np.maximum(1.0, np.abs(lever_values + need))
            derivative = (_apply(formula, env, lever, need + h) - at) / h
            step = -target.gap(at) / derivative
            ok = todo & np.isfinite(step) & (step != 0)
            if not ok.any():
                break
            need = np.where(ok, need + step, need)
    return need


def _apply(formula: Formula, env: dict, lever: str, delta: np.ndarray) -> np.ndarray:
    moved = dict(env)
    moved[lever] = np.asarray(env[lever], dtype="float64") + np.nan_to_num(delta)
    return formula.evaluate(moved).values


def evaluate_communities(
    ind: Indicator,
    frame: pd.DataFrame,
    env: Env,
    vocab: Vocabulary,
    target: Target | None,
) -> tuple[pd.DataFrame, str | None]:
    """The community rows of one indicator, and the lever field its shortfall is counted in."""
    n = len(frame)
    in_scope, unknown, unknown_why = scope_masks(ind, frame, env)
    missing_items = np.full(n, "", dtype=object)
    if ind.checklist:
        items = np.vstack([env[f] for f in ind.checklist])
        values = np.where(np.isnan(items).any(axis=0), np.nan, (items == 1).sum(axis=0))
        present_all = np.where(np.isnan(values), np.nan, values == len(ind.checklist))
        zero = []
        for f in ind.checklist:
            name = vocab[f].name_zh if f in vocab else f
            missing_items = np.where(env[f] == 0, missing_items + name + "、", missing_items)
        missing_items = np.array([s.rstrip("、") for s in missing_items], dtype=object)
        fields = ind.checklist
    else:
        ev = ind.formula.evaluate(env)
        values, zero = ev.values, ev.zero_division
        fields = ind.formula.fields
        present_all = values
    reason = reasons(fields, env, zero, n)
    reason = np.where(unknown, unknown_why, reason)
    computable = in_scope & ~unknown & ~np.isnan(values)

    status = np.full(n, NOT_COMPUTABLE, dtype=object)
    gap = np.full(n, np.nan)
    need = np.full(n, np.nan)
    lever = default_lever(ind)
    if ind.is_condition:
        ok = np.nan_to_num(present_all, nan=0.0) == 1
        status = np.where(computable, np.where(ok, MET, NOT_MET), status)
        parts = condition_parts(ind)
        if parts is not None:
            sub, sub_target = parts
            if lever:
                integer = vocab.get(lever) is not None and vocab[lever].type == "integer"
                need = shortfall(sub, sub_target, env, lever, integer)
                gap = sub_target.gap(sub.evaluate(env).values)
        elif ind.checklist:
            lever = None
            need = np.where(computable, len(ind.checklist) - values, np.nan)
    elif ind.aggregate == "sum" and ind.level != "community":
        # A total set for a street or the city says nothing about one community.
        status = np.where(computable, NO_TARGET, status)
    else:
        met, gap = _compare(ind, frame, values, target)
        status = np.where(computable, np.where(met, MET, NOT_MET), status)
        if lever:
            integer = vocab.get(lever) is not None and vocab[lever].type == "integer"
            need = _shortfall_by_type(ind, frame, env, lever, integer, target)
    need = np.where(computable, need, np.nan)
    gap = np.where(computable, gap, np.nan)
    values_out = np.where(in_scope & ~unknown, values, np.nan)
    out = pd.DataFrame(
        {
            "in_scope": in_scope,
            "value": values_out,
            "status": status,
            "gap": gap,
            "shortfall": need,
            "reason": np.where(computable, "", reason),
            "scope_unknown": unknown,
            "missing_items": missing_items,
        },
        index=frame.index,
    )
    return out, lever


def default_lever_of(formula: Formula) -> str | None:
    names = formula.fields
    if not names:
        return None
    node = formula.tree.body
    while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        node = node.left if not isinstance(node.left, ast.Constant) else node.right
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        left = [n.id for n in ast.walk(node.left) if isinstance(n, ast.Name)]
        return left[0] if left else None
    return names[0] if len(names) == 1 else None


def _targets_per_row(ind: Indicator, frame: pd.DataFrame, target: Target | None):
    if not ind.targets_by_type:
        return [(np.ones(len(frame), dtype=bool), target)]
    types = (
        frame["community_type"] if "community_type" in frame else pd.Series([pd.NA] * len(frame))
    )
    return [
        ((types == kind).fillna(False).to_numpy(dtype=bool), t)
        for kind, t in ind.targets_by_type.items()
    ]


def _compare(ind, frame, values, target):
    met = np.zeros(len(frame), dtype=bool)
    gap = np.full(len(frame), np.nan)
    for mask, t in _targets_per_row(ind, frame, target):
        if t is None:
            continue
        met = np.where(mask, t.met(values), met)
        gap = np.where(mask, t.gap(values), gap)
    return met, gap


def _shortfall_by_type(ind, frame, env, lever, integer, target):
    need = np.full(len(frame), np.nan)
    for mask, t in _targets_per_row(ind, frame, target):
        if t is None:
            continue
        need = np.where(mask, shortfall(ind.formula, t, env, lever, integer), need)
    return need

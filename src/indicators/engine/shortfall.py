"""Shortfalls in natural units: how much of the lever field a community or group must add
(negative: remove) to meet a target, and the smallest whole change to a count that does."""

from __future__ import annotations

import numpy as np

from indicators.formula.parse import Formula
from indicators.plan.model import Target


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


def whole_steps(have: np.ndarray, target: Target, scale) -> np.ndarray:
    """The smallest whole change to a count `have` that meets the target, whose bounds are
    multiplied by `scale` (1 for counts; n/100 for a share of n communities): positive to
    add, negative to remove. Strict bounds need one whole unit beyond them; a range or band
    is reached at its nearer end."""
    low, high, low_strict, high_strict = target.bounds
    with np.errstate(invalid="ignore"):  # inf x 0 in a group with no community: masked later
        lo = low * scale - have  # change needed to reach the low bound (-inf: none)
        hi = high * scale - have  # change allowed before passing the high bound (+inf: none)
        if low_strict:
            below, up = lo >= -1e-9, np.floor(lo + 1e-9) + 1
        else:
            below, up = lo > 0, np.ceil(lo - 1e-9)
        if high_strict:
            above, down = hi <= 1e-9, np.ceil(hi - 1e-9) - 1
        else:
            above, down = hi < 0, np.floor(hi + 1e-9)
        return np.where(below, up, np.where(above, down, 0.0))

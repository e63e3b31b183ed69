"""Evaluation of checked formulas over whole columns with numpy (see formula.py)."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

_CMPOPS = {
    ast.Gt: np.greater,
    ast.GtE: np.greater_equal,
    ast.Lt: np.less,
    ast.LtE: np.less_equal,
    ast.Eq: np.equal,
    ast.NotEq: np.not_equal,
}


@dataclass
class Evaluation:
    values: np.ndarray
    # (denominator as written, mask of rows where it was zero), one entry per division
    zero_division: list[tuple[str, np.ndarray]]


def evaluate(tree: ast.Expression, env: Mapping[str, object], length: int | None) -> Evaluation:
    ev = _Evaluator(env)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        values = np.asarray(ev.visit(tree.body), dtype="float64")
    if values.ndim == 0:
        n = length if length is not None else len(getattr(env, "frame", ())) or 1
        values = np.full(n, float(values))
    shape = values.shape
    zero = [(text, np.broadcast_to(mask, shape).copy()) for text, mask in ev.zero_division]
    return Evaluation(values, zero)


class _Evaluator:
    def __init__(self, env: Mapping[str, object]) -> None:
        self.env = env
        self.zero_division: list[tuple[str, np.ndarray]] = []

    def column(self, name: str) -> np.ndarray:
        return np.asarray(self.env[name], dtype="float64")

    def visit(self, node: ast.AST) -> np.ndarray:
        if isinstance(node, ast.Constant):
            return np.float64(node.value)
        if isinstance(node, ast.Name):
            return self.column(node.id)
        if isinstance(node, ast.UnaryOp):
            x = self.visit(node.operand)
            if isinstance(node.op, ast.USub):
                return -x
            if isinstance(node.op, ast.UAdd):
                return x
            return _bool(np.where(np.isnan(x), np.nan, x == 0))
        if isinstance(node, ast.BinOp):
            a, b = self.visit(node.left), self.visit(node.right)
            if isinstance(node.op, ast.Div):
                zero = np.asarray(b) == 0
                if zero.any():
                    self.zero_division.append((ast.unparse(node.right), zero))
                return np.where(np.asarray(b) == 0, np.nan, a / np.where(b == 0, 1, b))
            return {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply}[type(node.op)](
                a, b
            )
        if isinstance(node, ast.Compare):
            left = self.visit(node.left)
            result = None
            missing = np.isnan(left)
            for op, comp in zip(node.ops, node.comparators, strict=False):
                right = self.visit(comp)
                missing = missing | np.isnan(right)
                part = _CMPOPS[type(op)](left, right)
                result = part if result is None else (result & part)
                left = right
            return _bool(np.where(missing, np.nan, result))
        if isinstance(node, ast.BoolOp):
            values = [self.visit(v) for v in node.values]
            truth = [np.nan_to_num(v, nan=0.0) != 0 for v in values]
            missing = np.isnan(values[0])
            for v in values[1:]:
                missing = missing | np.isnan(v)
            combined = truth[0]
            for x in truth[1:]:
                combined = (combined & x) if isinstance(node.op, ast.And) else (combined | x)
            return _bool(np.where(missing, np.nan, combined))
        if isinstance(node, ast.Call):
            args = [self.visit(a) for a in node.args]
            name = node.func.id  # type: ignore[attr-defined]
            if name == "abs":
                return np.abs(args[0])
            if name == "round":
                digits = int(np.asarray(args[1]).flat[0]) if len(args) > 1 else 0
                return np.round(args[0], digits)
            reduce = np.minimum if name == "min" else np.maximum
            out = args[0]
            for x in args[1:]:
                out = reduce(out, x)
            return out
        raise ValueError(f"cannot evaluate {type(node).__name__}")  # unreachable after _check


def _bool(x: np.ndarray) -> np.ndarray:
    return np.asarray(x, dtype="float64")

"""A small, safe expression language over census fields, evaluated over whole columns.

Plan files write formulas such as `facility_area / households * 100` or
`has_service_facility and households > 0`. The text is parsed with `ast` and every node is
checked against a whitelist; anything else is a FormulaError that gives the position. User
text is never passed to eval or exec: evaluation walks the checked tree with numpy.

Values are float64 arrays. Booleans are 1.0 / 0.0. Missing inputs give NaN. A division by
zero gives NaN too, and its rows are recorded so the report can say why a value is not
computable.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from indicators.model.errors import Said, said

if TYPE_CHECKING:
    from indicators.formula.evaluate import Evaluation

FUNCTIONS = ("min", "max", "abs", "round")
MAX_LENGTH = 500
MAX_CONSTANT = 1e15

_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_CMPOPS = (ast.Gt, ast.GtE, ast.Lt, ast.LtE, ast.Eq, ast.NotEq)


class FormulaError(ValueError):
    """A formula that is not in the language. `position` is 1-based within the formula.

    `said` is the message from the catalogue, worded in the reader's language when shown;
    `str()` gives it in English."""

    def __init__(self, message: Said, position: int | None = None) -> None:
        self.reason = str(message)  # the English reason, without the position
        self.position = position
        self.said = message if position is None else said("formula.at", what=message, at=position)
        super().__init__(str(self.said))


@dataclass(frozen=True)
class Formula:
    text: str
    tree: ast.Expression = field(repr=False, compare=False)
    fields: tuple[str, ...]  # field ids in order of first use
    is_condition: bool  # the top node is a comparison or a boolean operation

    def evaluate(self, env: Mapping[str, object], length: int | None = None) -> Evaluation:
        """Evaluate over columns: env maps field id -> array-like of equal length.

        `length` is needed only when the formula uses no field (a constant)."""
        from indicators.formula.evaluate import evaluate  # numpy loads only when evaluating

        return evaluate(self.tree, env, length)


def parse(text: str, known_fields: set[str] | None = None) -> Formula:
    """Parse and check a formula. `known_fields`, when given, rejects any other name."""
    if not isinstance(text, str) or not text.strip():
        raise FormulaError(said("formula.empty"))
    if len(text) > MAX_LENGTH:
        raise FormulaError(said("formula.too_long", max=MAX_LENGTH))
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise FormulaError(said("formula.syntax", detail=exc.msg), exc.offset) from None
    names: list[str] = []
    _check(tree.body, names, known_fields)
    body = tree.body
    is_condition = isinstance(body, (ast.Compare, ast.BoolOp)) or (
        isinstance(body, ast.UnaryOp) and isinstance(body.op, ast.Not)
    )
    return Formula(text.strip(), tree, tuple(dict.fromkeys(names)), is_condition)


def _pos(node: ast.AST) -> int:
    return getattr(node, "col_offset", 0) + 1


def _check(node: ast.AST, names: list[str], known: set[str] | None) -> None:
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _BINOPS:
            symbol = "**" if isinstance(node.op, ast.Pow) else type(node.op).__name__
            raise FormulaError(said("formula.operator", op=repr(symbol)), _pos(node))
        _check(node.left, names, known)
        _check(node.right, names, known)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, (ast.USub, ast.UAdd, ast.Not)):
            raise FormulaError(said("formula.unary"), _pos(node))
        _check(node.operand, names, known)
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            _check(value, names, known)
    elif isinstance(node, ast.Compare):
        for op in node.ops:
            if type(op) not in _CMPOPS:
                raise FormulaError(said("formula.comparison"), _pos(node))
        _check(node.left, names, known)
        for comparator in node.comparators:
            _check(comparator, names, known)
    elif isinstance(node, ast.Name):
        if node.id in FUNCTIONS:
            raise FormulaError(said("formula.bare_function", name=node.id), _pos(node))
        if known is not None and node.id not in known:
            raise FormulaError(_unknown_field(node.id, known), _pos(node))
        names.append(node.id)
    elif isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise FormulaError(said("formula.constant", got=repr(node.value)), _pos(node))
        if abs(node.value) > MAX_CONSTANT:
            raise FormulaError(said("formula.too_large", n=node.value), _pos(node))
    elif isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            shown = ast.unparse(node.func)
            raise FormulaError(
                said("formula.function", name=repr(shown), allowed=", ".join(FUNCTIONS)), _pos(node)
            )
        if node.keywords or not node.args:
            raise FormulaError(said("formula.positional", name=node.func.id), _pos(node))
        if node.func.id == "abs" and len(node.args) != 1:
            raise FormulaError(said("formula.abs_args"), _pos(node))
        if node.func.id == "round" and len(node.args) > 2:
            raise FormulaError(said("formula.round_args"), _pos(node))
        if node.func.id == "round" and len(node.args) == 2:
            _check_digits(node.args[1])
        for arg in node.args:
            _check(arg, names, known)
    else:
        kinds = {
            ast.Attribute: "attribute",
            ast.Subscript: "subscript",
            ast.Lambda: "lambda",
            ast.ListComp: "comprehension",
            ast.GeneratorExp: "comprehension",
            ast.SetComp: "comprehension",
            ast.DictComp: "comprehension",
            ast.IfExp: "conditional",
            ast.NamedExpr: "assignment",
        }
        kind = kinds.get(type(node))
        what = said(f"formula.kind.{kind}") if kind else type(node).__name__
        raise FormulaError(said("formula.not_allowed", what=what), _pos(node))


def _unknown_field(name: str, known: set[str]) -> Said:
    import difflib

    close = difflib.get_close_matches(name, sorted(known), n=1)
    if close:
        return said("formula.unknown_field_close", name=repr(name), close=repr(close[0]))
    return said("formula.unknown_field", name=repr(name))


MAX_DIGITS = 15  # float64 holds 15-17 significant digits: more is no rounding at all


def _check_digits(node: ast.expr) -> None:
    """round(x, digits): digits must be a whole number written in the formula, -15..15.
    round(x, 1e15) and round(x, field) passed lint and crashed check (found by the red team)."""
    inner = node
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = node.operand
    value = inner.value if isinstance(inner, ast.Constant) else None
    if (
        not isinstance(value, (int, float))
        or isinstance(value, bool)
        or value != int(value)
        or abs(value) > MAX_DIGITS
    ):
        raise FormulaError(
            said("formula.round_digits", max=MAX_DIGITS, got=repr(ast.unparse(node))), _pos(node)
        )

"""Per-community values: scope, formula, status, gap and the shortfall in natural units.

Everything is vectorised over the whole census frame; no Python loop runs per community.
Reasons for "not computable" are short codes ("missing:households", "zero:households",
"type-missing") that reports turn into words in the user's language.
"""

from __future__ import annotations

import ast

import numpy as np
import pandas as pd

from indicators.engine.env import Env
from indicators.engine.methods import method_of
from indicators.engine.results import MET, NO_TARGET, NOT_COMPUTABLE, NOT_MET
from indicators.engine.shortfall import shortfall
from indicators.formula.parse import Formula, parse
from indicators.model.fields import Vocabulary
from indicators.plan.model import Indicator, Target

# Per-community status as small integer codes while computing; the frames handed to
# renderers hold the same words (as a Categorical: `== "met"` and `.to_numpy()` behave as
# on strings).
STATUS_WORDS = (NOT_COMPUTABLE, MET, NOT_MET, NO_TARGET)
S_NOT_COMPUTABLE, S_MET, S_NOT_MET, S_NO_TARGET = range(4)


class Codes:
    """Short texts (reasons, missing items) as row codes into one table; 0 is ""."""

    def __init__(self) -> None:
        self.words: list[str] = [""]
        self._index: dict[str, int] = {"": 0}

    def code(self, word: str) -> int:
        if word not in self._index:
            self._index[word] = len(self.words)
            self.words.append(word)
        return self._index[word]

    def fill(self, out: np.ndarray, mask: np.ndarray, word: str) -> np.ndarray:
        """Rows of `out` that have no text yet and are in `mask` get `word`."""
        todo = (out == 0) & mask
        if todo.any():
            out = out.copy()
            out[todo] = self.code(word)
        return out

    def empty(self, n: int) -> np.ndarray:
        return np.zeros(n, dtype=np.int32)


def categorical(words, codes: np.ndarray, index) -> pd.Series:
    """A Categorical column of the words `codes` point at, with only the words that occur as
    categories (sorted, so sorting and value counts look as on plain strings)."""
    if len(words) == 1:
        present = np.zeros(1 if len(codes) else 0, dtype=np.intp)
    else:
        present = np.flatnonzero(np.bincount(codes, minlength=len(words)))
    order = sorted(present, key=lambda c: words[c])
    small = np.int8 if len(words) < 127 else np.int32
    remap = np.zeros(len(words), dtype=small)
    remap[order] = np.arange(len(order), dtype=small)
    dtype = pd.CategoricalDtype(pd.Index([words[c] for c in order]))
    compact = remap[codes] if len(words) > 1 else np.zeros(len(codes), dtype=small)
    return pd.Series(pd.Categorical.from_codes(compact, dtype=dtype, validate=False), index=index)


def scope_masks(
    ind: Indicator, frame: pd.DataFrame, env: Env, texts: Codes
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(in_scope, unknown, why): unknown rows cannot be placed in or out of scope, and `why`
    says so ("type-missing", or the `where` input that is missing), as codes into `texts`."""
    n = len(frame)
    in_scope = np.ones(n, dtype=bool)
    unknown = np.zeros(n, dtype=bool)
    why = texts.empty(n)
    if ind.scope != "all" or ind.targets_by_type:
        missing = env.types_missing()
        if ind.scope != "all":
            in_scope = env.type_is(ind.scope)
        unknown = unknown | missing
        why = texts.fill(why, missing, "type-missing")
    if ind.where is not None:
        ev = ind.where.evaluate(env)
        w = ev.values
        cannot = np.isnan(w)
        where_why = reasons(ind.where.fields, env, ev.zero_division, n, texts)
        why = np.where((why == 0) & cannot, where_why, why)
        unknown = unknown | cannot
        in_scope = in_scope & (np.nan_to_num(w, nan=0.0) != 0)
    return in_scope | unknown, unknown, why


def reasons(fields: tuple[str, ...], env: Env, zero_division, n: int, texts: Codes) -> np.ndarray:
    """First reason per row why a value is missing (code 0, "", where it is not)."""
    out = texts.empty(n)
    for f in fields:
        if f not in env.frame.columns:
            out = texts.fill(out, np.ones(n, dtype=bool), f"no-column:{f}")
            continue
        out = texts.fill(out, np.isnan(env[f]), f"missing:{f}")
    for denominator, mask in zero_division:
        out = texts.fill(out, mask, f"zero:{denominator}")
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


def evaluate_communities(
    ind: Indicator,
    frame: pd.DataFrame,
    env: Env,
    vocab: Vocabulary,
    target: Target | None,
) -> tuple[pd.DataFrame, str | None, np.ndarray]:
    """The community rows of one indicator, the lever field its shortfall is counted in, and
    the status of every row as codes (STATUS_WORDS)."""
    n = len(frame)
    texts = Codes()
    in_scope, unknown, unknown_why = scope_masks(ind, frame, env, texts)
    if ind.checklist:
        items = np.vstack([env[f] for f in ind.checklist])
        values = np.where(np.isnan(items).any(axis=0), np.nan, (items == 1).sum(axis=0))
        present_all = np.where(np.isnan(values), np.nan, values == len(ind.checklist))
        zero = []
        missing_words, missing_codes = _missing_items(ind, env, vocab, n)
        fields = ind.checklist
    else:
        ev = ind.formula.evaluate(env)
        values, zero = ev.values, ev.zero_division
        fields = ind.formula.fields
        present_all = values
        missing_words, missing_codes = [""], np.zeros(n, dtype=np.int32)
    reason = reasons(fields, env, zero, n, texts)
    reason = np.where(unknown, unknown_why, reason)
    computable = in_scope & ~unknown & ~np.isnan(values)

    status = np.full(n, S_NOT_COMPUTABLE, dtype=np.int8)
    gap = np.full(n, np.nan)
    need = np.full(n, np.nan)
    lever = default_lever(ind)
    if ind.is_condition:
        ok = np.nan_to_num(present_all, nan=0.0) == 1
        status[computable] = S_NOT_MET
        status[computable & ok] = S_MET
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
    elif method_of(ind).adds_values and ind.level != "community":
        # A total set for a street or the city says nothing about one community.
        status[computable] = S_NO_TARGET
    else:
        met, gap = _compare(ind, frame, env, values, target)
        status[computable] = S_NOT_MET
        status[computable & met] = S_MET
        if lever:
            integer = vocab.get(lever) is not None and vocab[lever].type == "integer"
            need = _shortfall_by_type(ind, frame, env, lever, integer, target)
    if target is None and not ind.targets_by_type:
        # not in force this year (from/until): values for information, nobody is judged
        status[computable] = S_NO_TARGET
        need = np.full(n, np.nan)
        gap = np.full(n, np.nan)
    need = np.where(computable, need, np.nan)
    gap = np.where(computable, gap, np.nan)
    values_out = np.where(in_scope & ~unknown, values, np.nan)
    reason = np.where(computable, 0, reason)
    index = frame.index
    out = pd.DataFrame(
        {
            "in_scope": in_scope,
            "value": values_out,
            "status": categorical(STATUS_WORDS, status, index),
            "gap": gap,
            "shortfall": need,
            "reason": categorical(texts.words, reason, index),
            "scope_unknown": unknown,
            "missing_items": categorical(missing_words, missing_codes, index),
        },
        index=index,
    )
    return out, lever, status


def _missing_items(ind: Indicator, env: Env, vocab: Vocabulary, n: int):
    """Names of the checklist items a community lacks ("图书室、活动室"), as (words, row
    codes): one text per distinct pattern of missing items, not one per row."""
    lacking = np.vstack([env[f] == 0 for f in ind.checklist])
    k = len(ind.checklist)
    if k <= 16:
        pattern = np.zeros(n, dtype=np.int64)
        for bit in range(k):
            pattern |= lacking[bit].astype(np.int64) << bit
        present = np.flatnonzero(np.bincount(pattern, minlength=1 << k))
        number = np.zeros(1 << k, dtype=np.int32)
        number[present] = np.arange(len(present), dtype=np.int32)
        codes = number[pattern]
        patterns = [[bool(p >> bit & 1) for bit in range(k)] for p in present]
    else:
        rows, codes = np.unique(lacking.T, axis=0, return_inverse=True)
        patterns = [[bool(x) for x in row] for row in rows]
    words = []
    for lacks in patterns:
        text = ""
        for f, lack in zip(ind.checklist, lacks, strict=True):
            if lack:
                text += (vocab[f].name_zh if f in vocab else f) + "、"
        words.append(text.rstrip("、"))
    # equal texts (two items with one name) must be one category
    first = {w: i for i, w in reversed(list(enumerate(words)))}
    canon = np.array([first[w] for w in words], dtype=np.int32)
    return words, canon[np.asarray(codes).reshape(-1)]


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


def _targets_per_row(ind: Indicator, env: Env, target: Target | None):
    if not ind.targets_by_type:
        return [(None, target)]
    return [(env.type_is(kind), t) for kind, t in ind.targets_by_type.items()]


def _compare(ind, frame, env, values, target):
    met = np.zeros(len(frame), dtype=bool)
    gap = np.full(len(frame), np.nan)
    for mask, t in _targets_per_row(ind, env, target):
        if t is None:
            continue
        if mask is None:
            met, gap = t.met(values), t.gap(values)
        else:
            met = np.where(mask, t.met(values), met)
            gap = np.where(mask, t.gap(values), gap)
    return met, gap


def _shortfall_by_type(ind, frame, env, lever, integer, target):
    need = np.full(len(frame), np.nan)
    for mask, t in _targets_per_row(ind, env, target):
        if t is None:
            continue
        found = shortfall(ind.formula, t, env, lever, integer)
        need = found if mask is None else np.where(mask, found, need)
    return need

"""A formula as a planner reads it: field ids replaced by the fields' names in the user's
language (`facility_area / households * 100` -> `社区综合服务设施面积 ÷ 实有户数 × 100`).

Only names the tokenizer sees as identifiers are replaced, never text inside a quoted
value (`community_type == "农村"`); an id the vocabulary does not know stays as written.
English keeps the ids (what a plan file and --map use) and the ASCII operators.
"""

from __future__ import annotations

import io
import tokenize

from indicators.model.fields import Vocabulary

# Operators as the plan documents print them
_GLYPHS = {"*": "×", "/": "÷", ">=": "≥", "<=": "≤", "!=": "≠", "==": "="}
_WORDS = {"and": "且", "or": "或", "not": "非"}


def named_formula(text: str, vocabulary: Vocabulary, lang: str) -> str:
    """`text` with each field id replaced by its name in `lang`; unchanged for en."""
    if lang == "en" or not text:
        return text
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return text  # not a formula we can read: show it as written rather than guess
    if any(tok.type == tokenize.ERRORTOKEN and tok.string.strip() for tok in tokens):
        return text
    lines = text.splitlines(keepends=True) or [text]
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    edits = []
    for tok in tokens:
        if tok.type == tokenize.NAME and (field := vocabulary.get(tok.string)) is not None:
            new = field.name(lang)
            if any(ch in new for ch in "+-*/()<>=! "):
                new = f"「{new}」"  # a name holding an operator must not read as one
        elif tok.type == tokenize.NAME and tok.string in _WORDS:
            new = _WORDS[tok.string]
        elif tok.type == tokenize.OP and tok.string in _GLYPHS:
            new = _GLYPHS[tok.string]
        else:
            continue
        (r0, c0), (r1, c1) = tok.start, tok.end
        edits.append((starts[r0 - 1] + c0, starts[r1 - 1] + c1, new))
    for a, b, new in reversed(edits):
        text = text[:a] + new + text[b:]
    return text

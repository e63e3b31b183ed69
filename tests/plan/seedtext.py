"""Whether a plan's wording stands in its source document (shared/seeds), word for word."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from indicators.plan import load_plan_file, plan_files

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
PLANS = [p for p in plan_files() if "examples" not in p.parts]


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", text)


def not_in_source(path: Path, texts: Callable) -> list[str]:
    """`texts(indicator)` -> the wording to find (or None); every part (split at an
    ellipsis) that the plan's source does not hold, as "indicator id: part". Skips the test
    when the source is not beside the project."""
    plan = load_plan_file(path)
    source = SEEDS / (plan.source or "")
    if not plan.source or not source.is_file():
        pytest.skip(f"source document {plan.source!r} is not beside the project")
    text = _fold(source.read_text(encoding="utf-8"))
    missing = []
    for ind in plan.indicators:
        wording = texts(ind)
        if not wording:
            continue
        for part in re.split(r"……|…|\.\.\.", wording):
            if _fold(part) and _fold(part) not in text:
                missing.append(f"{ind.id}: {part!r}")
    return missing

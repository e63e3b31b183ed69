"""Every citation quotes its source document word for word (when the seeds are beside us)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from indicators.plan import load_plan_file, plan_files

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
PLANS = [p for p in plan_files() if "examples" not in p.parts]


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_every_quote_is_in_the_source_text(path):
    plan = load_plan_file(path)
    source = SEEDS / (plan.source or "")
    if not plan.source or not source.is_file():
        pytest.skip(f"source document {plan.source!r} is not beside the project")
    text = _fold(source.read_text(encoding="utf-8"))
    missing = []
    for ind in plan.indicators:
        for part in re.split(r"……|…|\.\.\.", ind.cite.quote):
            if _fold(part) and _fold(part) not in text:
                missing.append(f"{ind.id}: {part!r}")
    assert not missing, "quotes not found word for word:\n" + "\n".join(missing)

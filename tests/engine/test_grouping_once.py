"""The engine numbers a census's groups once, through the Census (`Census.grouping`)."""

from __future__ import annotations

import pandas as pd

from indicators.engine import evaluate
from indicators.model import census as census_module
from indicators.model.census import census_from_frame
from indicators.plan import load_plan
from indicators.testing.synth import add_edge_cases, generate_frame


def test_evaluations_of_one_census_share_its_group_numbers(monkeypatch) -> None:
    plan = load_plan("hengshui-2021-2025")
    frame = add_edge_cases(generate_frame(plan, 600, seed=7), plan)
    frame = frame.sample(frac=1.0, random_state=1).reset_index(drop=True)  # groups interleaved
    census = census_from_frame(frame)
    calls: list[tuple[str, ...]] = []
    group_codes = census_module.group_codes
    monkeypatch.setattr(
        census_module, "group_codes", lambda f, keys: calls.append(keys) or group_codes(f, keys)
    )
    first = evaluate(plan, census, year=2023)
    second = evaluate(plan, census, year=2025)  # assess evaluates like this, once per year
    assert sorted(calls) == sorted({k for k in calls})  # each level numbered once
    assert ("district", "street") in calls and ("district",) in calls
    for a, b in zip(first.indicators, second.indicators, strict=True):
        for level in ("street", "district"):
            keys = list(census_module.LEVEL_KEYS[level])
            pd.testing.assert_frame_equal(a.groups[level][keys], b.groups[level][keys])
    # the street rows follow the census's own numbering: sorted by district, then street
    streets = first.indicators[0].groups["street"][["district", "street"]]
    expected = census.grouping("street")[1].reset_index(drop=True)
    pd.testing.assert_frame_equal(streets.reset_index(drop=True), expected, check_dtype=False)

"""Regenerate the shipped sample censuses (seeded: the same files every time).

    .venv/bin/python sample_data/generate.py

For each plan in targets/: <plan-id>.xlsx, sized like the place, laid out like a street office's
sheet (title row, Chinese headers with units, a notes row), with a few communities that are
not computable on purpose. For hengshui-2021-2025 also one census per year 2021-2023 for
`indicators assess`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from indicators.plan import load_plan
from indicators.testing.synth import (
    add_edge_cases,
    evolve,
    generate_districts,
    generate_frame,
    generate_streets,
    write_xlsx,
)

HERE = Path(__file__).resolve().parent
# plan id -> (communities, share of rural communities): each sample sized like the place
PLANS = {
    "hengshui-2021-2025": (120, 0.45),
    "yangquan-chengqu-2015-2018": (60, 0.0),
    "yantai-2020": (120, 0.6),
    "songjiang-zhongshan-2018-2020": (28, 0.0),
    "nantong-2011-2015": (120, 0.45),
}
NOTES = ["填表人：王芳    审核人：李强", "填报日期：2023年12月20日"]


def year_over_year_changes(frame, year: int):
    """What happens between real censuses: a community renamed, one merged away, a new one
    built, and one figure typed in the wrong unit (population doubled) for assess to flag."""
    frame = frame.copy()
    frame.loc[5, "community"] = frame.loc[5, "community"].replace("社区", "新区社区")
    frame = frame.drop(index=7)
    if year == 2023:
        new = frame.iloc[[10]].copy()
        new["community"] = "滨湖新城社区"
        frame = pd.concat([frame, new], ignore_index=True)
        frame.loc[20, "population"] = frame.loc[20, "population"] * 2
    return frame.reset_index(drop=True)


def main() -> None:
    for plan_id, (size, rural_share) in PLANS.items():
        plan = load_plan(plan_id)
        seed = sum(map(ord, plan_id))
        frame = generate_frame(plan, size, seed=seed, rural_share=rural_share)
        frame = add_edge_cases(frame, plan)
        title = f"{plan.title} 社区基本情况统计表"
        streets = generate_streets(plan, frame)
        write_xlsx(
            frame,
            plan.vocabulary,
            HERE / f"{plan_id}.xlsx",
            title=title,
            notes=NOTES,
            streets=streets,
            districts=generate_districts(plan, frame),
        )
        print(f"wrote {plan_id}.xlsx")
        if plan_id == "hengshui-2021-2025":
            for offset, year in enumerate((2021, 2022, 2023)):
                yearly = evolve(frame, plan, offset) if offset else frame
                if year >= 2022:
                    yearly = year_over_year_changes(yearly, year)
                path = HERE / f"{plan_id}-census-{year}.xlsx"
                write_xlsx(
                    yearly,
                    plan.vocabulary,
                    path,
                    title=f"{year}年{title}",
                    notes=NOTES,
                    streets=generate_streets(plan, yearly),
                    districts=generate_districts(plan, yearly),
                )
                print(f"wrote {path.name}")


if __name__ == "__main__":
    sys.exit(main())

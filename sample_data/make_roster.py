"""Regenerate the sample roster for the Hengshui sample census (the same file every time).

    .venv/bin/python sample_data/make_roster.py

hengshui-2021-2025-roster.xlsx lists every community of hengshui-2021-2025.xlsx except the
last one, plus three communities the sample does not have, so that

    indicators check sample_data/hengshui-2021-2025.xlsx -p hengshui-2021-2025 \
        --roster sample_data/hengshui-2021-2025-roster.xlsx

reports the coverage, three communities missing and one not on the roster. Rerun it whenever
generate.py changes the sample.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from indicators.model.census import census_from_frame
from indicators.read import read_census
from indicators.roster import roster_from_census, write_roster
from indicators.roster.model import identity_vocabulary

HERE = Path(__file__).resolve().parent
CENSUS = HERE / "hengshui-2021-2025.xlsx"
ROSTER = HERE / "hengshui-2021-2025-roster.xlsx"
# Names for the three listed communities that did not report (fictitious, like the sample).
EXTRA_NAMES = ["新建社区", "东关村", "文苑社区", "北园社区", "南湖村", "西苑社区"]


def roster_frame(census_frame: pd.DataFrame) -> pd.DataFrame:
    """The sample's communities, the last left out, three more added under existing streets."""
    frame = census_frame[["district", "street", "community", "community_type"]]
    kept = frame.iloc[:-1]
    streets = frame[["district", "street"]].drop_duplicates().head(3)
    names = [n for n in EXTRA_NAMES if n not in set(frame["community"])][:3]
    extra = streets.assign(
        community=names,
        community_type=["rural" if n.endswith("村") else "urban" for n in names],
    )
    return pd.concat([kept, extra], ignore_index=True)


def main() -> None:
    census = read_census(CENSUS, vocabulary=identity_vocabulary())
    frame = roster_frame(census.frame)
    roster = roster_from_census(census_from_frame(frame, ROSTER.name))
    n = write_roster(roster, ROSTER, inputs=[CENSUS])
    print(f"wrote {ROSTER.name}: {n} communities")


if __name__ == "__main__":
    main()

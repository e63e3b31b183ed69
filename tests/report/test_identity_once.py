"""The identity of a community row (district, street, community) is converted to text once,
in Results.keys, and every format lists the same names for the same rows."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
from report_samples import HENGSHUI_ROWS

from indicators.engine import evaluate
from indicators.model.census import census_from_frame
from indicators.model.i18n import t
from indicators.plan import load_plan
from indicators.report.csv_report import render_csv
from indicators.report.json_report import render_json
from indicators.report.shortfalls import shortfall_rows
from indicators.run.pipeline import FileOutcome


def _results():
    rows = [dict(r) for r in HENGSHUI_ROWS]
    rows[2]["street"] = None  # a blank street cell, as a return leaves it
    rows[3]["community"] = "0012"  # a code-like name: leading zeros are part of it
    census = census_from_frame(pd.DataFrame(rows), "identity.xlsx")
    return evaluate(load_plan("hengshui-2021-2025"), census)


def test_keys_are_text_aligned_with_the_census_rows():
    results = _results()
    keys = results.keys
    assert [len(v) for v in keys.values()] == [len(results.census.frame)] * 3
    assert keys["street"][2] == ""  # missing is empty text, never "nan" or "<NA>"
    assert keys["community"][3] == "0012"
    assert keys["district"].tolist() == ["桃城区", "桃城区", "桃城区", "冀州区", "冀州区"]
    assert results.keys is keys  # converted once


def test_csv_json_and_shortfalls_name_the_same_communities():
    results = _results()
    keys = results.keys
    expected = {
        (keys["district"][i], keys["street"][i], keys["community"][i])
        for i in range(len(results.census.frame))
    }
    outcome = FileOutcome(results.census.source.path, census=results.census, results=results)

    data = json.loads(render_json([outcome], "zh"))
    for ind in data["files"][0]["indicators"]:
        for c in ind["communities"]:
            assert (c["district"], c["street"], c["community"]) in expected, ind["id"]
    named = {
        (c["district"], c["street"], c["community"])
        for ind in data["files"][0]["indicators"]
        for c in ind["communities"]
    }
    assert ("桃城区", "", "新华社区") in named and ("冀州区", "冀州镇", "0012") in named

    table = list(csv.reader(io.StringIO(render_csv([outcome], "zh"))))
    head = table[0]
    keys_ = ("district", "street", "community", "level", "row_type")
    col = {k: head.index(t(f"col.{k}", "zh")) for k in keys_}
    rows = [
        r
        for r in table[1:]
        if r[col["level"]] == t("level.community", "zh")
        and r[col["row_type"]] == t("row_type.result", "zh")  # not the headline row
    ]
    assert rows
    csv_named = {(r[col["district"]], r[col["street"]], r[col["community"]]) for r in rows}
    # the CSV neutralises text that could run as a formula; the names are otherwise the same
    assert {n for n in csv_named if not n[2].startswith("'")} <= expected
    assert ("桃城区", "", "新华社区") in csv_named

    shortfalls, _ = shortfall_rows(results, "zh")
    for row in shortfalls:
        if row["community"]:
            assert (row["district"], row["street"], row["community"]) in expected


def test_whole_number_rule_comes_from_the_lever_field_type():
    """One rule: amounts of a counted (integer) or yes/no (boolean) lever are whole; of a
    measured one (m²) they keep a decimal. The sentence and the flag agree."""
    from report_samples import hengshui_results

    from indicators.report.wording import Wording

    results = hengshui_results()
    w = Wording.of(results, "zh")
    workers = results.get("workers_per_10k_urban_residents")
    area = results.get("facility_area_per_100_households")
    assert (workers.lever_type, workers.lever_whole) == ("integer", True)
    assert (area.lever_type, area.lever_whole) == ("number", False)
    assert "1.5" not in w.lever(workers, 1.5) and "2" in w.lever(workers, 1.5)
    assert "1.5" in w.lever(area, 1.5)
    assert results.get("rural_facility_coverage").group_shortfall_whole  # communities


def test_identity_columns_reach_renderers_as_text_with_no_missing():
    """The contract renderers rely on instead of converting again: census identity columns
    are Arrow strings with "" for a blank cell (model/census.py), and the engine's group rows
    name their district and street as text with "" likewise."""
    from indicators.engine.results import GROUP_KEYS
    from indicators.model.census import KEY_COLUMNS, TEXT

    rows = [dict(r) for r in HENGSHUI_ROWS]
    rows[2]["street"] = None
    rows[4]["district"] = float("nan")  # a blank cell as pandas reads it
    census = census_from_frame(pd.DataFrame(rows), "identity.xlsx")
    for k in KEY_COLUMNS:
        assert census.frame[k].dtype == TEXT and not census.frame[k].isna().any(), k
    assert census.frame["street"].iloc[2] == "" and census.frame["district"].iloc[4] == ""
    results = evaluate(load_plan("hengshui-2021-2025"), census)
    for r in results.indicators:
        for level, keys in GROUP_KEYS.items():
            for k in keys:
                values = r.groups[level][k].tolist()
                assert all(isinstance(v, str) for v in values), (r.indicator.id, level, k)
    streets = results.indicators[0].groups["street"]
    named = set(zip(streets["district"].tolist(), streets["street"].tolist(), strict=True))
    assert ("桃城区", "") in named and any(d == "" for d, _ in named)

"""The worded result table (report/worded.py): one frame per indicator of its group and
community rows, with the engine's figures as they are and every text worded once; CSV,
JSON and the Shortfalls read it, so a row says the same thing in each."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest

from indicators.engine.results import GROUP_LEVELS, NOT_MET
from indicators.plan import load_plan
from indicators.report import worded as worded_module
from indicators.report.csv_report import COLUMNS, render_csv
from indicators.report.json_report import render_json
from indicators.report.shortfalls import shortfall_rows
from indicators.report.worded import level_rows, worded
from indicators.run.pipeline import FileOutcome, ReadOptions, check_file

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "hengshui-2021-2025.xlsx"


@pytest.fixture(scope="module")
def outcome() -> FileOutcome:
    return check_file(load_plan("hengshui-2021-2025"), SAMPLE, ReadOptions())


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    """Bit for bit, NaN where NaN."""
    return np.array_equal(np.asarray(a, "float64"), np.asarray(b, "float64"), equal_nan=True)


def test_figures_are_the_engines_as_they_are(outcome):
    results = outcome.results
    table = worded(results, "zh")
    for r in results.indicators:
        frame = table.frame(r)
        for level in GROUP_LEVELS:
            g, rows = r.groups[level], level_rows(frame, level)
            assert len(rows) == len(g), (r.indicator.id, level)
            for k in ("value", "gap", "shortfall", "shortfall_all", "share_compliant"):
                assert _same(rows[k], g[k]), (r.indicator.id, level, k)
            assert rows["status"].tolist() == g["status"].astype(str).tolist()
        c = r.communities[r.communities["in_scope"].to_numpy(dtype=bool)]
        rows = level_rows(frame, "community")
        assert len(rows) == len(c)
        for k in ("value", "gap", "shortfall"):
            assert _same(rows[k], c[k]), (r.indicator.id, k)
        # missed rows say what it takes; met rows say nothing
        missed = (rows["status"] == NOT_MET).to_numpy()
        texts = rows["what_it_takes"].to_numpy(dtype=object)
        assert all(t == "" for t in texts[~missed]), r.indicator.id


def _fresh_counting(outcome, monkeypatch, name: str) -> tuple[FileOutcome, list[str]]:
    """Fresh Results of the sample (nothing worded yet), and the ids of the indicators
    `worded_module.<name>` is called for from now on."""
    results = check_file(load_plan("hengshui-2021-2025"), SAMPLE, ReadOptions()).results
    made: list[str] = []
    real = getattr(worded_module, name)

    def counting(r, *args):
        made.append(r.indicator.id)
        return real(r, *args)

    monkeypatch.setattr(worded_module, name, counting)
    return FileOutcome(outcome.path, census=results.census, results=results), made


def test_each_frame_is_worded_once_for_every_format(outcome, monkeypatch):
    fresh, made = _fresh_counting(outcome, monkeypatch, "_frame")
    results = fresh.results
    render_csv([fresh], "zh")
    render_json([fresh], "zh")
    shortfall_rows(results, "zh")
    assert sorted(made) == sorted(r.indicator.id for r in results.indicators)
    render_csv([fresh], "en")  # another language is its own table
    assert len(made) == 2 * len(results.indicators)


def test_a_national_census_is_worded_again_rather_than_kept(outcome, monkeypatch):
    monkeypatch.setattr(worded_module, "KEEP_ROWS", 10)  # the sample has more
    results = check_file(load_plan("hengshui-2021-2025"), SAMPLE, ReadOptions()).results
    table = worded(results, "zh")
    r = results.indicators[0]
    first = table.frame(r)
    again = table.frame(r)
    assert first is not again and first.equals(again)


def test_shortfalls_of_a_census_too_large_to_keep_are_the_same(monkeypatch):
    """Above KEEP_ROWS the Shortfalls word only the communities that miss a target; the
    table must be the one a kept frame gives, row for row."""
    results = check_file(load_plan("hengshui-2021-2025"), SAMPLE, ReadOptions()).results
    kept = shortfall_rows(results, "zh")
    fresh = check_file(load_plan("hengshui-2021-2025"), SAMPLE, ReadOptions()).results
    monkeypatch.setattr(worded_module, "KEEP_ROWS", 10)  # the sample has more
    again = shortfall_rows(fresh, "zh")
    assert kept[1] == again[1] > 100
    assert json.dumps(kept[0], default=str) == json.dumps(again[0], default=str)


def test_csv_json_and_shortfalls_say_the_same(outcome):
    results = outcome.results
    table = worded(results, "zh")
    data = json.loads(render_json([outcome], "zh"))["files"][0]["indicators"]
    rows = list(csv.reader(io.StringIO(render_csv([outcome], "zh"))))
    col = {k: i for i, k in enumerate(COLUMNS)}
    csv_what = {}
    for row in rows[1:]:
        if row[col["community"]]:
            key = (row[col["indicator_id"]], row[col["community"]], row[col["street"]])
            csv_what[key] = row[col["what_it_takes"]]
    checked = 0
    for r, d in zip(results.indicators, data, strict=True):
        frame = level_rows(table.frame(r), "community")
        for rec, c in zip(frame.to_dict("records"), d["communities"], strict=True):
            assert (c["community"], c["status"]) == (rec["community"], rec["status"])
            assert (c["what_it_takes"] or "") == rec["what_it_takes"]
            key = (r.indicator.id, rec["community"], rec["street"])
            assert csv_what[key] == rec["what_it_takes"]
            checked += 1
    assert checked > 1000
    shortfalls, _ = shortfall_rows(results, "zh")
    texts = {
        (r.indicator.name("zh"), rec["community"], rec["what_it_takes"])
        for r in results.indicators
        for rec in table.frame(r).to_dict("records")
    }
    assert shortfalls
    for s in shortfalls:
        assert (s["indicator"], s["community"], s["what_it_takes"]) in texts


def test_each_headline_is_worded_once_for_every_format(outcome, monkeypatch):
    from indicators.report.github import render_github
    from indicators.report.junit import render_junit

    fresh, made = _fresh_counting(outcome, monkeypatch, "headline_cells")
    results = fresh.results
    texts = [render([fresh], "zh") for render in (render_csv, render_json, render_junit)]
    texts.append(render_github([fresh], "zh"))
    assert sorted(made) == sorted(r.indicator.id for r in results.indicators)
    missed = next(r for r in results.indicators if r.headline.status == NOT_MET)
    shown = worded(results, "zh").headline(missed)
    assert all(shown["gap_text"] in text for text in texts[2:])  # junit, github


def test_a_street_without_its_own_station_needs_one_station_not_100_communities(outcome):
    """A street's own yes/no fact (乡镇(街道)社会工作服务站) judged ≥ 100% on its row: what it
    takes is the station, one item, never "还需 100 个社区…"."""
    results = outcome.results
    r = next(x for x in results.indicators if x.indicator.id == "street_social_work_station")
    for lang, says in (("zh", "需建有乡镇(街道)社会工作服务站"), ("en", "")):
        frame = worded(results, lang).frame(r)
        streets = level_rows(frame, "street")
        missed = streets[streets["status"] == NOT_MET]
        assert len(missed) == 4  # the sample's streets without a station
        assert set(missed["shortfall"]) == {1.0}
        assert "100" not in " ".join(missed["what_it_takes"])
        assert set(missed["shortfall_unit"]) == {"项" if lang == "zh" else "items"}
        if says:
            assert set(missed["what_it_takes"]) == {says}
        above = frame[frame["level"].isin(["district", "city"])]
        assert above["shortfall"].isna().all() and set(above["shortfall_unit"]) == {""}

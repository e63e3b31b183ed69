"""The gap workbook's Communities, Streets, Districts and Shortfalls sheets show what the
worded frame (report/worded.py) says, cell for cell: a sheet that words a status, a target
or a gap on its own again fails here. Read back with openpyxl, as a reader sees the file."""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pytest

from indicators.engine.results import NOT_COMPUTABLE, NOT_MET
from indicators.model.i18n import t
from indicators.plan import load_plan
from indicators.report import worded as worded_module
from indicators.report.worded import level_rows, worded
from indicators.report.workbook import write_workbook
from indicators.run.pipeline import ReadOptions, check_file

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"
# (census, plan): urban and rural communities (indicators with communities out of scope),
# targets by community type, street and district sheets of their own (yantai)
CASES = [
    ("hengshui-2021-2025.xlsx", "hengshui-2021-2025"),
    ("yantai-2020.xlsx", "yantai-2020"),
]


def _results(census: str, plan: str):
    return check_file(load_plan(plan), SAMPLES / census, ReadOptions()).results


def _cell(value):
    """A frame value as the sheet holds it: a missing number or text is an empty cell."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def _same(shown, expected) -> bool:
    """Numbers as the sheet stores them (16 significant digits, as xlsxwriter does)."""
    expected = _cell(expected)
    if isinstance(expected, float) and shown is not None:
        return shown == pytest.approx(expected, rel=1e-15, abs=0)
    return shown == expected


def _sheet(book, key: str, lang: str):
    return book[t(key, lang)]


@pytest.fixture(scope="module", params=[(c, p, lang) for c, p in CASES for lang in ("zh", "en")])
def book(request, tmp_path_factory):
    census, plan, lang = request.param
    results = _results(census, plan)
    path = tmp_path_factory.mktemp("wb") / "gaps.xlsx"
    write_workbook(results, path, lang)
    return results, lang, openpyxl.load_workbook(path)


def test_communities_sheet_cells_are_the_worded_frame(book):
    results, lang, wb = book
    ws = _sheet(wb, "sheet.communities", lang)
    rows = [list(r) for r in ws.iter_rows(min_row=3, values_only=True)]
    assert len(rows) == len(results.census.frame)
    keys = 4 if "community_type" in results.census.frame else 3
    out_of_scope = t("cell.out_of_scope", lang)
    checked = {"in": 0, "out": 0, "not_computable": 0}
    for j, r in enumerate(results.indicators):
        frame = level_rows(worded(results, lang).frame(r), "community")
        by_row = {int(x["row"]): x for x in frame.to_dict("records")}
        col = keys + 4 * j
        for i, row in enumerate(rows):
            value, target, gap, status = row[col : col + 4]
            x = by_row.get(i)
            if x is None:  # out of scope: said so, nothing else
                assert (value, target, gap, status) == (None, None, None, out_of_scope)
                checked["out"] += 1
                continue
            assert row[2] == x["community"], (r.indicator.id, i)
            assert _same(value, x["value"]), (r.indicator.id, i)
            assert target == x["target"], (r.indicator.id, i)
            assert _same(gap, x["gap"]), (r.indicator.id, i)
            assert status == x["status_full"], (r.indicator.id, i)
            checked["in"] += 1
            if x["status"] == NOT_COMPUTABLE and x["reason_text"]:
                assert status.startswith(x["status_text"]) and status.endswith(x["reason_text"])
                checked["not_computable"] += 1
    assert checked["in"] > 200 and checked["out"] > 100 and checked["not_computable"] > 0


@pytest.mark.parametrize("level", ["street", "district"])
def test_group_sheet_cells_are_the_worded_frame(book, level):
    results, lang, wb = book
    ws = _sheet(wb, "sheet.streets" if level == "street" else "sheet.districts", lang)
    keys = 2 if level == "street" else 1
    rows = [list(r) for r in ws.iter_rows(min_row=3, values_only=True)]
    checked = 0
    for j, r in enumerate(results.indicators):
        frame = worded(results, lang).frame(r)
        expected = level_rows(frame, level).to_dict("records")
        if level == "district":
            expected += level_rows(frame, "city").to_dict("records")
        assert len(rows) == len(expected)
        col = keys + 5 * j
        for row, x in zip(rows, expected, strict=True):
            if x["level"] != "city":
                assert row[0] == x["district"] and (keys == 1 or row[1] == x["street"])
            value, target, status, share, short = row[col : col + 5]
            where = (r.indicator.id, row[:keys])
            assert _same(value, x["value"]), where
            assert target == _cell(x["target"]), where
            assert status == x["status_full"], where
            assert _same(share, x["share_compliant"]), where
            assert _same(short, x["shortfall"]), where
            checked += 1
    assert checked > 20


def test_shortfalls_sheet_status_is_the_worded_frame(book):
    results, lang, wb = book
    ws = _sheet(wb, "sheet.shortfalls", lang)
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    header = rows[0]
    status_col = header.index(t("col.status", lang))
    what_col = header.index(t("col.what_it_takes", lang))
    said = {
        (r.indicator.name(lang), x["what_it_takes"], x["status_text"])
        for r in results.indicators
        for x in worded(results, lang).frame(r).to_dict("records")
    }
    name_col = header.index(t("col.indicator", lang))
    shown = [(row[name_col], row[what_col] or "", row[status_col]) for row in rows[1:]]
    assert shown and all(s in said for s in shown)
    assert t(f"status.{NOT_MET}", lang) in {s[2] for s in shown}


def _sheet_values(path: Path) -> dict[str, list]:
    wb = openpyxl.load_workbook(path)
    return {
        ws.title: [[(c.value, c.number_format) for c in row] for row in ws.iter_rows()] for ws in wb
    }


def test_a_census_too_large_to_keep_its_frames_gives_the_same_workbook(tmp_path, monkeypatch):
    """Above KEEP_ROWS the sheets word only the rows and columns they show, frame by frame:
    the workbook must be the one kept frames give, cell for cell."""
    census, plan = CASES[0]
    kept = tmp_path / "kept.xlsx"
    write_workbook(_results(census, plan), kept, "zh")
    monkeypatch.setattr(worded_module, "KEEP_ROWS", 10)  # the sample has more
    again = tmp_path / "again.xlsx"
    write_workbook(_results(census, plan), again, "zh")
    a, b = _sheet_values(kept), _sheet_values(again)
    assert a.keys() == b.keys()
    for name in a:
        assert a[name] == b[name], name


def test_the_workbook_words_each_frame_once_with_the_other_formats(tmp_path, monkeypatch):
    from indicators.report.csv_report import render_csv
    from indicators.run.pipeline import FileOutcome

    census, plan = CASES[0]
    results = _results(census, plan)
    made: list[str] = []
    real = worded_module._frame

    def counting(r, *args):
        made.append(r.indicator.id)
        return real(r, *args)

    monkeypatch.setattr(worded_module, "_frame", counting)
    write_workbook(results, tmp_path / "gaps.xlsx", "zh")
    render_csv([FileOutcome(SAMPLES / census, census=results.census, results=results)], "zh")
    # once each: the Communities, Streets, Districts, Shortfalls sheets and the CSV share it
    assert sorted(made) == sorted(r.indicator.id for r in results.indicators)

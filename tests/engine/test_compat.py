"""compat.py: every private library API behind a self-check; when the check fails (the API is
gone or answers differently) the public fallback gives the very same results."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from indicators import compat
from indicators.engine import evaluate
from indicators.model.census import census_from_frame
from indicators.plan import load_plan
from indicators.read.reader import read_census
from indicators.testing.synth import add_edge_cases, generate_frame


@pytest.fixture
def fresh_checks(monkeypatch):
    """Self-checks run again in this test (and are forgotten after it)."""
    monkeypatch.setattr(compat, "_CHECKED", {})


def _fail(monkeypatch, name: str) -> None:
    monkeypatch.setattr(compat, "_CHECKED", {name: False})


def _fingerprint(results) -> str:
    h = hashlib.sha256()
    for r in results.indicators:
        for frame in (r.communities, *r.groups.values()):
            for col in frame.columns:
                values = frame[col].to_numpy()
                if values.dtype.kind == "f":
                    h.update(values.view(np.int64).tobytes())  # to the last bit
                else:
                    h.update(repr(values.tolist()).encode())
        h.update(repr(r.headline).encode())
    return h.hexdigest()


def _messy_census():
    """Rows of streets interleaved (groups not in row order) with blanks and edge cases, so
    the compiled group-by loop, not the in-order shortcut, makes the sums."""
    plan = load_plan("hengshui-2021-2025")
    frame = add_edge_cases(generate_frame(plan, 1500, seed=4), plan)
    frame = frame.sample(frac=1.0, random_state=3).reset_index(drop=True)
    return plan, census_from_frame(frame)


def test_group_sums_are_the_same_bits_without_the_private_groupby(monkeypatch) -> None:
    plan, census = _messy_census()
    calls = []
    kernel = compat._kernel
    monkeypatch.setattr(compat, "_kernel", lambda *a: calls.append(1) or kernel(*a))
    fast = _fingerprint(evaluate(plan, census))
    if not compat.groupby_kernels_agree():
        pytest.skip("this pandas fails the self-check: the public group-by is already in use")
    assert calls, "the sample did not reach the compiled group-by loop"
    _fail(monkeypatch, "groupby")
    calls.clear()
    assert _fingerprint(evaluate(plan, census)) == fast
    assert not calls


def test_the_groupby_self_check_notices_a_loop_one_bit_off(monkeypatch, fresh_checks) -> None:
    kernel = compat._kernel
    monkeypatch.setattr(compat, "_kernel", lambda *a: np.nextafter(kernel(*a), np.inf))
    assert compat.groupby_kernels_agree() is False
    # and the answers are then pandas' own
    values = np.array([0.1, np.nan, 0.2, 0.3, 1e16, -1e16])
    codes = np.array([1, 0, 1, 0, 1, 1])
    expected = pd.Series(values).groupby(codes).sum().to_numpy()
    assert compat.group_reduce("sum", values, codes, 2).tolist() == expected.tolist()


def test_a_missing_private_groupby_falls_back(monkeypatch, fresh_checks) -> None:
    def gone(*args):
        raise ImportError("cannot import name 'groupby' from 'pandas._libs'")

    monkeypatch.setattr(compat, "_kernel", gone)
    values = np.array([2.5, np.nan, 4.0])
    assert compat.group_reduce("mean", values, np.array([1, 0, 1]), 2)[1] == 3.25
    assert np.isnan(compat.group_reduce("mean", values, np.array([1, 0, 1]), 2)[0])


def _csv(tmp_path: Path) -> Path:
    path = tmp_path / "普查 表.csv"
    rows = [
        ["区县", "街道（乡镇）", "社区（村）", "户数", "人口数", "社区综合服务设施面积"],
        ["桃城区", "河东街道 ", "\u3000人民社区", "1,200", "3500", "420.5"],
        ["桃城区", "河东街道", "中华社区", "", "3600", "—"],
        ["合计", "", "", "2400", "7100", "840"],
        ["冀州区", "冀州镇", "南关村", "800", "2100", "310"],
    ]
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def test_text_columns_read_the_same_without_the_private_arrow_data(
    tmp_path: Path, monkeypatch
) -> None:
    vocab = load_plan("hengshui-2021-2025").vocabulary
    path = _csv(tmp_path)
    fast = read_census(path, vocabulary=vocab)
    _fail(monkeypatch, "pa_array")
    slow = read_census(path, vocabulary=vocab)
    pd.testing.assert_frame_equal(fast.frame, slow.frame)
    assert list(fast.frame["community"]) == ["人民社区", "中华社区", "南关村"]
    assert [i.code for i in fast.issues] == [i.code for i in slow.issues]


def test_arrow_data_self_check(monkeypatch, fresh_checks) -> None:
    column = pd.Series(["社区", None, " a "], dtype="str")
    assert compat.arrow_chunks(column).to_pylist() == ["社区", None, " a "]
    monkeypatch.setattr(compat, "_CHECKED", {})
    monkeypatch.setattr(compat, "_private_chunks", lambda c: compat._public_chunks(c[:1]))
    assert compat.arrow_chunks(column).to_pylist() == ["社区", None, " a "]  # public way


def test_xf_index_is_checked_against_the_styles_xlsxwriter_writes(
    monkeypatch, fresh_checks
) -> None:
    import io

    import xlsxwriter.format

    book = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    book.add_worksheet()
    fmt = book.add_format({"italic": True})
    assert compat.xf_index(fmt) == fmt.xf_index == 1
    # an xlsxwriter whose numbers no longer match its styles: refuse, never mis-style cells
    original = xlsxwriter.format.Format._get_xf_index
    monkeypatch.setattr(compat, "_CHECKED", {})
    monkeypatch.setattr(xlsxwriter.format.Format, "_get_xf_index", lambda f: original(f) + 1)
    with pytest.raises(RuntimeError, match="xlsxwriter"):
        compat.xf_index(book.add_format({"bold": True}))
    book.close()


# Texts as submitted sheets have them: control characters pasted from other systems, text
# that looks like Excel's own escapes, padding, line breaks, full-width space, emoji.
TEXTS = [
    "桃城区\x00河东街道",
    "备注\x0b第二行\x1f",
    "_x000D_ 是转义",
    "_X00e9_小写",
    " 前有空格",
    "后有制表\t",
    "\u3000全角空格\u3000",
    "换\n行",
    "\ufffe\uffff",
    "😀社区",
    "=SUM(A1)",
    "",
]


def test_the_text_fallback_writes_what_xlsxwriter_writes() -> None:
    escaped = [compat._own_escape(t) for t in TEXTS]
    own = [(e, compat._own_preserve(e)) for e in escaped]
    assert own == compat.written_texts(TEXTS)


def _text_cell(text: str) -> tuple[str, bool]:
    escaped = compat.escape_control_characters(text)  # as report/sheetxml.py writes a cell
    return escaped, compat.preserve_whitespace(escaped)


def test_text_cells_are_the_same_without_xlsxwriters_private_escaping(monkeypatch) -> None:
    assert compat._once("xlsx_text", compat._xlsx_text_check)
    fast = [_text_cell(t) for t in TEXTS]
    _fail(monkeypatch, "xlsx_text")
    slow = [_text_cell(t) for t in TEXTS]
    assert slow == fast
    assert fast[0][0] == "桃城区_x0000_河东街道" and fast[4][1] and not fast[0][1]


def test_the_text_self_check_notices_a_changed_escape(monkeypatch, fresh_checks) -> None:
    from xlsxwriter.worksheet import Worksheet

    monkeypatch.setattr(Worksheet, "_escape_control_characters", staticmethod(lambda s: s))
    assert compat._xlsx_text_check() is False
